#!/usr/bin/env bash
# Start a throw-away OpenStack Keystone (identity v3) on 127.0.0.1 for tests:
# SQLite database, fernet tokens, uWSGI serving the public WSGI app.
#
# usage: scripts/servers/keystone/start.sh WORKDIR PORT [SWIFT_PROXY_URL]
#   WORKDIR          folder for keystone.conf, keystone.db, key repositories, logs
#   PORT             TCP port on 127.0.0.1 (the usual one is 5000)
#   SWIFT_PROXY_URL  registered in the catalog as the object-store endpoint
#                    SWIFT_PROXY_URL/v1/AUTH_%(project_id)s (default http://127.0.0.1:8080)
#
# Creates (domain Default unless noted; region RegionOne):
#   admin/admin-pass        project admin, role admin (keystone-manage bootstrap)
#   swift/swift-service-pass project service, roles admin + service (for swift's authtoken)
#   tester/testing           project test,  role member
#   tester2/testing2         project test2, role member
#   dtester/dtesting         domain testdomain, project dproject, role member
# Prints connection info as KEY=VALUE lines (also in WORKDIR/conn.env).
# Leaves WORKDIR/keystone.pid (the uWSGI master). Stop with: scripts/servers/keystone/stop.sh WORKDIR
# Needs (Debian): keystone (brings uwsgi-core, uwsgi-plugin-python3, python3-keystoneclient).
set -euo pipefail

