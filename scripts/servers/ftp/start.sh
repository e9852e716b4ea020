#!/usr/bin/env bash
# Starts a throw-away vsftpd on 127.0.0.1 for the FTP backend tests.
#
# usage: start.sh WORKDIR PORT [plain|explicit|implicit] [USER] [PASV_MIN PASV_MAX]
#   WORKDIR  folder for the config, the certificate, the log and the user's home (created if missing)
#   PORT     TCP control port on 127.0.0.1
#   mode     plain (default): FTP without TLS; explicit: AUTH TLS required for login and data
#            (ftpes://, and our ftps:// default); implicit: TLS from the first byte (lftp's ftps://)
#   USER     test account to create/reuse (default: dupftp); password: $FTP_TEST_PASSWORD or dupftp-pass-123
#   PASV_MIN PASV_MAX  passive data port range (default PORT+1 .. PORT+40)
#
# Must run as root: vsftpd switches to the logged-in user. The certificate is a fresh self-signed one made
# by openssl (WORKDIR/cert.pem, also the CA file a client trusts). Leaves WORKDIR/vsftpd.pid;
# stop with stop.sh WORKDIR. Prints KEY=VALUE connection info (also WORKDIR/conn.env).
# Exit 3 when vsftpd/openssl are missing (tests then skip), 1 on other failures.
#
# TLS session reuse: vsftpd's require_ssl_reuse (default YES) refuses a data connection whose TLS session is
# not a resumption of the control connection's (522). .NET's SslStream cannot be told which session to resume:
# it keeps one session per target host for the whole process and TLS 1.3 tickets are replaced or used up, so
# the check fails on most data connections after the first. This config therefore turns it OFF
# (require_ssl_reuse=NO); FTP_TEST_SSL_REUSE=YES restores vsftpd's default to see the failure.
set -euo pipefail
WORK=${1:?usage: start.sh WORKDIR PORT [plain|explicit|implicit] [USER] [PASV_MIN PASV_MAX]}
PORT=${2:?usage: start.sh WORKDIR PORT [plain|explicit|implicit] [USER] [PASV_MIN PASV_MAX]}
MODE=${3:-plain}
TUSER=${4:-dupftp}
PASV_MIN=${5:-$((PORT + 1))}
PASV_MAX=${6:-$((PORT + 40))}
TPASS=${FTP_TEST_PASSWORD:-dupftp-pass-123}
REUSE=${FTP_TEST_SSL_REUSE:-NO}

case "$MODE" in plain|explicit|implicit) ;; *) echo "bad mode: $MODE" >&2; exit 2 ;; esac
[ -x /usr/sbin/vsftpd ] || { echo "vsftpd is not installed (scripts/install-servers.sh)" >&2; exit 3; }
command -v openssl >/dev/null || { echo "openssl is not installed" >&2; exit 3; }
[ "$(id -u)" = 0 ] || { echo "start.sh: must run as root (vsftpd switches to the test user)" >&2; exit 3; }

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
chmod 755 "$WORK"
HOME_DIR="$WORK/home"
mkdir -p "$HOME_DIR"

# vsftpd's chroot jail for its unprivileged processes (normally made by the package's tmpfiles rule)
mkdir -p /var/run/vsftpd/empty

if ! id "$TUSER" >/dev/null 2>&1; then
  useradd -M -d "$HOME_DIR" -s /bin/bash "$TUSER"
else
  usermod -d "$HOME_DIR" "$TUSER"
fi
echo "$TUSER:$TPASS" | chpasswd
chown "$TUSER:" "$HOME_DIR"

# a throw-away certificate for 127.0.0.1 / localhost (CA:TRUE so it can be its own trust anchor)
if [ "$MODE" != plain ] && [ ! -f "$WORK/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "basicConstraints=critical,CA:TRUE" \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
  chmod 600 "$WORK/key.pem"
fi

CONF="$WORK/vsftpd.conf"
cat > "$CONF" <<EOT
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$PORT
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
pam_service_name=vsftpd
userlist_enable=NO
check_shell=NO
seccomp_sandbox=NO
secure_chroot_dir=/var/run/vsftpd/empty
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$PASV_MIN
pasv_max_port=$PASV_MAX
port_enable=YES
connect_from_port_20=NO
# names starting with a dot are listed like any other (duplicity never makes them; the tests do)
force_dot_files=YES
utf8_filesystem=YES
xferlog_enable=YES
vsftpd_log_file=$WORK/vsftpd.log
log_ftp_protocol=YES
max_per_ip=0
max_clients=0
idle_session_timeout=120
data_connection_timeout=60
EOT
if [ "$MODE" != plain ]; then
  cat >> "$CONF" <<EOT
ssl_enable=YES
rsa_cert_file=$WORK/cert.pem
rsa_private_key_file=$WORK/key.pem
force_local_logins_ssl=YES
force_local_data_ssl=YES
require_ssl_reuse=$REUSE
ssl_tlsv1=YES
ssl_sslv2=NO
ssl_sslv3=NO
ssl_ciphers=HIGH
EOT
  [ "$MODE" = implicit ] && echo "implicit_ssl=YES" >> "$CONF"
fi

/usr/sbin/vsftpd "$CONF" > "$WORK/vsftpd.out" 2>&1 &
PID=$!
echo "$PID" > "$WORK/vsftpd.pid"

ok=0
for _ in $(seq 1 200); do
  kill -0 "$PID" 2>/dev/null || { echo "vsftpd died:" >&2; cat "$WORK/vsftpd.out" >&2; exit 1; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then ok=1; break; fi
  sleep 0.05
done
if [ "$ok" != 1 ]; then
  echo "vsftpd not answering on $PORT:" >&2; cat "$WORK/vsftpd.out" >&2
  kill "$PID" 2>/dev/null || true; exit 1
fi

cat > "$WORK/conn.env" <<EOT
FTP_HOST=127.0.0.1
FTP_PORT=$PORT
FTP_MODE=$MODE
FTP_USER=$TUSER
FTP_HOME=$HOME_DIR
FTP_CACERT=$([ "$MODE" != plain ] && echo "$WORK/cert.pem")
FTP_PID=$PID
EOT
cat "$WORK/conn.env"
