#!/usr/bin/env bash
# Installs the tools scripts/benchmark.sh compares with besides duplicity (which
# scripts/install-test-tools.sh installs): restic and borg. Benchmarks are not tests, so these are kept
# out of the test-tool scripts; benchmark.sh skips a tool that is missing and says so.
# Idempotent: installs only what is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
want() { for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p"); done; }

# time: /usr/bin/time measures wall, CPU and peak RSS of every run
want restic borgbackup time
if [ ${#need[@]} -gt 0 ]; then
  # apt must not start daemons on a build machine
  [ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}"
fi
restic version
borg --version