WORK=${1:?usage: scripts/servers/keystone/start.sh WORKDIR PORT [SWIFT_PROXY_URL]}
PORT=${2:?usage: scripts/servers/keystone/start.sh WORKDIR PORT [SWIFT_PROXY_URL]}
SWIFT_URL=${3:-http://127.0.0.1:8080}
ADMIN_PASS=${KEYSTONE_ADMIN_PASSWORD:-admin-pass}
PY=/usr/bin/python3   # Debian's python: keystone lives there, not in pyenv/venv pythons
URL="http://127.0.0.1:$PORT/v3"

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
rm -rf "$WORK/keystone.db"* "$WORK/fernet-keys" "$WORK/fernet-receipts" "$WORK/credential-keys"

cat > "$WORK/keystone.conf" <<EOF
[DEFAULT]
use_stderr = true
debug = false

[database]
connection = sqlite:///$WORK/keystone.db

[token]
provider = fernet
expiration = 86400

[fernet_tokens]
key_repository = $WORK/fernet-keys

[fernet_receipts]
key_repository = $WORK/fernet-receipts

[credential]
key_repository = $WORK/credential-keys

[identity]
# bcrypt's cheapest cost: each password check/user creation ~1 ms instead of ~0.3-0.7 s
password_hash_rounds = 4

[cache]
# without a cache every token validation costs ~0.2-1 s on this machine
enabled = true
backend = dogpile.cache.memory
EOF

# Key repositories: a key is urlsafe-base64 of 32 random bytes; "0" is the staged key,
# the highest number the primary. Same result as
#   keystone-manage fernet_setup / credential_setup --keystone-user root --keystone-group root
# without 2 x ~3.5 s of interpreter start-up.
for d in fernet-keys fernet-receipts credential-keys; do
  mkdir -p "$WORK/$d"; chmod 700 "$WORK/$d"
  for k in 0 1; do head -c 32 /dev/urandom | base64 | tr '+/' '-_' > "$WORK/$d/$k"; done
  chmod 600 "$WORK/$d"/*
done

# db_sync + bootstrap in one interpreter (saves ~4 s over two keystone-manage runs).
BOOT_ARGS=(bootstrap --bootstrap-password "$ADMIN_PASS"
  --bootstrap-admin-url "$URL" --bootstrap-internal-url "$URL" --bootstrap-public-url "$URL"
  --bootstrap-region-id RegionOne)
if ! "$PY" - "$WORK/keystone.conf" "${BOOT_ARGS[@]}" > "$WORK/manage.log" 2>&1 <<'PYEOF'
import sys
from keystone.cmd import cli
import keystone.conf
conf = sys.argv[1]
cli.main(argv=['keystone-manage', '--config-file', conf, 'db_sync'])
keystone.conf.CONF.clear()
cli.main(argv=['keystone-manage', '--config-file', conf] + sys.argv[2:])
PYEOF
then
  echo "one-process db_sync+bootstrap failed, falling back to keystone-manage" >&2
  keystone-manage --config-file "$WORK/keystone.conf" db_sync >> "$WORK/manage.log" 2>&1
  keystone-manage --config-file "$WORK/keystone.conf" "${BOOT_ARGS[@]}" >> "$WORK/manage.log" 2>&1
fi
# WAL: otherwise a read transaction left open by one uWSGI thread makes writes from
# another fail with "database is locked" (HTTP 500).
"$PY" -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL')" "$WORK/keystone.db"

# --http11-socket, not --http-socket: with the latter, keep-alive clients (python-requests)
# get "connection reset" on their second request.
OS_KEYSTONE_CONFIG_DIR="$WORK" OS_KEYSTONE_CONFIG_FILES=keystone.conf \
uwsgi --plugin python3 --http11-socket "127.0.0.1:$PORT" \
  --wsgi-file /usr/bin/keystone-wsgi-public --need-app \
  --master --processes 1 --threads 4 --die-on-term --lazy-apps \
  --buffer-size 65535 --worker-reload-mercy 5 --reload-mercy 5 \
  > "$WORK/keystone.log" 2>&1 &
echo $! > "$WORK/keystone.pid"

fail() { echo "$1; log:" >&2; tail -n 30 "$WORK/keystone.log" >&2; kill "$(cat "$WORK/keystone.pid")" 2>/dev/null || true; exit 1; }
ok=0
for _ in $(seq 1 300); do
  kill -0 "$(cat "$WORK/keystone.pid")" 2>/dev/null || fail "keystone (uwsgi) died"
  if curl -fsS -o /dev/null --max-time 2 "$URL" 2>/dev/null; then ok=1; break; fi
  sleep 0.1
done
[ "$ok" = 1 ] || fail "keystone did not answer on $URL in 30 s"

# Users, projects, roles and the object-store endpoint, through the public API.
"$PY" - "$URL" "$ADMIN_PASS" "$SWIFT_URL" > "$WORK/ids.env" 2> "$WORK/setup.log" <<'PYEOF' || fail "keystone setup failed: $(tail -n 3 "$WORK/setup.log")"
import sys
from keystoneauth1.identity import v3
from keystoneauth1 import session
from keystoneclient.v3 import client

url, admin_pw, swift_url = sys.argv[1:4]
sess = session.Session(auth=v3.Password(
    auth_url=url, username='admin', password=admin_pw, project_name='admin',
    user_domain_id='default', project_domain_id='default'))
ks = client.Client(session=sess)

def role(name):
    r = ks.roles.list(name=name)
    return r[0] if r else ks.roles.create(name)

def domain(name):
    d = ks.domains.list(name=name)
    return d[0] if d else ks.domains.create(name)

def project(name, dom='default'):
    p = ks.projects.list(name=name, domain=dom)
    return p[0] if p else ks.projects.create(name, dom)

def user(name, pw, proj, dom='default'):
    u = ks.users.list(name=name, domain=dom)
    return u[0] if u else ks.users.create(name, domain=dom, password=pw, default_project=proj)

admin, member = role('admin'), role('member')
service_role = role('service')
role('swiftoperator'); role('ResellerAdmin')

svcp = project('service')
sw = user('swift', 'swift-service-pass', svcp)
ks.roles.grant(admin, user=sw, project=svcp)
ks.roles.grant(service_role, user=sw, project=svcp)

ids = {}
for uname, pw, pname in (('tester', 'testing', 'test'), ('tester2', 'testing2', 'test2')):
    p = project(pname)
    ks.roles.grant(member, user=user(uname, pw, p), project=p)
    ids[pname] = p.id
dom = domain('testdomain')
dp = project('dproject', dom)
ks.roles.grant(member, user=user('dtester', 'dtesting', dp, dom), project=dp)

svc = ks.services.list(type='object-store')
svc = svc[0] if svc else ks.services.create('swift', type='object-store', description='Swift')
if not ks.endpoints.list(service=svc):
    for iface in ('public', 'internal', 'admin'):
        ks.endpoints.create(svc, swift_url.rstrip('/') + '/v1/AUTH_%(project_id)s',
                            interface=iface, region='RegionOne')

print('KEYSTONE_TEST_PROJECT_ID=%s' % ids['test'])
print('KEYSTONE_TEST2_PROJECT_ID=%s' % ids['test2'])
print('KEYSTONE_DPROJECT_ID=%s' % dp.id)
print('KEYSTONE_TESTDOMAIN_ID=%s' % dom.id)
PYEOF

{
  echo "KEYSTONE_URL=$URL"
  echo "KEYSTONE_REGION=RegionOne"
  echo "KEYSTONE_ADMIN_USER=admin"
  echo "KEYSTONE_ADMIN_PASSWORD=$ADMIN_PASS"
  echo "KEYSTONE_ADMIN_PROJECT=admin"
  echo "KEYSTONE_TEST_USER=tester"
  echo "KEYSTONE_TEST_PASSWORD=testing"
  echo "KEYSTONE_TEST_PROJECT=test"
  echo "KEYSTONE_TEST2_USER=tester2"
  echo "KEYSTONE_TEST2_PASSWORD=testing2"
  echo "KEYSTONE_TEST2_PROJECT=test2"
  echo "KEYSTONE_DOMAIN_USER=dtester"
  echo "KEYSTONE_DOMAIN_PASSWORD=dtesting"
  echo "KEYSTONE_DOMAIN_PROJECT=dproject"
  echo "KEYSTONE_DOMAIN_NAME=testdomain"
  cat "$WORK/ids.env"
  echo "SWIFT_SERVICE_USER=swift"
  echo "SWIFT_SERVICE_PASSWORD=swift-service-pass"
  echo "KEYSTONE_OBJECT_STORE_URL='${SWIFT_URL%/}/v1/AUTH_%(project_id)s'"
  echo "KEYSTONE_PID=$(cat "$WORK/keystone.pid")"
  echo "KEYSTONE_PIDFILE=$WORK/keystone.pid"
} > "$WORK/conn.env"
cat "$WORK/conn.env"
