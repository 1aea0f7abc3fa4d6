"""The first window from process start: ``python bench/startup_probe.py DB``.

Kept apart from ``probes.py``, which imports numpy and the scenario before
anything else: the app does not, and the order of imports changes how long
starting takes (see ``gui.launch.make_app``). This starts as ``main.py``
does: the window for DB, then the event loop until the timeline has painted
once. Prints one JSON object: the wall-clock time of that paint (``run.py``
measures from before it started this process).
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(db: str) -> None:
    from gui.launch import make_app, open_window

    app = make_app()
    window = open_window(db)
    from PySide6.QtCore import QEvent, QObject

    class Painted(QObject):
        seen = False

        def eventFilter(self, obj, ev):  # noqa: N802 (Qt's name)
            if ev.type() == QEvent.Type.Paint:
                Painted.seen = True
            return False

    watcher = Painted()
    window.timeline.plot.viewport().installEventFilter(watcher)
    end = time.time() + 60
    while not Painted.seen and time.time() < end:
        app.processEvents()
    print(json.dumps({"painted_at": time.time()}))
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown: it is not part of the measurement


if __name__ == "__main__":
    main(sys.argv[1])
