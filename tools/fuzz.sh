#!/usr/bin/env bash
# tools/fuzz.sh: build the libFuzzer targets in fuzz/ and run each one.
#
#   tools/fuzz.sh [--seconds N] [--check]
#
# --seconds N  run each target for N seconds (default 60)
# --check      a brief run (10 s per target), what `./lab test` uses
#
# Needs clang++ and libFuzzer's runtime (Debian: clang, libclang-rt-14-dev).
# Everything it writes goes to build-fuzz/: binaries, logs, the working
# corpus (a copy of fuzz/corpus/NAME, so new inputs never land in the
# repository) and crash files. Exits non-zero on a build failure or a crash.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=build-fuzz
TARGETS=(address options)
CXX=${CXX:-clang++}
CXXFLAGS=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
          -DCXXOPTS_NO_REGEX "-DCXXOPTS_VECTOR_DELIMITER=char(0)" -I lib -Wall -Wextra)

say() { printf '%s\n' "$*"; }
die() { printf 'fuzz: error: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<'USAGE'
usage: tools/fuzz.sh [--seconds N] [--check]

Builds fuzz/*_fuzzer.cpp with libFuzzer + ASan + UBSan into build-fuzz/ and
runs each target, seeded from fuzz/corpus/NAME.

  --seconds N   run each target for N seconds (default 60)
  --check       a brief run, 10 s per target (for ./lab test)
USAGE
}

seconds=60
check=0
given_seconds=0
while [ $# -gt 0 ]; do
    case $1 in
        --seconds)
            [ $# -ge 2 ] || die "--seconds needs a number"
            seconds=$2; given_seconds=1; shift 2 ;;
        --seconds=*) seconds=${1#--seconds=}; given_seconds=1; shift ;;
        --check) check=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "--seconds takes a whole number of seconds above 0, not '$seconds'"
# --check is brief unless the caller also said how long.
if [ "$check" -eq 1 ] && [ "$given_seconds" -eq 0 ]; then seconds=10; fi

command -v "$CXX" >/dev/null || die "$CXX not found: apt-get install clang libclang-rt-14-dev"
command -v pkg-config >/dev/null || die "pkg-config not found: apt-get install pkg-config"
read -r -a LIBEVENT <<<"$(pkg-config --cflags --libs libevent_core)" ||
    die "libevent_core not found: apt-get install libevent-dev"

# Which lib/ sources each target links: only what its calls reach.
# parse_client_args also switches on net's connect timeout, the reactor's
# slow-callback warning and the trace, so options takes the whole library,
# read from lib/meson.build so that a file added there is linked here too.
lib_sources() {
    grep -o "'[A-Za-z0-9_]*\.cpp'" lib/meson.build | tr -d "'" | sed 's|^|lib/|'
}
sources_for() {
    case $1 in
        address) echo lib/address.cpp ;;
        options) lib_sources ;;
    esac
}

# True when $1 is missing or older than any of the following files.
stale() {
    local target=$1 file
    shift
    [ -e "$target" ] || return 0
    for file in "$@"; do
        [ "$file" -nt "$target" ] && return 0
    done
    return 1
}

mkdir -p "$OUT/obj"
BUILD_LOG=$OUT/build.log
: >"$BUILD_LOG"

# One object per source, shared by both targets. A header or this script
# (the flags) changing rebuilds everything: coarse, but never stale.
object_for() { printf '%s/obj/%s.o' "$OUT" "$(basename "${1%.cpp}")"; }

compile() {
    local src=$1 obj
    obj=$(object_for "$1")
    if stale "$obj" "$src" lib/*.hpp "${BASH_SOURCE[0]}"; then
        "$CXX" "${CXXFLAGS[@]}" -c "$src" -o "$obj" >>"$BUILD_LOG" 2>&1 || {
            tail -n 40 "$BUILD_LOG" >&2
            say "fuzz: build failed: $src (log: $BUILD_LOG)"
            exit 1
        }
    fi
}

build() {
    local name=$1 binary=$OUT/${1}_fuzzer objects=() src
    for src in fuzz/${name}_fuzzer.cpp $(sources_for "$name"); do
        compile "$src"
        objects+=("$(object_for "$src")")
    done
    if stale "$binary" "${objects[@]}"; then
        "$CXX" "${CXXFLAGS[@]}" "${objects[@]}" "${LIBEVENT[@]}" -o "$binary" >>"$BUILD_LOG" 2>&1 || {
            tail -n 40 "$BUILD_LOG" >&2
            say "fuzz: build failed: $binary (log: $BUILD_LOG)"
            exit 1
        }
    fi
}

# Runs one target; prints its summary line; returns 1 on a crash.
run() {
    local name=$1 binary=$OUT/${1}_fuzzer corpus=$OUT/corpus-$1 log=$OUT/$1.log
    mkdir -p "$corpus"
    cp fuzz/corpus/"$name"/* "$corpus"/  # the working copy keeps what earlier runs found
    local start end status=0
    start=$(date +%s.%N)
    # -timeout: one input taking seconds is a hang worth reporting, even in
    # a 10-second check.
    "$binary" "$corpus" -max_total_time="$seconds" -max_len=256 -timeout=5 \
        -print_final_stats=1 -artifact_prefix="$OUT/" >"$log" 2>&1 || status=$?
    end=$(date +%s.%N)

    if [ "$status" -ne 0 ]; then
        local artifact
        artifact=$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$log" | tail -n 1)
        say "fuzz: $name: CRASH, input saved in ${artifact:-(none: exit status $status)} (log: $log)"
        # What broke (our check's message or the sanitizer's first line),
        # then the end of the log: the input, escaped and in Base64.
        {
            grep -a -m 1 -A 1 -E 'invariant broken|ERROR: |runtime error:' "$log" || true
            grep -a -v '^stat::' "$log" | tail -n 8
        } | sed 's/^/    /'
        return 1
    fi
    local runs rate elapsed
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    say "fuzz: $name: ${runs:-?} runs in $elapsed s (${rate:-?} execs/s), no crash"
}

for name in "${TARGETS[@]}"; do build "$name"; done
failed=0
for name in "${TARGETS[@]}"; do run "$name" || failed=1; done
exit $failed
