#!/usr/bin/env python3
"""Summarises scripts/benchmark.sh's results.tsv: prints the report and writes it as markdown.

    benchmark-report.py HEADER RESULTS REPORT_MD [SMALL_ONLY]

RESULTS rows: mode, operation, tool, round, wall s, CPU s (user + system), peak RSS KB, status, stored
bytes (or -). For each mode, operation and tool: median wall time with its min–max over the rounds,
median CPU, median peak RSS, stored bytes, and the check's outcome over all rounds; then the ratios
of median wall times, each tool's over ours (> 1: ours is faster).
"""
import statistics, sys

OPS = ["full", "incremental", "restore-full", "restore-chain", "restore-one", "list", "full-small"]
TOOLS = ["duplicity", "ours", "restic", "borg-lz4", "borg-zlib"]

def main():
    header, results, out = sys.argv[1:4]
    small_only = sys.argv[4] if len(sys.argv) > 4 else "?"
    labels = {"full": "full backup", "incremental": "incremental (after a day of changes)",
              "restore-full": "restore of the full", "restore-chain": "restore of the chain (latest)",
              "restore-one": "restore one small file (latest)", "list": "list files (latest)",
              "full-small": f"full backup of {small_only} small files"}
    rows = {}
    for line in open(results):
        f = line.rstrip("\n").split("\t")
        if len(f) < 9:
            continue
        mode, op, tool = f[0], f[1], f[2]
        rows.setdefault((mode, op, tool), []).append(
            (float(f[4]), float(f[5]), int(f[6]), f[7], None if f[8] == "-" else int(f[8])))
    md = ["# Benchmark report (scripts/benchmark.sh)", ""]
    md += ["    " + l.rstrip("\n") for l in open(header)]
    md += ["", "Wall and CPU (user + system) in seconds: median over the rounds, wall's min–max in brackets. "
           "Peak RSS: median, MB. Stored: bytes the backup added to its repository (last round). "
           "Check: restores compared with the source (contents, modes, mtimes, symlinks, owners when root); "
           "list: the listing names the restored file; ok n/n or the rounds that failed.", ""]
    modes = [m for m in ("plain", "encrypted") if any(k[0] == m for k in rows)]
    tools = [t for t in TOOLS if any(k[2] == t for k in rows)]
    med = {}
    for mode in modes:
        md += [f"## {mode}" + (" (restic always encrypts)" if mode == "plain" and "restic" in tools else ""), ""]
        md += ["| operation | tool | wall s (min–max) | CPU s | peak RSS MB | stored bytes | check |",
               "|---|---|---|---|---|---|---|"]
        for op in OPS:
            for tool in tools:
                r = rows.get((mode, op, tool))
                if not r:
                    continue
                walls = [x[0] for x in r]
                wall, cpu, rss = statistics.median(walls), statistics.median(x[1] for x in r), statistics.median(x[2] for x in r)
                med[(mode, op, tool)] = (wall, cpu)
                bad = [x[3] for x in r if x[3] != "ok"]
                check = f"ok {len(r)}/{len(r)}" if not bad else f"**{len(bad)}/{len(r)} {', '.join(sorted(set(bad)))}**"
                stored = next((x[4] for x in reversed(r) if x[4] is not None), None)
                md.append(f"| {labels[op]} | {tool} | {wall:.2f} ({min(walls):.2f}–{max(walls):.2f}) | {cpu:.2f} | "
                          f"{rss / 1024:.1f} | {'' if stored is None else f'{stored:,}'} | {check} |")
        md.append("")
        others = [t for t in tools if t != "ours"]
        if "ours" in tools and others:
            md += [f"Ratios ({mode}): other tool's median / ours, wall (CPU); > 1 means ours is faster.", "",
                   "| operation | " + " | ".join(f"{t} / ours" for t in others) + " |",
                   "|---|" + "---|" * len(others)]
            for op in OPS:
                o = med.get((mode, op, "ours"))
                if not o:
                    continue
                cells = []
                for t in others:
                    x = med.get((mode, op, t))
                    cells.append("" if not x else f"{ratio(x[0], o[0])} ({ratio(x[1], o[1])})")
                md.append(f"| {labels[op]} | " + " | ".join(cells) + " |")
            md.append("")
    failed = [k for k, r in rows.items() if any(x[3] != "ok" for x in r)]
    md.append("FAILED rows: " + ", ".join(f"{m}/{o}/{t}" for m, o, t in sorted(failed)) if failed
              else "Every run succeeded and every check passed.")
    text = "\n".join(md) + "\n"
    open(out, "w").write(text)
    print(text)
    print(f"(written to {out})")

def ratio(a, b):
    return f"{a / b:.2f}" if b > 0 else "n/a"

if __name__ == "__main__":
    main()
