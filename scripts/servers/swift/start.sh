#!/usr/bin/env bash
# Start a single-node OpenStack Swift (proxy + object + container + account
# servers + a private memcached) on 127.0.0.1 for tests.
#
# usage: scripts/servers/swift/start.sh WORKDIR PORT [tempauth|keystone|both]
#   WORKDIR  folder for configs, rings, data (WORKDIR/srv/node/d1), logs (created if missing)
#   PORT     proxy port; the script also uses PORT+1 (object), PORT+2 (container),
#            PORT+3 (account) and PORT+4 (memcached), all on 127.0.0.1
#   mode     tempauth (default): v1 auth at http://127.0.0.1:PORT/auth/v1.0,
#                      accounts test:tester/testing (admin of AUTH_test),
#                      test:tester3/testing3 (non-admin), test2:tester2/testing2, admin:admin/admin;
#                      plus Swift's S3 API (s3api) at http://127.0.0.1:PORT, path-style,
#                      access key test:tester, secret testing, region us-east-1
#            keystone: authtoken + keystoneauth against Keystone v3; needs
#                      KEYSTONE_URL (e.g. http://127.0.0.1:5000/v3) and the service user
#                      made by scripts/servers/keystone/start.sh (SWIFT_SERVICE_USER/SWIFT_SERVICE_PASSWORD,
#                      defaults swift/swift-service-pass, project "service", domain Default)
#            both:     keystone + tempauth side by side (tempauth accounts use prefix TEMPAUTH_;
#                      no s3api on that proxy: S3 requests there get 412). With SWIFT_S3_PORT set,
#                      a second proxy on that port serves Swift's S3 API with tempauth (accounts
#                      AUTH_*, key test:tester, secret testing) over the same storage servers
#
# Prints connection info as KEY=VALUE lines (also in WORKDIR/conn.env).
# env: SWIFT_DEVICES_DIR (data folder, see below), SWIFT_UPDATERS=1 (keep account totals fresh),
#      SWIFT_S3_PORT (both mode: port of the extra s3api + tempauth proxy),
#      KEYSTONE_URL, SWIFT_SERVICE_USER, SWIFT_SERVICE_PASSWORD (keystone modes)
# Leaves WORKDIR/swift.pid (all PIDs, one a line: memcached, account, container, object, proxy
# [, proxy-s3] [, container-updater]).
# Stop with: scripts/servers/swift/stop.sh WORKDIR
# Needs (Debian): swift swift-proxy swift-object swift-container swift-account memcached
#                 python3-swiftclient (client); python3-keystonemiddleware for keystone mode.
# Swift always reads /etc/swift/swift.conf (hash prefix/suffix, storage policies);
# the script writes one if it is missing. The data folder needs user xattrs (ext4, xfs,
# tmpfs on Linux >= 6.6 all work; see SWIFT_DEVICES_DIR below for ext4's size limit).
set -euo pipefail

WORK=${1:?usage: scripts/servers/swift/start.sh WORKDIR PORT [tempauth|keystone|both]}
PORT=${2:?usage: scripts/servers/swift/start.sh WORKDIR PORT [tempauth|keystone|both]}
MODE=${3:-tempauth}
OBJ_PORT=$((PORT + 1)); CONT_PORT=$((PORT + 2)); ACC_PORT=$((PORT + 3)); MC_PORT=$((PORT + 4))
S3_PORT=""
[ "$MODE" = both ] && S3_PORT=${SWIFT_S3_PORT:-}
PY=/usr/bin/python3   # Debian's python: the swift modules live there, not in pyenv/venv pythons

case "$MODE" in tempauth|keystone|both) ;; *) echo "bad mode: $MODE" >&2; exit 2 ;; esac
if [ "$MODE" != tempauth ]; then
  : "${KEYSTONE_URL:?keystone mode needs KEYSTONE_URL, e.g. http://127.0.0.1:5000/v3}"
  SWIFT_SERVICE_USER=${SWIFT_SERVICE_USER:-swift}
  SWIFT_SERVICE_PASSWORD=${SWIFT_SERVICE_PASSWORD:-swift-service-pass}
