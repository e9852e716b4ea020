#!/usr/bin/env bash
# Installs what the backend tests need to run their own throw-away servers on 127.0.0.1.
# Idempotent: installs only what is missing. Each backend keeps its packages in its own block.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# apt must not start daemons on a build machine
[ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }

need=()
want() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || need+=("$1"); }

# --- S3 (s3rver from npm, see scripts/servers/s3rver; python3-boto3 for duplicity's boto3+s3 backend) ---
command -v node >/dev/null || want nodejs
command -v npm >/dev/null || want npm
want python3-boto3
# --- end S3 ---

if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# --- S3: s3rver, pinned by scripts/servers/s3rver/package-lock.json (start.sh runs npm ci on demand) ---
"$(dirname "$0")/servers/s3rver/install.sh"
# --- end S3 ---
