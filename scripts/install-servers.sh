#!/usr/bin/env bash
# Installs the servers the integration tests start on 127.0.0.1 (Debian/Ubuntu, run as root).
# Idempotent: apt-get skips packages already installed. No daemon is started by the install.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# apt must not start daemons: the tests start their own throw-away instances
[ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; }
apt-get -o DPkg::Lock::Timeout=600 update -q

# sshd (scripts/servers/sshd/start.sh); sshpass only for the benchmark's password runs
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends openssh-server openssh-sftp-server openssh-client sshpass
