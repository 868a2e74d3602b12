#!/usr/bin/env bash
# The short fuzz run of the test suite (ctest: fuzz_short_run). Builds the fuzz targets with
# clang, libFuzzer, ASan and UBSan in a build tree of their own, then fuzzes each target for
# a few seconds from its seeds. Fails on any crash, leak, timeout or out-of-memory, and
# keeps the input that caused it (the path is printed; docs/fuzzing.md says what next).
#
# usage: short-run.sh SOURCE_DIR BUILD_DIR SEEDS_DIR SECONDS_PER_TARGET
# Exit 77 (ctest: skipped) when clang or its libFuzzer runtime is missing.
set -euo pipefail
src=$1 build=$2 seeds=$3 seconds=$4
targets=(command reply dot_stuffing line_framer server_session client_session trace_reader
         passwd_file lab_file)

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz_short_run: clang++ not found: skipped (scripts/install-deps installs it)"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/pop3lab-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' \
  >"$work/probe.cpp"
if ! clang++ -fsanitize=fuzzer,address,undefined "$work/probe.cpp" -o "$work/probe" 2>"$work/probe.log"; then
  cat "$work/probe.log"
  echo "fuzz_short_run: clang cannot link libFuzzer (libclang-rt-*-dev missing): skipped"
  exit 77
fi

start=$SECONDS
# Debug -O1: sanitizer builds at -O0 run several times slower under the fuzzer.
cmake -S "$src" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
  -DPOP3LAB_SANITIZERS="address;undefined" -DPOP3LAB_FUZZ_ENGINE=libfuzzer \
  -DPOP3LAB_BUILD_GUI=OFF -DPOP3LAB_BUILD_TESTS=OFF -DPOP3LAB_BUILD_BENCHMARKS=OFF \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$build" --target fuzz_targets -j "${POP3LAB_FUZZ_BUILD_JOBS:-2}" >"$work/build.log" 2>&1 ||
  { tail -n 60 "$work/build.log"; exit 1; }
echo "fuzz_short_run: clang build took $((SECONDS - start)) s"

crashes="$build/crashes"
mkdir -p "$crashes" "$work/tmp"
failed=0
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  mkdir -p "$corpus"
  dirs=()
  for d in "$src/fuzz/corpus/$t" "$seeds/$t"; do [[ -d $d ]] && dirs+=("$d"); done
  # The shipped lab files are up to 10 KB, the documented trace 4 KB.
  max_len=4096
  [[ $t == lab_file || $t == trace_reader ]] && max_len=16384
  # The first directory receives new inputs: a temporary one, so the source tree stays clean.
  if TMPDIR="$work/tmp" "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -seed="${POP3LAB_FUZZ_SEED:-1}" -timeout=10 \
      -rss_limit_mb=2048 -max_len="$max_len" -dict="$src/fuzz/pop3.dict" -print_final_stats=1 \
      -artifact_prefix="$crashes/$t-" "$corpus" "${dirs[@]}" >"$work/$t.log" 2>&1; then
    stats=$(grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec)' "$work/$t.log" |
            sed 's/^stat:://' | tr '\n' ' ')
    cov=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$t.log" | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
    echo "fuzz_short_run: $t ok: $stats$cov"
  else
    failed=1
    echo "fuzz_short_run: $t FAILED"
    grep -E 'invariant broken|ERROR: |SUMMARY: |Test unit written to|^    #[0-9] ' "$work/$t.log" | head -n 40
    echo "fuzz_short_run: the input is kept under $crashes/ (replay: $build/fuzz/fuzz_$t FILE)"
  fi
done
echo "fuzz_short_run: $((SECONDS - start)) s in all"
exit "$failed"
