#!/usr/bin/env bash
# Smoke-test what scripts/build-app.sh built, as a person gets it: install
# dist/threadline_*.deb (as root: CI runs as root), run the installed
# `threadline` from a folder outside the checkout with no project venv on the
# PATH (--help, sample, info, export, export-png, the first window offscreen,
# the window on the sample story), check it wrote nothing beside itself, then
# remove the package and check every file it installed is gone. The unpacked
# .tar.gz gets the same commands. Prints the bundle's size and first-window time.
set -u
cd "$(dirname "$0")/.." || exit 1
checkout=$(pwd)

fail() { echo "smoke-app: FAILED: $*" >&2; exit 1; }
say() { echo "smoke-app: $*"; }

debs=(dist/threadline_*_*.deb)
[ -f "${debs[0]}" ] || fail "no dist/threadline_*.deb: run scripts/build-app.sh first"
[ "${#debs[@]}" -eq 1 ] || fail "more than one .deb in dist/: ${debs[*]}"
deb="$checkout/${debs[0]}"
tarballs=(dist/threadline-*-linux-*.tar.gz)
[ -f "${tarballs[0]}" ] || fail "no dist/threadline-*.tar.gz: run scripts/build-app.sh first"
tarball="$checkout/${tarballs[0]}"

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo -n true 2>/dev/null || fail "installing the .deb needs root (CI runs as root) or password-less sudo"
  sudo="sudo -n"
fi
apt_get() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y -q "$@"; }

