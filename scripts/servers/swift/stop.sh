#!/usr/bin/env bash
# Stops the swift test server started by scripts/servers/swift/start.sh WORKDIR: kills exactly the PIDs in
# WORKDIR/swift.pid (never by name) and waits up to 15 s for them to exit.
# usage: scripts/servers/swift/stop.sh WORKDIR [--delete]   (--delete also removes WORKDIR)
set -uo pipefail
WORK=${1:?usage: stop.sh WORKDIR [--delete]}
PIDFILE="$WORK/swift.pid"
if [ -f "$PIDFILE" ]; then
  pids=$(cat "$PIDFILE")
  kill $pids 2>/dev/null || true
  for _ in $(seq 1 150); do
    alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  [ -z "${alive:-}" ] || kill -9 $alive 2>/dev/null || true
  rm -f "$PIDFILE"
fi
[ "${2:-}" = --delete ] && rm -rf "$WORK"
exit 0
