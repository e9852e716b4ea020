#!/usr/bin/env bash
# Starts a throw-away S3 server (s3rver, pinned in package-lock.json) on 127.0.0.1 for tests.
#
# usage: start.sh WORKDIR PORT [BUCKET...]
#   WORKDIR  folder for the object data (WORKDIR/data), the log and the pid file (created if missing)
#   PORT     TCP port on 127.0.0.1
#   BUCKET   buckets to create at start-up
# Credentials are fixed by s3rver: access key S3RVER, secret S3RVER, any region; use path-style URLs.
# Prints KEY=VALUE connection info (also written to WORKDIR/conn.env). Leaves WORKDIR/s3rver.pid;
# stop with stop.sh WORKDIR. Exit 3 when node/npm is missing (tests then skip), 1 on other failures.
set -euo pipefail
WORK=${1:?usage: start.sh WORKDIR PORT [BUCKET...]}
PORT=${2:?usage: start.sh WORKDIR PORT [BUCKET...]}
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
S3RVER_HOME=$("$HERE/install.sh")
BIN="$S3RVER_HOME/node_modules/s3rver/bin/s3rver.js"

mkdir -p "$WORK/data"
WORK=$(cd "$WORK" && pwd)
ARGS=(-d "$WORK/data" -a 127.0.0.1 -p "$PORT")
for b in "$@"; do ARGS+=(--configure-bucket "$b"); done

# s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node >= 17) offers only
# through its legacy provider: without it every listing past 1000 keys answers 500 InternalError.
NODE_FLAGS=()
if node --openssl-legacy-provider -e 0 >/dev/null 2>&1; then NODE_FLAGS+=(--openssl-legacy-provider); fi

node "${NODE_FLAGS[@]}" "$BIN" "${ARGS[@]}" > "$WORK/s3rver.log" 2>&1 &
PID=$!
echo "$PID" > "$WORK/s3rver.pid"

# Ready = the port accepts connections (s3rver listens only once the buckets exist).
ok=0
for _ in $(seq 1 200); do
  kill -0 "$PID" 2>/dev/null || { echo "s3rver died:" >&2; cat "$WORK/s3rver.log" >&2; exit 1; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then ok=1; break; fi
  sleep 0.05
done
if [ "$ok" != 1 ]; then
  echo "s3rver not answering on $PORT:" >&2; cat "$WORK/s3rver.log" >&2
  kill "$PID" 2>/dev/null || true; exit 1
fi

cat > "$WORK/conn.env" <<EOT
S3_ENDPOINT=http://127.0.0.1:$PORT
S3_ACCESS_KEY=S3RVER
S3_SECRET_KEY=S3RVER
S3_REGION=us-east-1
S3_FORCE_PATH_STYLE=true
S3_DATA_DIR=$WORK/data
S3_BUCKETS="$*"
S3_PID=$PID
S3_PIDFILE=$WORK/s3rver.pid
EOT
cat "$WORK/conn.env"
