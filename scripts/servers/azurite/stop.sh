#!/usr/bin/env bash
# Stops the azurite started by start.sh WORKDIR (by the pid in its pid file, never by name).
# usage: stop.sh WORKDIR
set -euo pipefail
WORK=${1:?usage: stop.sh WORKDIR}
PIDFILE="$WORK/azurite.pid"
[ -f "$PIDFILE" ] || exit 0
PID=$(cat "$PIDFILE")
if kill "$PID" 2>/dev/null; then
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$PID" 2>/dev/null || true
fi
rm -f "$PIDFILE"
