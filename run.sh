#!/usr/bin/env bash
# Set up (first run only) and start Threadline: ./run.sh [DB | COMMAND ...]
set -u
# main.py resolves relative file names against the caller's folder, not the checkout
export THREADLINE_CWD="${THREADLINE_CWD:-$PWD}"
cd "$(dirname "$0")" || exit 1
. scripts/setup.sh
threadline_setup || exit 1
exec .venv/bin/python main.py "$@"
