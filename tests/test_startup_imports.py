"""The app's own start path (gui.launch.make_app), in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from gui.launch import make_app
app = make_app()
import PySide6.QtCore, PySide6.QtWidgets
import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtWidgets
widget = pg.PlotWidget()
widget.plot([1, 2, 3], [3, 1, 2])
widget.resize(300, 200)
image = widget.grab().toImage()
print(json.dumps({
    "same_class": QtCore.QTimer is PySide6.QtCore.QTimer and QtWidgets.QWidget is PySide6.QtWidgets.QWidget,
    "missing_name_raises": not hasattr(QtCore, "NoSuchQtName"),
    "pyside_listing": len(dir(PySide6.QtCore)),
    "mirror_names": len(vars(QtWidgets)),
    "drawn": image.width() == 300 and image.pixelColor(150, 100).isValid(),
}))
"""


def test_pyqtgraph_sees_qt_through_mirrors_filled_on_first_use():
    """pyqtgraph gets the real Qt classes, draws a plot, and PySide6's own
    modules list all their names afterwards; the mirrors hold only what was
    looked up (copying all ~720 names is what cost 0.1 s of every start)."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(ROOT)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["same_class"] and got["missing_name_raises"] and got["drawn"]
    assert got["pyside_listing"] > 200  # the temporary empty listing is gone
    assert got["mirror_names"] < 150  # not every QtWidgets name (206 in PySide6 6.11)
