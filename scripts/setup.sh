# Sourced by run.sh and test.sh: make .venv and install the project into it.
# Says in one sentence what is missing instead of failing with a trace.
# Usage: . scripts/setup.sh [extras]   (e.g. "test")

threadline_setup() {
  local extras=${1:-}
  local py=""
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      py=$candidate; break
    fi
  done
  if [ -z "$py" ]; then
    echo "Threadline needs Python 3.11 or newer: install it (Debian/Ubuntu: sudo apt-get install python3 python3-venv)." >&2
    return 1
  fi
  if [ ! -x .venv/bin/python ]; then
    if ! "$py" -m venv .venv >/dev/null 2>&1; then
      rm -rf .venv
      echo "Python cannot make a virtual environment: install venv (Debian/Ubuntu: sudo apt-get install python3-venv)." >&2
      return 1
    fi
  fi
  local spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  local stamp=".venv/.installed-${extras:-app}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Setting up .venv (first run; this takes a minute)..." >&2
    if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec" >.venv/pip.log 2>&1; then
      echo "Installing Threadline's Python packages failed (network or disk?); see .venv/pip.log:" >&2
      tail -n 5 .venv/pip.log >&2
      return 1
    fi
    touch "$stamp"
  fi
  if [ "$extras" = "test" ]; then threadline_test_tools || return 1; fi
  # Byte-compile our own sources now (a no-op when nothing changed): with
  # PYTHONDONTWRITEBYTECODE set, Python would otherwise compile them again
  # at every start, about 0.15 s before the first window.
  .venv/bin/python -m compileall -q main.py gui store >/dev/null 2>&1 || true
}

# The figure tests open the HTML figure in a real browser and read PDFs back:
# they need Debian's chromium and poppler-utils; the key tests run once more
# in a real X window (Linux's own key bindings), which needs Xvfb and Qt's
# xcb libraries. Installed here when running as root; otherwise say what is
# missing (those tests then fail or skip, saying why).
threadline_test_tools() {
  local missing=""
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing="$missing chromium"
  command -v pdfinfo >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v Xvfb >/dev/null 2>&1 || missing="$missing xvfb"
  # Each library on its own: a machine can hold some of them (another
  # program's dependencies) and still lack the one Qt stops at.
  if command -v ldconfig >/dev/null 2>&1; then
    local libs pair
    libs=$(ldconfig -p 2>/dev/null)
    for pair in libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 \
                libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-randr.so.0:libxcb-randr0 \
                libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 libxcb-xkb.so.1:libxcb-xkb1 \
                libxkbcommon-x11.so.0:libxkbcommon-x11-0 libX11-xcb.so.1:libx11-xcb1; do
      printf '%s\n' "$libs" | grep -q "${pair%%:*}" || missing="$missing ${pair#*:}"
    done
  fi
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing test tools:$missing ..." >&2
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null 2>&1 ||
       { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null 2>&1; }; then
      return 0
    fi
  fi
  echo "Some tests need:$missing (sudo apt-get install$missing); they fail or skip without them." >&2
  return 0
}