work=$(mktemp -d /tmp/threadline-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/run"
# The person's environment: a fresh home, the system's PATH (without
# /usr/local, where a pip-installed threadline could hide the package's),
# no Python of ours.
clean_env=(env -i "HOME=$work/home" "PATH=/usr/sbin:/usr/bin:/sbin:/bin"
           "LANG=C.UTF-8" "QT_QPA_PLATFORM=offscreen" "TMPDIR=/tmp")
in_clean() { (cd "$work/run" && "${clean_env[@]}" "$@"); }

# the checks the installed and the unpacked app both get: $1 is the command
exercise() {
  local app=$1 label=$2 out="$work/run/$2"
  mkdir -p "$out"
  in_clean timeout 120 "$app" --help >"$out/help.txt" 2>&1 || fail "$label: --help failed: $(tail -3 "$out/help.txt")"
  grep -q "export-png" "$out/help.txt" || fail "$label: --help does not list the commands"
  in_clean timeout 120 "$app" sample --out "$out/s.db" >/dev/null || fail "$label: sample --out failed"
  in_clean timeout 120 "$app" info "$out/s.db" --json >"$out/info.json" || fail "$label: info failed"
  grep -q '"events": [1-9]' "$out/info.json" || fail "$label: the sample story has no events: $(head -c 300 "$out/info.json")"
  in_clean timeout 120 "$app" export "$out/s.db" --format json --out "$out/s.json" >/dev/null || fail "$label: export json failed"
  in_clean timeout 300 "$app" export-png "$out/s.db" --out "$out/both.png" --view both >/dev/null 2>"$out/png.err" ||
    fail "$label: export-png failed: $(tail -3 "$out/png.err")"
  [ "$(head -c 8 "$out/both.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$label: export-png wrote no PNG"
  [ "$(stat -c %s "$out/both.png")" -gt 50000 ] || fail "$label: the exported PNG is nearly empty"
  say "$label: --help, sample, info, export and export-png work from $work/run"
}

# ---- the Debian package
if dpkg-query -W -f='${Status}' threadline 2>/dev/null | grep -q "ok installed"; then
  say "removing an earlier threadline package first"
  apt_get remove threadline >/dev/null || fail "cannot remove the earlier threadline package"
fi
if ! apt_get install "$deb" >"$work/apt.log" 2>&1; then
  say "installing needs packages not on this machine: updating the package lists and trying again"
  apt_get update >/dev/null 2>&1
  if ! apt_get install "$deb" >"$work/apt.log" 2>&1; then
    tail -5 "$work/apt.log" >&2
    say "apt-get could not install it; trying dpkg alone"
    $sudo dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { tail -5 "$work/dpkg.log" >&2; fail "cannot install $deb"; }
  fi
fi
mapfile -t installed < <(dpkg-query -L threadline)
[ "${#installed[@]}" -gt 100 ] || fail "dpkg lists only ${#installed[@]} files for threadline"
say "installed $(basename "$deb"): ${#installed[@]} paths"
touch "$work/installed-marker"

[ "$(in_clean sh -c 'command -v threadline')" = /usr/bin/threadline ] || fail "threadline is not /usr/bin/threadline on the PATH"
[ -f /usr/share/applications/threadline.desktop ] || fail "no desktop entry"
grep -q '^Exec=/opt/threadline/threadline open %f$' /usr/share/applications/threadline.desktop || fail "the desktop entry's Exec is wrong"
grep -q '^MimeType=.*application/vnd.sqlite3' /usr/share/applications/threadline.desktop || fail "the desktop entry opens no .db files"
[ -f /usr/share/icons/hicolor/scalable/apps/threadline.svg ] || fail "no icon"
exercise threadline installed

# The first window, timed with bench/startup_probe.py inside the bundle:
# from before the process starts to the timeline's first paint; the median
# of three starts (the first after installing reads the files from disk).
probe_db="$work/run/installed/s.db"
times=()
for _ in 1 2 3; do
  before=$(date +%s.%N)
  painted=$(in_clean env THREADLINE_STARTUP_PROBE="$probe_db" timeout 120 threadline 2>"$work/probe.err") ||
    fail "the first window did not open: $(tail -3 "$work/probe.err")"
  t=$(echo "$painted" | sed -n 's/.*"painted_at": *\([0-9.]*\).*/\1/p' | awk -v b="$before" '{printf "%.2f", $1 - b}')
  [ -n "$t" ] || fail "the start-up probe printed no time: $painted"
  times+=("$t")
done
first_window=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
say "first window (timeline painted, offscreen): $first_window s after launch (median of ${times[*]})"

# With no file the window opens on the sample story, built in the user's data folder.
(cd "$work/run" && exec "${clean_env[@]}" threadline >"$work/window.log" 2>&1) &
window_pid=$!
for _ in $(seq 1 120); do
  [ -f "$work/home/.local/share/Threadline/sample.db" ] && break
  kill -0 "$window_pid" 2>/dev/null || break
  sleep 0.5
done
sleep 1
kill -0 "$window_pid" 2>/dev/null || fail "the window on the sample story exited: $(tail -3 "$work/window.log")"
kill "$window_pid"; wait "$window_pid" 2>/dev/null
[ -f "$work/home/.local/share/Threadline/sample.db" ] || fail "the sample story was not built in ~/.local/share/Threadline"
grep -q Traceback "$work/window.log" && fail "the window printed a traceback: $(cat "$work/window.log")"
say "the window opens on the sample story, kept in ~/.local/share/Threadline/sample.db"

written=$(find /opt/threadline /usr/bin/threadline -newer "$work/installed-marker" | head -5)
[ -z "$written" ] || fail "the app wrote beside itself: $written"
size_mb=$(du -sm /opt/threadline | cut -f1)
say "the app wrote nothing in /opt/threadline; the bundle is $size_mb MB unpacked"
[ "$size_mb" -le 250 ] || say "warning: the bundle is over its 250 MB budget"

apt_get remove threadline >"$work/apt-remove.log" 2>&1 || { tail -5 "$work/apt-remove.log" >&2; fail "apt-get remove threadline failed"; }
left=()
for path in "${installed[@]}"; do
  # folders shared with other packages (/usr, /usr/bin, ...) stay; our own go
  if [ -d "$path" ] && [ ! -L "$path" ]; then
    case "$path" in /opt/threadline*|/usr/share/doc/threadline) left+=("$path") ;; esac
  elif [ -e "$path" ] || [ -L "$path" ]; then
    left+=("$path")
  fi
done
[ -e /opt/threadline ] && left+=(/opt/threadline)
[ "${#left[@]}" -eq 0 ] || fail "apt-get remove left ${#left[@]} paths, e.g. ${left[*]:0:5}"
if state=$(dpkg-query -W -f='${Status}' threadline 2>/dev/null) && [ -n "$state" ] && [ "$state" != "unknown ok not-installed" ]; then
  fail "dpkg still knows threadline after apt-get remove: $state"
fi
say "apt-get remove took away all ${#installed[@]} paths; nothing left in /opt/threadline or /usr"

# ---- the .tar.gz, unpacked anywhere
mkdir -p "$work/unpacked"
tar -C "$work/unpacked" -xzf "$tarball" || fail "cannot unpack $tarball"
touch "$work/unpacked-marker"
exercise "$work/unpacked/Threadline/threadline" unpacked
written=$(find "$work/unpacked" -newer "$work/unpacked-marker" | head -5)
[ -z "$written" ] || fail "the unpacked app wrote beside itself: $written"
say "the unpacked .tar.gz runs from $work/unpacked and wrote nothing beside itself"
say "passed: bundle $size_mb MB, first window $first_window s"
