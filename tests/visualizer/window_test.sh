#!/usr/bin/env bash
# window_test.sh POP3_VIZ PNG_CHECK OUT_DIR: for every lab, runs the real pop3-viz in a
# private Xvfb (with_xvfb.sh starts it), performs all the lab's steps, saves the window
# after 100 frames and checks the picture is 1280x800 and not one colour. Exit 77 (ctest:
# skipped) without Xvfb.
set -u
viz=$1 check=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v Xvfb >/dev/null 2>&1 || { echo "window_test: no Xvfb (Debian package xvfb): skipped" >&2; exit 77; }
mkdir -p "$out" || exit 1
# Mesa's llvmpipe leaks a few bytes from code it unloads at exit, where LeakSanitizer can
# no longer name it; our own code's leaks are caught by the headless tests.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
labs=$("$viz" --list-labs | cut -f1) || { echo "window_test: --list-labs failed" >&2; exit 1; }
[ -n "$labs" ] || { echo "window_test: no labs" >&2; exit 1; }
failed=0
for n in $labs; do
  png="$out/lab$n.png"
  rm -f "$png"
  if ! "$here/with_xvfb.sh" "$viz" --no-settings --lab "$n" --steps 1000 --frames 120 \
       --screenshot-after 100 --screenshot "$png"; then
    echo "window_test: pop3-viz --lab $n failed" >&2
    failed=1
    continue
  fi
  "$check" "$png" 1280 800 64 || failed=1
done
exit $failed
