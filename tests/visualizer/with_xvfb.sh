#!/usr/bin/env bash
# with_xvfb.sh COMMAND [ARGS...]: runs COMMAND with DISPLAY set to a private Xvfb
# (1280x800x24 unless XVFB_SCREEN says otherwise) on a display number Xvfb picks itself,
# then stops that Xvfb (by the PID started here). Exits with COMMAND's status; 77 (ctest:
# skipped) when Xvfb is not installed.
set -u
command -v Xvfb >/dev/null 2>&1 || { echo "with_xvfb: Xvfb is not installed (Debian package xvfb)" >&2; exit 77; }
screen=${XVFB_SCREEN:-1280x800x24}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/with_xvfb.XXXXXX") || exit 1
xvfb_pid=''
cleanup() {
  if [ -n "$xvfb_pid" ]; then
    kill -TERM "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
  fi
  rm -rf -- "$tmp"
}
trap cleanup EXIT
Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp -noreset 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$tmp/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || break
  sleep 0.1
done
disp=$(tr -dc '0-9' <"$tmp/display" 2>/dev/null)
if [ -z "$disp" ]; then
  cat "$tmp/xvfb.log" >&2
  echo "with_xvfb: Xvfb did not start" >&2
  exit 1
fi
DISPLAY=":$disp" "$@"
