#!/usr/bin/env bash
# tools/fuzz.sh: build the libFuzzer targets in fuzz/ and run each one.
#
#   tools/fuzz.sh [--seconds N] [--check]
#
# --seconds N  run each target for N seconds (default 60)
# --check      the brief run of `./lab test`: meson's own fuzz tests
#              (fuzz/meson.build, 3 s each)
#
# The targets are meson targets of a clang build with -Dfuzz=true, kept in
# build-asan/ (with AddressSanitizer and UBSan: the same build in which
# ./lab test runs the programs' tests). Needs clang and libFuzzer's
# runtime (Debian: clang, libclang-rt-14-dev). What a run finds goes to
# build-asan/fuzz/corpus-NAME, never into the repository; a crashing input
# to build-asan/fuzz/NAME-crash-*. Exits non-zero on a build failure or a crash.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=build-asan  # the same build as ./lab test's sanitizer build
TARGETS=(address options)

say() { printf '%s\n' "$*"; }
die() { printf 'fuzz: error: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<'USAGE'
usage: tools/fuzz.sh [--seconds N] [--check]

Builds fuzz/*_fuzzer.cpp with libFuzzer + ASan + UBSan into build-asan/ and
runs each target, seeded from fuzz/corpus/NAME.

  --seconds N   run each target for N seconds (default 60)
  --check       a brief run, 3 s per target (for ./lab test)
USAGE
}

seconds=60
check=0
while [ $# -gt 0 ]; do
    case $1 in
        --seconds)
            [ $# -ge 2 ] || die "--seconds needs a number"
            seconds=$2; shift 2 ;;
        --seconds=*) seconds=${1#--seconds=}; shift ;;
        --check) check=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "--seconds takes a whole number of seconds above 0, not '$seconds'"

command -v clang++ >/dev/null || die "clang++ not found: apt-get install clang libclang-rt-14-dev"
if [ ! -f "$OUT/build.ninja" ]; then
    CXX=clang++ meson setup "$OUT" -Dbuildtype=debug -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
        >"$OUT.setup.log" 2>&1 || { cat "$OUT.setup.log" >&2; die "meson setup $OUT failed"; }
    rm -f "$OUT.setup.log"
fi
binaries=()
for name in "${TARGETS[@]}"; do binaries+=("fuzz/${name}_fuzzer"); done
ninja -C "$OUT" "${binaries[@]}" >"$OUT/fuzz-build.log" 2>&1 || {
    tail -n 40 "$OUT/fuzz-build.log" >&2
    die "build failed (log: $OUT/fuzz-build.log)"
}

if [ "$check" -eq 1 ]; then
    exec meson test -C "$OUT" --no-rebuild --suite fuzz --print-errorlogs
fi

# Runs one target for $seconds; prints its summary line; returns 1 on a crash.
run() {
    local name=$1 log=$OUT/fuzz/$1.log status=0
    mkdir -p "$OUT/fuzz/corpus-$name"
    "$OUT/fuzz/${name}_fuzzer" "$OUT/fuzz/corpus-$name" "fuzz/corpus/$name" \
        -max_total_time="$seconds" -max_len=256 -timeout=5 -print_final_stats=1 \
        -artifact_prefix="$OUT/fuzz/$name-" >"$log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        say "fuzz: $name: CRASH (log: $log)"
        grep -a -m 1 -A 1 -E 'invariant broken|ERROR: |runtime error:' "$log" | sed 's/^/    /' || true
        return 1
    fi
    local runs rate
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    say "fuzz: $name: ${runs:-?} runs in $seconds s (${rate:-?} execs/s), no crash"
}

failed=0
for name in "${TARGETS[@]}"; do run "$name" || failed=1; done
exit $failed
