#!/usr/bin/env bash
# Checks, before any test runs, that every reference tool, server program and Python module the
# tests use is present, and names each missing one with the script that installs it. CI runs it
# after the installs so a missing install step fails loudly instead of as a test deep in the run.
set -uo pipefail
missing=0
tool() {   # tool NAME INSTALLER
  command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { echo "missing: $1 (installed by $2)"; missing=1; }
}
module() { # module PYTHON_MODULE INSTALLER
  /usr/bin/python3 -c "import $1" >/dev/null 2>&1 || { echo "missing: Python module $1 for /usr/bin/python3 (installed by $2)"; missing=1; }
}
t=scripts/install-test-tools.sh; s=scripts/install-servers.sh
for x in duplicity rdiff gpg gpg-agent gpgconf gpg-connect-agent /usr/lib/gnupg/gpg-preset-passphrase gzip python3 setpriv chown chattr mount strace rclone par2 gcc objcopy; do tool "$x" "$t"; done
for m in duplicity.selection duplicity.backends.ssh_paramiko_backend paramiko pexpect boto3 swiftclient keystoneclient; do module "$m" "$t"; done
for x in /usr/sbin/sshd /usr/lib/openssh/sftp-server ssh ssh-keygen sshpass \
         /usr/bin/swift-proxy-server /usr/bin/swift-object-server /usr/bin/swift-container-server /usr/bin/swift-account-server \
         /usr/bin/keystone-wsgi-public keystone-manage memcached uwsgi curl node npm \
         /usr/sbin/apache2 htpasswd openssl /usr/sbin/vsftpd lftp; do tool "$x" "$s"; done
for m in mod_dav mod_dav_fs mod_ssl mod_auth_digest mod_socache_shmcb; do
  [ -f "/usr/lib/apache2/modules/$m.so" ] || { echo "missing: Apache module $m (installed by $s)"; missing=1; }
done
for m in swift keystone keystonemiddleware azure.storage.blob; do module "$m" "$s"; done
# s3rver lives where scripts/servers/s3rver/install.sh puts it (a folder keyed by the lock file's hash)
hash=$(cat scripts/servers/s3rver/package.json scripts/servers/s3rver/package-lock.json | sha256sum | cut -c1-12)
[ -f "${S3RVER_HOME:-${TMPDIR:-/tmp}/dup-test-s3rver-$hash}/node_modules/s3rver/bin/s3rver.js" ] \
  || { echo "missing: s3rver (installed by $s)"; missing=1; }
# Azurite likewise (scripts/servers/azurite/install.sh)
hash=$(cat scripts/servers/azurite/package.json scripts/servers/azurite/package-lock.json | sha256sum | cut -c1-12)
[ -e "${AZURITE_HOME:-${TMPDIR:-/tmp}/dup-test-azurite-$hash}/node_modules/.bin/azurite-blob" ] \
  || { echo "missing: azurite (installed by $s)"; missing=1; }
if [ "$missing" -ne 0 ]; then echo "test prerequisites missing: run $t and $s"; exit 1; fi
echo "test prerequisites: all present"
