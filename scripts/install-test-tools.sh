#!/usr/bin/env bash
# Installs the reference tools the tests run: duplicity 0.8.22 with the Python modules its backends
# import (paramiko for sftp/scp, pexpect for pexpect+ URLs, boto3 for S3, swiftclient/keystoneclient for
# Swift), librsync's rdiff and GnuPG, and the rclone and par2 programs the rclone:// and par2+
# backends run. duplicity is installed without recommends, so every module a test reaches through it
# is listed here by name. Idempotent: installs only what is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
want() { for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p"); done; }

want duplicity rdiff gnupg gpg-agent
# gpgconf: gpgconf and gpg-connect-agent, which the GnuPG binary engine tests use to stop and seed gpg-agent
want gpgconf
# strace: the durability test traces a real backup for fsync, rename and folder fsync
want strace
# rclone: the rclone:// backend runs it (local and sftp remotes); par2: the par2+ wrapper runs it
want rclone par2
# gcc and binutils' objcopy: the Native AOT publish of the console (its packaging test) compiles and links with them
want gcc binutils
want python3-paramiko python3-pexpect python3-boto3 python3-swiftclient python3-keystoneclient
if [ ${#need[@]} -gt 0 ]; then
  # apt must not start daemons on a build machine
  [ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}"
fi
duplicity --version
