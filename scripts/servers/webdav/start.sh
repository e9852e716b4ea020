#!/usr/bin/env bash
# Starts a throw-away Apache 2.4 mod_dav WebDAV server on 127.0.0.1 for tests: plain HTTP on PORT and
# HTTPS (mod_ssl) on HTTPS_PORT, both serving the same folders:
#   /dav/     basic auth      (user dav, password davpass)   stored in WORKDIR/www/dav
#   /digest/  digest auth     (user dav, password davpass)   stored in WORKDIR/www/digest
#   /stale/   digest auth whose nonces live 1 s (every pause makes the client answer a stale challenge)
# The HTTPS certificate (CN and SAN 127.0.0.1/localhost) is signed by a throw-away CA made here with
# openssl (WORKDIR/tls/ca.pem); WORKDIR/tls/other-ca.pem is a second CA that signed nothing (for tests
# that a certificate outside the trusted CA is refused).
#
# usage: start.sh WORKDIR PORT HTTPS_PORT
# Prints KEY=VALUE connection info (also written to WORKDIR/conn.env). Leaves WORKDIR/httpd.pid;
# stop with stop.sh WORKDIR. Exit 3 when apache2/htpasswd/openssl are missing (tests then skip).
# Apache drops to www-data: the storage folders belong to it, the rest stays root's and readable.
set -euo pipefail
WORK=${1:?usage: start.sh WORKDIR PORT HTTPS_PORT}
PORT=${2:?usage: start.sh WORKDIR PORT HTTPS_PORT}
HTTPS_PORT=${3:?usage: start.sh WORKDIR PORT HTTPS_PORT}
M=/usr/lib/apache2/modules
for t in /usr/sbin/apache2 /usr/bin/htpasswd /usr/bin/openssl "$M/mod_dav_fs.so" "$M/mod_ssl.so" "$M/mod_auth_digest.so"; do
  [ -x "$t" ] || [ -f "$t" ] || { echo "missing: $t (run scripts/install-servers.sh)" >&2; exit 3; }
done
id www-data >/dev/null 2>&1 || { echo "missing: user www-data (installed with apache2)" >&2; exit 3; }

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
mkdir -p "$WORK/www/dav" "$WORK/www/digest" "$WORK/www/stale" "$WORK/run" "$WORK/tls" "$WORK/lock"
# www-data must reach WORKDIR (often under a 0700 mkdtemp folder of root's: the parents must be searchable).
chmod 755 "$WORK" "$WORK/www" "$WORK/run"
chown -R www-data:www-data "$WORK/www/dav" "$WORK/www/digest" "$WORK/www/stale" "$WORK/lock"
chmod 700 "$WORK/tls"

htpasswd -bc "$WORK/htpasswd" dav davpass >/dev/null 2>&1
# htdigest only reads the password interactively; its file is user:realm:MD5(user:realm:password).
printf 'dav:davrealm:%s\n' "$(printf 'dav:davrealm:davpass' | md5sum | cut -d' ' -f1)" > "$WORK/htdigest"
chmod 644 "$WORK/htpasswd" "$WORK/htdigest"

# A throw-away CA and a server certificate it signs, plus an unrelated CA.
T="$WORK/tls"
if [ ! -f "$T/server.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=duplicity test CA" \
    -keyout "$T/ca.key" -out "$T/ca.pem" >/dev/null 2>&1
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=unrelated test CA" \
    -keyout "$T/other-ca.key" -out "$T/other-ca.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$T/server.key" -out "$T/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > "$T/ext.cnf"
  openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 30 \
    -extfile "$T/ext.cnf" -out "$T/server.pem" >/dev/null 2>&1
fi
chmod 644 "$T/ca.pem" "$T/other-ca.pem"
chmod 711 "$T"

cat > "$WORK/httpd.conf" <<CONF
ServerName 127.0.0.1
ServerRoot $WORK
DefaultRuntimeDir $WORK/run
PidFile $WORK/httpd.pid
ErrorLog $WORK/error.log
LogLevel warn
User www-data
Group www-data
Listen 127.0.0.1:$PORT
Listen 127.0.0.1:$HTTPS_PORT
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule authn_core_module $M/mod_authn_core.so
LoadModule authn_file_module $M/mod_authn_file.so
LoadModule auth_basic_module $M/mod_auth_basic.so
LoadModule auth_digest_module $M/mod_auth_digest.so
LoadModule authz_user_module $M/mod_authz_user.so
LoadModule dav_module $M/mod_dav.so
LoadModule dav_fs_module $M/mod_dav_fs.so
LoadModule socache_shmcb_module $M/mod_socache_shmcb.so
LoadModule ssl_module $M/mod_ssl.so
DavLockDB $WORK/lock/davlock
DocumentRoot $WORK/www
LimitRequestBody 0
MaxKeepAliveRequests 0
SSLSessionCache shmcb:$WORK/run/ssl_scache(512000)
<Directory $WORK/www>
  Require all denied
</Directory>
<Directory $WORK/www/dav>
  Dav On
  AuthType Basic
  AuthName dav
  AuthUserFile $WORK/htpasswd
  Require valid-user
</Directory>
<Directory $WORK/www/digest>
  Dav On
  AuthType Digest
  AuthName davrealm
  AuthDigestProvider file
  AuthUserFile $WORK/htdigest
  Require valid-user
</Directory>
<Directory $WORK/www/stale>
  Dav On
  AuthType Digest
  AuthName davrealm
  AuthDigestProvider file
  AuthUserFile $WORK/htdigest
  AuthDigestNonceLifetime 1
  Require valid-user
</Directory>
<VirtualHost 127.0.0.1:$HTTPS_PORT>
  SSLEngine on
  SSLCertificateFile $T/server.pem
  SSLCertificateKeyFile $T/server.key
</VirtualHost>
CONF

/usr/sbin/apache2 -f "$WORK/httpd.conf" -k start
for _ in $(seq 1 100); do
  if curl -s -o /dev/null -u dav:davpass "http://127.0.0.1:$PORT/dav/" &&
     curl -s -o /dev/null --cacert "$T/ca.pem" -u dav:davpass "https://127.0.0.1:$HTTPS_PORT/dav/"; then
    cat > "$WORK/conn.env" <<ENV
WEBDAV_URL=http://127.0.0.1:$PORT
WEBDAVS_URL=https://127.0.0.1:$HTTPS_PORT
WEBDAV_PORT=$PORT
WEBDAVS_PORT=$HTTPS_PORT
WEBDAV_USER=dav
WEBDAV_PASSWORD=davpass
WEBDAV_ROOT=$WORK/www
WEBDAV_CA=$T/ca.pem
WEBDAV_OTHER_CA=$T/other-ca.pem
ENV
    cat "$WORK/conn.env"
    exit 0
  fi
  sleep 0.1
done
echo "webdav did not start" >&2
cat "$WORK/error.log" >&2 || true
[ -f "$WORK/httpd.pid" ] && kill "$(cat "$WORK/httpd.pid")" 2>/dev/null || true
exit 1
