#!/usr/bin/env bash
# Installs the test servers the backend tests start on loopback (Debian 12 packages).
# Each backend keeps its own block below; every block is idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# apt must not start daemons on a build machine
[ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
APT_UPDATED=${APT_UPDATED:-0}
apt_install() { # installs the packages that are not installed yet
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$APT_UPDATED" = 1 ] || { apt-get update -q; APT_UPDATED=1; }
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# ---- BEGIN swift (OpenStack Swift + Keystone v3 + memcached; Swift tests) ----
apt_install swift swift-proxy swift-object swift-container swift-account python3-swiftclient memcached \
  keystone python3-keystonemiddleware python3-keystoneclient uwsgi-core uwsgi-plugin-python3 curl
# ---- END swift ----
