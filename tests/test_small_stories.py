"""Small stories in the window, as a new user starts one: a single event, a
dozen actors. What a person sees: the overview strip, the graph's names."""

from __future__ import annotations

from conftest import open_main_window
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from store import records
from store.database import close_database, open_database
from store.records import Participation


def story(path, n_actors=1, events=(("Harbour closed", "12 Mar 2024"),)):
    db = open_database(path, create=True)
    try:
        ids = [records.add_actor(db, f"Actor number {k + 1}") for k in range(n_actors)]
        for title, date in events:
            records.add_event(db, title, date, actors=[Participation(a) for a in ids])
    finally:
        close_database(db)
    return path


def test_the_overview_of_a_lone_event_holds_the_window_the_timeline_shows(qtbot, tmp_path):
    win = open_main_window(qtbot, story(tmp_path / "one.db"), tmp_path)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    timeline, overview = win.timeline, win.timeline.overview
    # zoom out over the timeline with the mouse wheel, as far as a year or more
    viewport = timeline.plot.viewport()
    centre = QPoint(viewport.width() // 2, viewport.height() // 2)
    for _ in range(60):
        lo, hi = win.session.selection.visible_range
        if hi - lo > 365 * 86400:
            break
        wheel = QWheelEvent(QPointF(centre), QPointF(viewport.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, -240),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(viewport, wheel)
    lo, hi = win.session.selection.visible_range
    assert hi - lo > 365 * 86400, "the wheel did not zoom out to a year"
    (x0, x1), _ = overview.viewRange()
    assert x0 <= lo and x1 >= hi, "the overview strip shows less than the timeline"
    assert x1 - x0 < 2 * (hi - lo)  # and not much more: the marked window is most of the strip
    lo_mark, hi_mark = overview.region.getRegion()
    assert x0 <= lo_mark < hi_mark <= x1  # the marked window lies inside the strip
    # zoomed back in (Home), the strip is the event's day again
    timeline.plot.setFocus()
    qtbot.keyClick(timeline.plot, Qt.Key.Key_Home)
    lo, hi = win.session.selection.visible_range
    (x0, x1), _ = overview.viewRange()
    assert x0 <= lo and x1 >= hi and x1 - x0 < 3 * 86400
