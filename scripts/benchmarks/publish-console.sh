#!/usr/bin/env bash
# Publishes the console as the benchmarks run it into DIR (a private copy: rebuilding the tree during a
# long run does not change what is measured); the program is DIR/duplicity-net in every kind.
#   KIND=aot (default)  Native AOT: one native executable, no JIT and no runtime to load. On the benchmark
#                       corpus, cold: list-current-files 0.36-0.43 -> 0.19 s, one-file restore 0.32-0.39
#                       -> 0.15 s, full backup 6.7-6.9 -> 6.1 s (with AVX2 code), peak RSS 116 -> 68 MB,
#                       against the composite ReadyToRun kind below. On x86-64 machines with AVX2 the code
#                       targets x86-64-v3, as the JIT would on them (INSTRUCTION_SET overrides it).
#   KIND=r2r            self-contained, ReadyToRun-compiled as one composite image with the runtime
#   KIND=jit            the plain Release build (framework-dependent, JIT)
#   scripts/benchmarks/publish-console.sh DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1
kind=${KIND:-aot}
rm -rf "$out"
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
# A composite or AOT publish rewrites what it leaves in obj/; a later publish of another kind would pick
# those up and fail. Each publish starts clean and leaves nothing behind.
clean() { rm -rf "Duplicity.Samples/obj/Release/net10.0/$rid" "Duplicity.Samples/bin/Release/net10.0/$rid"; }
# quiet unless it fails
run() { local log; log=$(mktemp); "$@" > "$log" 2>&1 || { cat "$log"; rm -f "$log"; exit 1; }; rm -f "$log"; }
case $kind in
  aot)
    isa=${INSTRUCTION_SET:-}
    if [ -z "$isa" ] && [ "$(uname -m)" = x86_64 ] \
      && grep -qw avx2 /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo \
      && grep -qw movbe /proc/cpuinfo; then
      isa=x86-64-v3
    fi
    clean
    run dotnet publish Duplicity.Samples/Duplicity.Samples.csproj -c Release -r "$rid" -p:PublishAot=true \
      ${isa:+-p:IlcInstructionSet=$isa} -o "$out" -v q -nologo
    clean
    what="Native AOT ($rid, instruction set ${isa:-default})" ;;
  r2r)
    clean
    run dotnet publish Duplicity.Samples/Duplicity.Samples.csproj -c Release -r "$rid" --self-contained true \
      -p:PublishReadyToRunComposite=true -p:PublishReadyToRun=true -o "$out" -v q -nologo
    clean
    what="self-contained composite ReadyToRun ($rid)" ;;
  jit)
    run dotnet build Duplicity.Samples -c Release -v q -nologo
    cp -a Duplicity.Samples/bin/Release/net10.0 "$out"
    what="framework-dependent Release build (JIT)" ;;
  *) echo "KIND must be aot, r2r or jit"; exit 2 ;;
esac
"$out/duplicity-net" --version >/dev/null
# what was published, for the benchmark's header
echo "$what" > "$out/publish-kind.txt"
