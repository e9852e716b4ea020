#!/usr/bin/env bash
# Records a deliberate change of the public surface: builds the solution, and for each package
# adds the symbols the build reports as new (RS0016) to PublicAPI.Unshipped.txt and marks the ones
# it reports as gone (RS0017) *REMOVED* there (or drops them if they were never shipped). Review
# the diff of the PublicAPI.*.txt files like any other change.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet build Duplicity.sln -c Release --no-incremental > "$log" 2>&1 || true
python3 - "$log" <<'PY'
import re, sys, os, collections
added, removed = collections.defaultdict(set), collections.defaultdict(set)
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    m = re.search(r"error RS0016: Symbol '(.+)' is not part of the declared public API.*\[(.+\.csproj)\]", line)
    if m: added[os.path.dirname(m.group(2))].add(m.group(1)); continue
    m = re.search(r"error RS0017: Symbol '(.+)' is part of the declared API, but .*\[(.+\.csproj)\]", line)
    if m: removed[os.path.dirname(m.group(2))].add(m.group(1))
for project in sorted(set(added) | set(removed)):
    path = os.path.join(project, 'PublicAPI.Unshipped.txt')
    shipped = set(open(os.path.join(project, 'PublicAPI.Shipped.txt'), encoding='utf-8').read().splitlines())
    lines = open(path, encoding='utf-8').read().splitlines()
    header = [l for l in lines if l.startswith('#')] or ['#nullable enable']
    body = set(l for l in lines if l and not l.startswith('#'))
    body |= added[project]
    for symbol in removed[project]:
        if symbol in body: body.discard(symbol)
        elif symbol in shipped: body.add('*REMOVED*' + symbol)
    open(path, 'w', encoding='utf-8').write('\n'.join(header + sorted(body)) + '\n')
    print(f"{path}: +{len(added[project])} -{len(removed[project])}")
PY
rm -f "$log"
dotnet build Duplicity.sln -c Release 2>&1 | grep -E "error RS00(16|17)" && { echo "public API files still disagree with the code"; exit 1; }
echo "public API files match the code"