fi

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
ETC="$WORK/etc"; LOG="$WORK/log"; RUN="$WORK/run"
# SWIFT_DEVICES_DIR: where the "disk" d1 lives. ext4 (e.g. /tmp) holds at most ~3.5 KB of
# xattrs per file, so objects with more than ~3 KB of user metadata fail (507 -> proxy 503);
# point this at a tmpfs folder (e.g. /dev/shm/NAME, Linux >= 6.6) or an XFS mount to lift that.
DEV=${SWIFT_DEVICES_DIR:-$WORK/srv/node}
mkdir -p "$ETC" "$DEV/d1" "$LOG" "$RUN"
RUNUSER=$(id -un)

# --- the data folder must support user xattrs ---------------------------------
if ! "$PY" -c "import xattr,sys; p=sys.argv[1]+'/.xattr-probe'; open(p,'w').close(); xattr.setxattr(p,'user.swift.probe',b'x'); import os; os.unlink(p)" "$DEV/d1" 2>/dev/null; then
  echo "start-swift.sh: $DEV/d1 does not support user xattrs; use a WORKDIR on ext4/xfs/tmpfs(>=6.6) or mount a loop image there" >&2
  exit 1
fi

# --- /etc/swift/swift.conf (global; Debian's package ships one with 'changeme') --
if [ ! -s /etc/swift/swift.conf ] || ! grep -q '^swift_hash_path_suffix *= *[^ ]' /etc/swift/swift.conf; then
  mkdir -p /etc/swift
  cat > /etc/swift/swift.conf <<'EOF'
[swift-hash]
swift_hash_path_suffix = test-suffix
swift_hash_path_prefix = test-prefix

[storage-policy:0]
name = Policy-0
default = yes

[swift-constraints]
EOF
fi

