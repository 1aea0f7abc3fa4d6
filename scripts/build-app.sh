#!/usr/bin/env bash
# Build Threadline as an app a person downloads and double-clicks:
#
#   dist/Threadline/                                 the self-contained folder; Threadline/threadline starts it
#   dist/threadline-VERSION-linux-x86_64.tar.gz      that folder, packed (Linux)
#   dist/threadline_VERSION_amd64.deb                the Debian/Ubuntu package (Linux, when dpkg-deb is there)
#
# Run from a clone: scripts/build-app.sh. It needs Python 3.11+ with venv and
# reaches only PyPI (for PyInstaller and the project's dependencies, into a
# build environment of its own in build/app-venv, not the developers' .venv).
# On macOS the same command builds dist/Threadline.app too, and in Git Bash on
# Windows the folder (threadline.exe for commands, threadline-gui.exe to
# double-click); neither is tested on the Linux machines that build this.
set -u
cd "$(dirname "$0")/.." || exit 1

PYINSTALLER="pyinstaller==6.22.3"
HOOKS="pyinstaller-hooks-contrib==2026.9"
VENV=build/app-venv

say() { echo "build-app: $*" >&2; }
fail() { say "$*"; exit 1; }
seconds() { date +%s; }
started=$(seconds)

# A Python PyInstaller can bundle: 3.11+, built with its shared library.
py=""
for candidate in python3.13 python3.12 python3.11 python3 /usr/bin/python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys, sysconfig, venv
sys.exit(sys.version_info < (3, 11) or (sys.platform.startswith("linux") and not sysconfig.get_config_var("Py_ENABLE_SHARED")))' 2>/dev/null; then
    py=$candidate; break
  fi
done
[ -n "$py" ] || fail "needs Python 3.11 or newer with venv and its shared library (Debian/Ubuntu: sudo apt-get install python3 python3-venv libpython3-dev)."

VERSION=$("$py" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])') ||
  fail "cannot read the version from pyproject.toml"

# The build environment: the project's dependencies (from pyproject.toml) and
# PyInstaller, reinstalled when either changes.
mkdir -p build
"$py" - >build/app-requirements.txt <<PY || fail "cannot read the dependencies from pyproject.toml"
import tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
print("\n".join([*deps, "$PYINSTALLER", "$HOOKS"]))
PY
vpy="$VENV/bin/python"
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) vpy="$VENV/Scripts/python.exe" ;; esac  # Git Bash on Windows
if [ ! -x "$vpy" ] || ! cmp -s build/app-requirements.txt "$VENV/.requirements"; then
  say "setting up the build environment in $VENV (a few minutes the first time)..."
  rm -rf "$VENV"
  "$py" -m venv "$VENV" || fail "Python cannot make a virtual environment (Debian/Ubuntu: sudo apt-get install python3-venv)."
  # a current pip: older ones skip extras spelt differently from the package's (lxml[html_clean])
  "$vpy" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24" >build/app-pip.log 2>&1 ||
    say "could not update pip in $VENV; going on with its own"
  if ! "$vpy" -m pip install --quiet --disable-pip-version-check -r build/app-requirements.txt \
      >>build/app-pip.log 2>&1; then
    tail -n 5 build/app-pip.log >&2
    fail "installing PyInstaller and the dependencies failed (network or disk?); see build/app-pip.log"
  fi
  cp build/app-requirements.txt "$VENV/.requirements"
fi

say "bundling with PyInstaller..."
rm -rf dist/Threadline dist/Threadline.app
if ! "$vpy" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    bundle/threadline.spec >build/pyinstaller.log 2>&1; then
  tail -n 20 build/pyinstaller.log >&2
  fail "PyInstaller failed; the whole log is in build/pyinstaller.log"
fi
case "$(uname -s)" in
  Linux) exe=dist/Threadline/threadline ;;
  Darwin) exe=dist/Threadline/threadline; say "built dist/Threadline.app"; ;;
  *) exe=dist/Threadline/threadline.exe ;;
esac
"$exe" --help >/dev/null || fail "the bundle does not start: $exe --help failed"
size_mb=$(du -sm dist/Threadline | cut -f1)
say "dist/Threadline: ${size_mb} MB unpacked"
[ "$size_mb" -le 250 ] || say "warning: the bundle is over its 250 MB budget"

[ "$(uname -s)" = Linux ] || { say "done in $(( $(seconds) - started )) s"; exit 0; }

rm -f dist/threadline-*.tar.gz dist/threadline_*.deb  # earlier versions' too: one of each is the result
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
tarball="dist/threadline-$VERSION-linux-$(uname -m).tar.gz"
tar -C dist --owner=0 --group=0 --numeric-owner -czf "$tarball" Threadline || fail "cannot write $tarball"
say "wrote $tarball"

if ! command -v dpkg-deb >/dev/null 2>&1; then
  say "dpkg-deb not found (Debian/Ubuntu: sudo apt-get install dpkg): no .deb built"
  say "done in $(( $(seconds) - started )) s"
  exit 0
fi
deb="dist/threadline_${VERSION}_${arch}.deb"
root=build/deb/threadline
rm -rf build/deb
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/threadline"
cp -a dist/Threadline "$root/opt/threadline"
ln -s ../../opt/threadline/threadline "$root/usr/bin/threadline"
"$py" -c 'import sys; sys.path.insert(0, "."); from gui.desktop_entry import desktop_entry_text
sys.stdout.write(desktop_entry_text("/opt/threadline/threadline"))' >"$root/usr/share/applications/threadline.desktop" ||
  fail "cannot write the desktop entry"
cp resources/threadline.svg "$root/usr/share/icons/hicolor/scalable/apps/threadline.svg"
printf 'Threadline %s\nLicense: MIT\nThe bundled Python, Qt (LGPLv3) and packages keep their own licences, in /opt/threadline/_internal.\n' \
  "$VERSION" >"$root/usr/share/doc/threadline/copyright"
# No maintainer scripts: the menu's and icons' caches are refreshed by the
# dpkg triggers of the packages that keep them (hicolor-icon-theme,
# desktop-file-utils), and a postrm would keep the package's record
# ("config-files") after apt remove.
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
  bundle/debian/control >"$root/DEBIAN/control"
chmod -R u+rwX,go+rX,go-w "$root"
# gzip: a few seconds where xz takes minutes on two cores, for a package a third bigger
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null || fail "dpkg-deb could not build $deb"
say "wrote $deb ($(du -m "$deb" | cut -f1) MB)"
say "done in $(( $(seconds) - started )) s"
