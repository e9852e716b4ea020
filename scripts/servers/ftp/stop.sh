#!/usr/bin/env bash
# Stops the vsftpd started by start.sh WORKDIR (by the pid in its pid file, never by name), and the
# session processes it forked for logged-in clients (its children).
# usage: stop.sh WORKDIR
set -euo pipefail
WORK=${1:?usage: stop.sh WORKDIR}
PIDFILE="$WORK/vsftpd.pid"
[ -f "$PIDFILE" ] || exit 0
PID=$(cat "$PIDFILE")
KIDS=$(pgrep -P "$PID" 2>/dev/null || true)
if kill "$PID" 2>/dev/null; then
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$PID" 2>/dev/null || true
fi
for k in $KIDS; do kill "$k" 2>/dev/null || true; done
rm -f "$PIDFILE"