# --- rings: part power 8, 1 replica, min_part_hours 1, one device each ------------
# Same result as, per KIND in object container account (KPORT = its server's port):
#   swift-ring-builder $ETC/KIND.builder create 8 1 1
#   swift-ring-builder $ETC/KIND.builder add r1z1-127.0.0.1:KPORT/d1 100
#   swift-ring-builder $ETC/KIND.builder rebalance
# but in one Python process (9 CLI calls cost ~12 s of interpreter start-up; this ~1.4 s).
rm -f "$ETC"/*.builder "$ETC"/*.ring.gz; rm -rf "$ETC/backups"
"$PY" - "$ETC" "$OBJ_PORT" "$CONT_PORT" "$ACC_PORT" <<'PYEOF'
import sys
from swift.common.ring import RingBuilder
etc = sys.argv[1]
for kind, port in zip(('object', 'container', 'account'), map(int, sys.argv[2:5])):
    b = RingBuilder(8, 1, 1)
    b.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port,
               'replication_ip': '127.0.0.1', 'replication_port': port,
               'device': 'd1', 'weight': 100, 'meta': ''})
    b.rebalance()
    b.get_ring().save('%s/%s.ring.gz' % (etc, kind))
    b.save('%s/%s.builder' % (etc, kind))
PYEOF

# --- storage servers ---------------------------------------------------------------
common() { # $1 = port, $2 = log name
cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $1
workers = 0
user = $RUNUSER
swift_dir = $ETC
devices = $DEV
mount_check = false
disable_fallocate = true
recon_cache_path = $RUN
log_name = $2
log_level = INFO
EOF
}
{ common "$OBJ_PORT" object
  printf '\n[pipeline:main]\npipeline = healthcheck object-server\n\n[filter:healthcheck]\nuse = egg:swift#healthcheck\n\n[app:object-server]\nuse = egg:swift#object\n\n[object-replicator]\n[object-reconstructor]\n[object-updater]\n[object-auditor]\n'
} > "$ETC/object-server.conf"
{ common "$CONT_PORT" container
  printf '\n[pipeline:main]\npipeline = healthcheck container-server\n\n[filter:healthcheck]\nuse = egg:swift#healthcheck\n\n[app:container-server]\nuse = egg:swift#container\n\n[container-replicator]\n[container-updater]\ninterval = 1\n[container-auditor]\n[container-sync]\n[container-sharder]\n'
} > "$ETC/container-server.conf"
{ common "$ACC_PORT" account
  printf '\n[pipeline:main]\npipeline = healthcheck account-server\n\n[filter:healthcheck]\nuse = egg:swift#healthcheck\n\n[app:account-server]\nuse = egg:swift#account\n\n[account-replicator]\n[account-auditor]\n[account-reaper]\n'
} > "$ETC/account-server.conf"

# --- proxy ---------------------------------------------------------------------------
case "$MODE" in
  # s3api (Swift's own S3 API) only in tempauth mode: S3 access key test:tester, secret testing.
  # (In "both" mode S3 requests fail with 412: tempauth there owns TEMPAUTH_, not AUTH_.)
  tempauth) AUTH_FILTERS="s3api tempauth"; TA_PREFIX="AUTH" ;;
  keystone) AUTH_FILTERS="authtoken keystoneauth"; TA_PREFIX="" ;;
  both)     AUTH_FILTERS="authtoken keystoneauth tempauth"; TA_PREFIX="TEMPAUTH" ;;
esac
cat > "$ETC/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $PORT
workers = 0
user = $RUNUSER
swift_dir = $ETC
log_name = proxy
log_level = INFO

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl ratelimit $AUTH_FILTERS copy slo dlo versioned_writes symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
node_timeout = 30
conn_timeout = 5

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MC_PORT

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:bulk]
use = egg:swift#bulk

[filter:tempurl]
use = egg:swift#tempurl

[filter:ratelimit]
use = egg:swift#ratelimit

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true

[filter:symlink]
use = egg:swift#symlink

[filter:s3api]
use = egg:swift#s3api
location = us-east-1
s3_acl = false
allow_multipart_uploads = true
# path-style only (http://127.0.0.1:PORT/bucket/key); set storage_domain for virtual hosts
EOF
if [ -n "$TA_PREFIX" ]; then cat >> "$ETC/proxy-server.conf" <<EOF

[filter:tempauth]
use = egg:swift#tempauth
reseller_prefix = $TA_PREFIX
token_life = 86400
user_admin_admin = admin .admin .reseller_admin
user_test_tester = testing .admin
user_test_tester3 = testing3
user_test2_tester2 = testing2 .admin
EOF
fi
if [ "$MODE" != tempauth ]; then cat >> "$ETC/proxy-server.conf" <<EOF

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
username = $SWIFT_SERVICE_USER
password = $SWIFT_SERVICE_PASSWORD
project_name = service
user_domain_id = default
project_domain_id = default
delay_auth_decision = true
memcached_servers = 127.0.0.1:$MC_PORT
include_service_catalog = false
service_token_roles_required = true

[filter:keystoneauth]
use = egg:swift#keystoneauth
reseller_prefix = AUTH_
operator_roles = admin, member, swiftoperator
reseller_admin_role = ResellerAdmin
EOF
fi

# Second proxy for "both" mode: the same config with s3api + tempauth owning AUTH_ (keystoneauth's
# prefix on the main proxy, but accounts never clash: tempauth's is AUTH_test, Keystone's AUTH_<project id>).
if [ -n "$S3_PORT" ]; then
  sed -e "s/^bind_port = $PORT\$/bind_port = $S3_PORT/" -e 's/^log_name = proxy$/log_name = proxy-s3/' \
      -e 's/ authtoken keystoneauth tempauth / s3api tempauth /' -e 's/^reseller_prefix = TEMPAUTH$/reseller_prefix = AUTH/' \
      "$ETC/proxy-server.conf" > "$ETC/proxy-s3.conf"
fi

# --- start: memcached, account, container, object, proxy -------------------------
: > "$WORK/swift.pid"
memcached -l 127.0.0.1 -p "$MC_PORT" -U 0 -m 64 -u "$RUNUSER" > "$LOG/memcached.log" 2>&1 &
echo $! >> "$WORK/swift.pid"
for s in account container object proxy; do
  # -v: log to stderr too (there is no syslog daemon); workers=0: one process, no fork
  "$PY" "/usr/bin/swift-$s-server" "$ETC/$s-server.conf" -v > "$LOG/$s.log" 2>&1 &
  echo $! >> "$WORK/swift.pid"
done
if [ -n "$S3_PORT" ]; then
  "$PY" /usr/bin/swift-proxy-server "$ETC/proxy-s3.conf" -v > "$LOG/proxy-s3.log" 2>&1 &
  echo $! >> "$WORK/swift.pid"
fi
# Account HEAD/GET totals (X-Account-Object-Count, -Bytes-Used) are only refreshed by the
# container-updater daemon; SWIFT_UPDATERS=1 runs it every second (one more process, ~1 s CPU).
if [ "${SWIFT_UPDATERS:-0}" = 1 ]; then
  "$PY" /usr/bin/swift-container-updater "$ETC/container-server.conf" -v > "$LOG/container-updater.log" 2>&1 &
  echo $! >> "$WORK/swift.pid"
fi

# --- ready: each server answers, then an authenticated round trip -----------------
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }
# on any failure below, stop what was started
fail() { echo "$1; logs:" >&2; tail -n 20 "$LOG"/*.log >&2; kill $(cat "$WORK/swift.pid") 2>/dev/null || true; exit 1; }
ready=0
for _ in $(seq 1 150); do
  dead=""
  while read -r pid; do kill -0 "$pid" 2>/dev/null || dead="$dead $pid"; done < "$WORK/swift.pid"
  [ -z "$dead" ] || fail "swift: process(es)$dead died"
  if http_ok "http://127.0.0.1:$PORT/healthcheck" && http_ok "http://127.0.0.1:$OBJ_PORT/healthcheck" \
     && http_ok "http://127.0.0.1:$CONT_PORT/healthcheck" && http_ok "http://127.0.0.1:$ACC_PORT/healthcheck" \
     && { [ -z "$S3_PORT" ] || http_ok "http://127.0.0.1:$S3_PORT/healthcheck"; }; then
    ready=1; break
  fi
  sleep 0.2
done
[ "$ready" = 1 ] || fail "swift did not become ready in 30 s"
if [ -n "$TA_PREFIX" ]; then
  # a full write-path check: v1 auth, account autocreate, container PUT/DELETE
  hdrs=$(curl -fsS -D - -o /dev/null -H 'X-Auth-User: test:tester' -H 'X-Auth-Key: testing' \
         "http://127.0.0.1:$PORT/auth/v1.0" | tr -d '\r') || fail "tempauth: auth request failed"
  tok=$(sed -n 's/^[Xx]-[Aa]uth-[Tt]oken: //p' <<<"$hdrs")
  surl=$(sed -n 's/^[Xx]-[Ss]torage-[Uu]rl: //p' <<<"$hdrs")
  curl -fsS -o /dev/null -X PUT -H "X-Auth-Token: $tok" "$surl/ready-check" || fail "tempauth: container PUT failed"
  curl -fsS -o /dev/null -X DELETE -H "X-Auth-Token: $tok" "$surl/ready-check" || fail "tempauth: container DELETE failed"
fi

{
  echo "SWIFT_PROXY_URL=http://127.0.0.1:$PORT"
  echo "SWIFT_AUTH_MODE=$MODE"
  if [ -n "$TA_PREFIX" ]; then
    echo "SWIFT_V1_AUTH_URL=http://127.0.0.1:$PORT/auth/v1.0"
    echo "SWIFT_V1_USER=test:tester"
    echo "SWIFT_V1_KEY=testing"
    echo "SWIFT_V1_STORAGE_URL=http://127.0.0.1:$PORT/v1/${TA_PREFIX}_test"
  fi
  if [ "$MODE" = tempauth ] || [ -n "$S3_PORT" ]; then
    echo "SWIFT_S3_ENDPOINT=http://127.0.0.1:${S3_PORT:-$PORT}"
    echo "SWIFT_S3_ACCESS_KEY=test:tester"
    echo "SWIFT_S3_SECRET_KEY=testing"
    echo "SWIFT_S3_REGION=us-east-1"
  fi
  [ "$MODE" = tempauth ] || echo "SWIFT_KEYSTONE_URL=$KEYSTONE_URL"
  echo "SWIFT_DATA_DIR=$DEV/d1"
  echo "SWIFT_LOG_DIR=$LOG"
  echo "SWIFT_PIDS=\"$(tr '\n' ' ' < "$WORK/swift.pid" | sed 's/ $//')\""
  echo "SWIFT_PIDFILE=$WORK/swift.pid"
} > "$WORK/conn.env"
cat "$WORK/conn.env"
