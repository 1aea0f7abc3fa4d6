"""PySide6 6.12.0 on Python 3.11 aborts ('none_dealloc') after a few thousand
setPen calls: a refcount bug on None. Our version bounds avoid it; this makes
sure the installed PySide6 survives far more calls than a session makes."""

import subprocess
import sys

SCRIPT = """
from PySide6.QtWidgets import QApplication, QGraphicsRectItem
from PySide6.QtGui import QPen, QBrush, QColor
app = QApplication([])
item = QGraphicsRectItem(0, 0, 10, 10)
pen, brush = QPen(QColor("red")), QBrush(QColor("blue"))
for i in range(100_000):
    item.setPen(pen)
    item.setBrush(brush)
    item.setToolTip(None if i % 2 else "x")
print("survived")
"""


def test_many_setpen_calls_do_not_abort():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "survived" in done.stdout
