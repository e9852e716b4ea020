#!/usr/bin/env bash
# Installs what the backend tests need to run their own throw-away servers on 127.0.0.1
# (Debian 12 packages and the npm registry; run as root). Idempotent: installs only what is
# missing, and no daemon is started by the install. Each backend keeps its packages in its block.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# apt must not start daemons: the tests start their own instances
[ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }

need=()
want() { for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p"); done; }

# ---- sshd (scripts/servers/sshd); sshpass only for the benchmark's password runs ----
want openssh-server openssh-sftp-server openssh-client sshpass
# ---- swift (OpenStack Swift + Keystone v3 + memcached; scripts/servers/swift, keystone) ----
want swift swift-proxy swift-object swift-container swift-account python3-swiftclient memcached \
  keystone python3-keystonemiddleware python3-keystoneclient uwsgi-core uwsgi-plugin-python3 curl
# ---- S3 (s3rver from npm; python3-boto3 for duplicity's boto3+s3 backend) ----
command -v node >/dev/null || want nodejs
command -v npm >/dev/null || want npm
want python3-boto3
# ---- WebDAV (Apache mod_dav + mod_ssl + mod_auth_digest; scripts/servers/webdav; openssl makes its test CA) ----
want apache2 apache2-utils openssl
# ---- Azure (Azurite from npm; python3-azure for duplicity's azure backend) ----
want python3-azure
# ---- FTP (vsftpd, scripts/servers/ftp; openssl for its throw-away certificate; lftp, which duplicity's ftp backend runs) ----
want vsftpd openssl lftp

if [ ${#need[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}"
fi

# s3rver, pinned by scripts/servers/s3rver/package-lock.json
"$(dirname "$0")/servers/s3rver/install.sh"

# Azurite, pinned by scripts/servers/azurite/package-lock.json
"$(dirname "$0")/servers/azurite/install.sh"
