#!/usr/bin/env bash
# Starts a throw-away Azure blob server (Azurite, pinned in package-lock.json) on 127.0.0.1 for tests.
#
# usage: start.sh WORKDIR PORT
#   WORKDIR  folder for the blob data (WORKDIR/data), the log and the pid file (created if missing)
#   PORT     TCP port on 127.0.0.1
# Azurite serves the well-known development account devstoreaccount1 (its documented, public key).
# Prints KEY=VALUE connection info (also written to WORKDIR/conn.env). Leaves WORKDIR/azurite.pid;
# stop with stop.sh WORKDIR. Exit 3 when node/npm is missing (tests then skip), 1 on other failures.
set -euo pipefail
WORK=${1:?usage: start.sh WORKDIR PORT}
PORT=${2:?usage: start.sh WORKDIR PORT}
HERE=$(cd "$(dirname "$0")" && pwd)
AZURITE_HOME=$("$HERE/install.sh")
BIN="$AZURITE_HOME/node_modules/.bin/azurite-blob"

mkdir -p "$WORK/data"
WORK=$(cd "$WORK" && pwd)
# --loose: accept headers Azurite does not implement; --skipApiVersionCheck: newer SDKs send newer API versions.
"$BIN" --blobHost 127.0.0.1 --blobPort "$PORT" --location "$WORK/data" --skipApiVersionCheck --loose \
  > "$WORK/azurite.log" 2>&1 &
PID=$!
echo "$PID" > "$WORK/azurite.pid"

ok=0
for _ in $(seq 1 1200); do   # up to a minute: node starts slowly on a busy machine
  kill -0 "$PID" 2>/dev/null || { echo "azurite died:" >&2; cat "$WORK/azurite.log" >&2; exit 1; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then ok=1; break; fi
  sleep 0.05
done
if [ "$ok" != 1 ]; then
  echo "azurite not answering on $PORT:" >&2; cat "$WORK/azurite.log" >&2
  kill "$PID" 2>/dev/null || true; exit 1
fi

ACCOUNT=devstoreaccount1
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
ENDPOINT="http://127.0.0.1:$PORT/$ACCOUNT"
cat > "$WORK/conn.env" <<EOT
AZURE_BLOB_ENDPOINT=$ENDPOINT
AZURE_ACCOUNT_NAME=$ACCOUNT
AZURE_ACCOUNT_KEY=$KEY
AZURE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$KEY;BlobEndpoint=$ENDPOINT;"
AZURITE_DATA_DIR=$WORK/data
AZURITE_PID=$PID
AZURITE_PIDFILE=$WORK/azurite.pid
EOT
cat "$WORK/conn.env"
