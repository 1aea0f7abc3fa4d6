"""The bundle's executable: ``threadline [DB | COMMAND ...]``, as ``main.py``.

With THREADLINE_STARTUP_PROBE=DB set it runs ``bench/startup_probe.py`` on
DB instead, so that the first-window time is measured from the bundle with
the very probe the benchmark uses on a checkout (scripts/smoke-app.sh).
"""

import os
import sys

if __name__ == "__main__":
    probe_db = os.environ.get("THREADLINE_STARTUP_PROBE")
    if probe_db:
        from startup_probe import main as probe

        probe(probe_db)
    from main import main

    sys.exit(main())
