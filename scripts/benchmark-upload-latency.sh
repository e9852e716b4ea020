#!/usr/bin/env bash
# What --asynchronous-upload gains against distant servers: full backups to the real SFTP, S3 (s3rver) and
# Swift (+ Keystone) servers behind a proxy adding 50 ms per round trip, with and without the option
# (Duplicity.Tests/Backends/UploadLatencyBenchmark.cs). Needs scripts/install-servers.sh; run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Duplicity.Tests -c Release -v q -nologo >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
dotnet test Duplicity.Tests -c Release --no-build --filter "FullyQualifiedName~UploadLatencyBenchmark" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "round trip|Passed|Failed|Error|error" || true
