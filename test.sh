#!/usr/bin/env bash
# Set up (first run only) and run the whole test suite offscreen: ./test.sh [pytest args]
set -u
cd "$(dirname "$0")" || exit 1
. scripts/setup.sh
threadline_setup test || exit 1
export QT_QPA_PLATFORM=offscreen
.venv/bin/python gui/platform_check.py offscreen || exit 1
exec .venv/bin/python -m pytest -q "$@"
