"""Double-click launch files, lane ordering, and source links that ask first."""

import pytest
from conftest import open_main_window
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox

from conftest import run_cli


def test_install_and_uninstall_desktop_entry(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path)}
    done = run_cli("install-desktop", env=env)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "applications" / "threadline.desktop"
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "threadline.svg"
    text = entry.read_text()
    assert "Exec=" in text and "main.py" in text and "%f" in text
    assert "MimeType=application/vnd.sqlite3" in text and "Icon=threadline" in text
    assert icon.read_bytes().startswith(b"<svg")
    assert run_cli("uninstall-desktop", env=env).returncode == 0
    assert not entry.exists() and not icon.exists()


@pytest.fixture
def win(qtbot, sample_db, tmp_path):
    return open_main_window(qtbot, sample_db, tmp_path, size=None)


def test_lane_can_be_moved_and_hidden(win):
    lanes = win.timeline.lanes
    first, second = lanes.row_actor_ids[0], lanes.row_actor_ids[1]
    win.timeline.move_lane(second, -1)
    assert lanes.row_actor_ids[:2] == [second, first]
    sel = win.session.selection
    sel.set_lanes(sel.lane_order, sel.hidden_lanes | {first})
    assert first not in lanes.row_actor_ids
    assert len(win.timeline.axis._names) == lanes.n_rows


def test_source_link_opens_only_after_confirmation(win, qtbot):
    wsj = next(i for i, t in win.session.titles(win.session.data.event_ids.tolist()).items() if "WSJ" in t)
    win.session.selection.select_events([wsj])
    opened = []
    win.detail.linkRequested.connect(opened.append)

    def answer(button):
        def press():
            box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
            assert "https://" in box.text()
            box.button(button).click()
        return press

    QTimer.singleShot(100, answer(QMessageBox.StandardButton.Cancel))
    win.detail.anchorClicked.emit(QUrl("https://example.org/report"))
    assert opened == []
    win.detail.confirm_links = True
    import gui.detail as detail_module

    calls = []
    original = detail_module.QDesktopServices.openUrl
    detail_module.QDesktopServices.openUrl = staticmethod(lambda url: calls.append(url.toString()))
    try:
        QTimer.singleShot(100, answer(QMessageBox.StandardButton.Open))
        win.detail.anchorClicked.emit(QUrl("https://example.org/report"))
    finally:
        detail_module.QDesktopServices.openUrl = original
    assert opened == ["https://example.org/report"] and calls == ["https://example.org/report"]


def test_dark_palette_keeps_text_readable():
    from gui.theme import Palette

    for dark in (False, True):
        p = Palette(dark=dark)
        assert abs(p.foreground.lightness() - p.background.lightness()) > 150
