#!/usr/bin/env bash
# Installs the reference tools the tests run: duplicity 0.8.22, librsync's rdiff and GnuPG.
set -euo pipefail
need=()
command -v duplicity >/dev/null || need+=(duplicity)
command -v rdiff >/dev/null || need+=(rdiff)
command -v gpg >/dev/null || need+=(gnupg)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # apt must not start daemons on a build machine
  [ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
duplicity --version
