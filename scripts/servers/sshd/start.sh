#!/usr/bin/env bash
# Starts a throw-away OpenSSH server (with SFTP) on 127.0.0.1 for the integration tests.
#
# usage: start.sh WORKDIR PORT [key|password|both] [USER]
#   WORKDIR  folder for config, host keys, client keys, logs, the user's home (created if missing)
#   PORT     TCP port on 127.0.0.1
#   mode     key (default): public-key auth only; password: password only; both: either
#   USER     test account to create/reuse (default: duptest)
#
# Must run as root (sshd needs it to switch to the test user).
# Prints connection info as KEY=VALUE lines (also written to WORKDIR/conn.env).
# Leaves WORKDIR/sshd.pid. Stop with: scripts/servers/sshd/stop.sh WORKDIR
# Needs: openssh-server openssh-sftp-server openssh-client (scripts/install-servers.sh).
# Two instances running at the same time need two USER names (the user's home lives in WORKDIR).
set -euo pipefail

WORK=${1:?usage: start.sh WORKDIR PORT [key|password|both] [USER]}
PORT=${2:?usage: start.sh WORKDIR PORT [key|password|both] [USER]}
MODE=${3:-key}
TUSER=${4:-duptest}
TPASS=${SSHD_TEST_PASSWORD:-duptest-pass-123}

case "$MODE" in
  key)      PUBKEY=yes; PASSWD=no ;;
  password) PUBKEY=no;  PASSWD=yes ;;
  both)     PUBKEY=yes; PASSWD=yes ;;
  *) echo "bad mode: $MODE" >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || { echo "start.sh: must run as root" >&2; exit 1; }
command -v /usr/sbin/sshd >/dev/null || { echo "install openssh-server openssh-sftp-server" >&2; exit 1; }

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# the test user must be able to traverse to its home below WORKDIR
chmod 755 "$WORK"
HOME_DIR="$WORK/home"

# privilege-separation directory (normally made by systemd/tmpfiles)
mkdir -p /run/sshd && chmod 755 /run/sshd

# dedicated test user; its home (= SFTP start folder) lives under WORKDIR
if ! id "$TUSER" >/dev/null 2>&1; then
  useradd -M -d "$HOME_DIR" -s /bin/bash "$TUSER"
else
  usermod -d "$HOME_DIR" "$TUSER"
fi
# With UsePAM no, sshd refuses even key logins for a locked account ('!' in
# /etc/shadow, which is what useradd leaves), so always give it a password.
echo "$TUSER:$TPASS" | chpasswd
mkdir -p "$HOME_DIR/.ssh"

# host keys (fresh, in WORKDIR)
rm -f "$WORK"/ssh_host_* "$WORK"/client_*
ssh-keygen -q -t ed25519 -N '' -C testhost -f "$WORK/ssh_host_ed25519_key"
ssh-keygen -q -t rsa -b 2048 -N '' -C testhost -f "$WORK/ssh_host_rsa_key"
# client keys: ed25519 (OpenSSH format) and RSA in PEM format (widest client support)
ssh-keygen -q -t ed25519 -N '' -C "$TUSER@test" -f "$WORK/client_ed25519"
ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -C "$TUSER@test" -f "$WORK/client_rsa"
cat "$WORK/client_ed25519.pub" "$WORK/client_rsa.pub" > "$HOME_DIR/.ssh/authorized_keys"
chown -R "$TUSER:" "$HOME_DIR"
chmod 755 "$HOME_DIR"; chmod 700 "$HOME_DIR/.ssh"; chmod 600 "$HOME_DIR/.ssh/authorized_keys"

cat > "$WORK/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $WORK/ssh_host_ed25519_key
HostKey $WORK/ssh_host_rsa_key
PidFile $WORK/sshd.daemon.pid
AllowUsers $TUSER
PermitRootLogin no
PubkeyAuthentication $PUBKEY
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication $PASSWD
PermitEmptyPasswords no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
UseDNS no
MaxStartups 100:30:200
MaxSessions 50
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF

/usr/sbin/sshd -t -f "$WORK/sshd_config"
# -D: stay in foreground so $! is the listener; -E: log file
# setsid: the server must not die with the caller's terminal or process group
setsid /usr/sbin/sshd -D -f "$WORK/sshd_config" -E "$WORK/sshd.log" < /dev/null > /dev/null 2>&1 &
echo $! > "$WORK/sshd.pid"
# on any failure below, stop what was started
trap 'kill "$(cat "$WORK/sshd.pid")" 2>/dev/null || true' ERR

# ready when the port answers with an SSH banner; also record the host keys
for _ in $(seq 1 100); do
  if ssh-keyscan -p "$PORT" -T 1 127.0.0.1 > "$WORK/known_hosts" 2>/dev/null && [ -s "$WORK/known_hosts" ]; then
    break
  fi
  kill -0 "$(cat "$WORK/sshd.pid")" 2>/dev/null || { echo "sshd died:" >&2; cat "$WORK/sshd.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$WORK/known_hosts" ] || { echo "sshd not answering on $PORT" >&2; cat "$WORK/sshd.log" >&2; kill "$(cat "$WORK/sshd.pid")"; exit 1; }
trap - ERR

cat > "$WORK/conn.env" <<EOF
SSH_HOST=127.0.0.1
SSH_PORT=$PORT
SSH_USER=$TUSER
SSH_PASSWORD=$TPASS
SSH_AUTH_MODE=$MODE
SSH_KEY_ED25519=$WORK/client_ed25519
SSH_KEY_RSA=$WORK/client_rsa
SSH_KNOWN_HOSTS=$WORK/known_hosts
SSH_HOME=$HOME_DIR
SSH_PID=$(cat "$WORK/sshd.pid")
SSH_PIDFILE=$WORK/sshd.pid
EOF
cat "$WORK/conn.env"
