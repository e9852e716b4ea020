#!/usr/bin/env bash
# Stops the sshd started by start.sh in WORKDIR: the listener and the session processes it forked
# (open connections drop at once). Only the PIDs below the pid file are touched.
#
# usage: stop.sh WORKDIR
set -uo pipefail
WORK=${1:?usage: stop.sh WORKDIR}
PIDFILE="$WORK/sshd.pid"
[ -f "$PIDFILE" ] || exit 0
PID=$(cat "$PIDFILE")

descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

if kill -0 "$PID" 2>/dev/null; then
  PIDS="$PID $(descendants "$PID" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  kill $PIDS 2>/dev/null
  for _ in $(seq 1 50); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -9 $PIDS 2>/dev/null
fi
rm -f "$PIDFILE"
exit 0
