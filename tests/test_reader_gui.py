"""The reader panel and the review list, driven with the mouse and keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import open_main_window
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit

from store import documents

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "article.txt"


@pytest.fixture
def window(qtbot, sample_db, tmp_path):
    win = open_main_window(qtbot, sample_db, tmp_path, size=(1500, 900))
    qtbot.waitExposed(win)
    win.editor.exec_dialog = lambda dialog: True  # dialogs are filled in by the test, then accepted
    win.reader.exec_review = lambda dialog: False  # the test drives the review list itself
    return win


def select_in_reader(win, passage: str) -> int:
    """Select ``passage`` in the reader's text (as a drag over it would);
    returns where it starts in the document."""
    start = win.reader.document.text.index(passage)
    view = win.reader.text
    cursor = QTextCursor(view.document())
    cursor.setPosition(win.reader.offsets.to_qt(start))
    cursor.setPosition(win.reader.offsets.to_qt(start + len(passage)), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    return start


def add_seed(qtbot, win, tmp_path) -> int:
    """Drop the seed article on the window, as a person would."""
    article = tmp_path / "article.txt"
    article.write_bytes(SEED.read_bytes())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    with qtbot.waitSignal(win.reader.documentAdded, timeout=10000) as added:
        drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
        win.dropEvent(drop)
    doc_id = added.args[0]
    # the publication date is not in a plain-text file: set as add-document --date would
    win.session.story.db.execute("UPDATE documents SET date = '2 May 2025' WHERE id = ?", [doc_id])
    win.session.story.db.conn.commit()
    win.reader.document = None
    win.reader.refresh()
    return doc_id


def open_review(qtbot, win):
    with qtbot.waitSignal(win.reader.suggestionsReady, timeout=10000):
        qtbot.mouseClick(win.reader.suggest_button, Qt.MouseButton.LeftButton)
    return win.reader.review_dialog


def row_of(dialog, phrase: str) -> int:
    return next(i for i, c in enumerate(dialog.candidates) if phrase in c.quote)


def click_row(qtbot, dialog, row: int) -> None:
    table = dialog.table
    rect = table.visualRect(table.model().index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_drop_document_then_accept_merge_reject_in_one_undo_step(qtbot, window, tmp_path):
    win = window
    doc_id = add_seed(qtbot, win, tmp_path)
    assert "Beijing is exploring measures" in win.reader.text.toPlainText()
    events_before = win.session.story.db.execute("SELECT count(*) FROM events").fetchone()[0]
    dialog = open_review(qtbot, win)
    qtbot.addWidget(dialog)
    dialog.show()

    friday = row_of(dialog, "statement on Friday")
    click_row(qtbot, dialog, friday)
    qtbot.keyClick(dialog.table, Qt.Key.Key_A)
    assert dialog.decision(friday) == "accept"

    years = row_of(dialog, "in 2016 and 2017")
    click_row(qtbot, dialog, years)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)  # edit the title in place
    editor = next(w for w in dialog.table.findChildren(QLineEdit) if w.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, "China's share of fentanyl shipments, 2016-2017")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.state() != dialog.table.State.EditingState)  # the delegate commits on a queued call
    qtbot.keyClick(dialog.table, Qt.Key.Key_A)

    rubio = row_of(dialog, "Hannity Program")
    target = win.session.story.db.execute("SELECT id, title FROM events WHERE title LIKE '%Rubio%' LIMIT 1").fetchone()
    dialog.choose_event = lambda candidate: (target[0], target[1])
    click_row(qtbot, dialog, rubio)
    qtbot.keyClick(dialog.table, Qt.Key.Key_M)
    assert dialog.decision(rubio).startswith(f"merge into #{target[0]}")

    stocks = row_of(dialog, "midday Friday")
    click_row(qtbot, dialog, stocks)
    qtbot.keyClick(dialog.table, Qt.Key.Key_R)
    assert dialog.decision(stocks) == "reject"

    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Apply), Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    win.editor.run(__import__("gui.document_commands", fromlist=["x"]).accept_suggestions(
        win.session, doc_id, dialog.reviews()))

    db = win.session.story.db
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == events_before + 2
    titles = [r[0] for r in db.execute("SELECT title FROM events ORDER BY id DESC LIMIT 2")]
    assert "China's share of fentanyl shipments, 2016-2017" in titles
    friday_event = db.execute("SELECT start, date_reference, earliest FROM events WHERE title LIKE 'This development%'").fetchone()
    assert friday_event[:2] == ("on Friday", "2 May 2025")
    merged = db.execute("SELECT count(*) FROM event_sources WHERE event_id = ? AND quote_start IS NOT NULL", [target[0]]).fetchone()[0]
    assert merged == 1
    assert documents.broken_quotes(db) == []
    assert win.session.undo_stack.count() == 2  # adding the document, then the whole review

    # the reader highlights the quoted passages; clicking one selects its event everywhere
    qtbot.waitUntil(lambda: len(win.reader.quotes) == 3)
    quote = next(q for q in win.reader.quotes if "statement on Friday" in q.quote)
    cursor = QTextCursor(win.reader.text.document())
    cursor.setPosition(quote.start + 5)
    win.reader.text.setTextCursor(cursor)
    win.reader_dock.raise_()
    rect = win.reader.text.cursorRect(cursor)
    qtbot.mouseClick(win.reader.text.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.session.selection.selected_events == {quote.event_id}

    # one undo takes the whole review back, one redo puts it back with the same ids
    ids = {q.event_id for q in win.reader.quotes}
    dialog.close()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    assert win.undo_action.text() == "Undo accept suggestions (2 events, 1 quotes merged)"
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == events_before
    assert db.execute("SELECT count(*) FROM event_sources WHERE event_id = ? AND quote_start IS NOT NULL", [target[0]]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM sources WHERE document_id = ?", [doc_id]).fetchone()[0] == 0
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert {q.event_id for q in documents.quotes_in(db, doc_id)} == ids


def test_new_event_from_passage_is_prefilled(qtbot, window, tmp_path):
    win = window
    add_seed(qtbot, win, tmp_path)
    text = win.reader.document.text
    passage = "In a related move, Bloomberg reported that China quietly exempted around 131 products"
    start = text.index(passage)
    win.reader_dock.raise_()
    view = win.reader.text
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    view.setTextCursor(cursor)
    # select the passage with the keyboard, as a person would
    for _ in range(len(passage)):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert win.reader.new_button.isEnabled()
    qtbot.mouseClick(win.reader.new_button, Qt.MouseButton.LeftButton)
    dialog = win.reader.passage_dialog
    assert dialog.title.text().startswith("China quietly exempted")
    assert dialog.start.text() == "on or before 2 May 2025"
    assert dialog.certainty.currentText() == "reported"
    assert passage in dialog.quote_label.text()
    db = win.session.story.db
    event = db.execute("SELECT id, title FROM events ORDER BY id DESC LIMIT 1").fetchone()
    assert "China quietly exempted" in event[1]
    row = db.execute("SELECT quote, quote_start, quote_end FROM event_sources WHERE event_id = ?", [event[0]]).fetchone()
    assert row == (passage, start, start + len(passage))
    actors = {r[0]: r[1] for r in db.execute(
        "SELECT a.name, ea.role FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE event_id = ?", [event[0]])}
    assert actors == {"Bloomberg": "mentioned", "China": "initiator"}


def test_a_broken_quote_is_marked_in_the_details_and_the_table(qtbot, window, tmp_path):
    from store.edits import update_event
    from store.records import Citation

    win = window
    doc_id = add_seed(qtbot, win, tmp_path)
    dialog = open_review(qtbot, win)
    qtbot.addWidget(dialog)
    row = row_of(dialog, "statement on Friday")
    click_row(qtbot, dialog, row)
    qtbot.keyClick(dialog.table, Qt.Key.Key_A)
    from gui.document_commands import accept_suggestions

    win.editor.run(accept_suggestions(win.session, doc_id, dialog.reviews()))
    q = documents.quotes_in(win.session.story.db, doc_id)[0]
    update_event(win.session.story.db, q.event_id, sources=[Citation(q.source_id, "China refused talks.", q.start, q.end)])
    win.session.reload()
    win.session.selection.select_events({q.event_id})
    qtbot.waitUntil(lambda: "does not match" in win.detail.toPlainText())
    win.table.parentWidget().show()
    qtbot.waitUntil(lambda: any("⚠" in (win.table.model.data(win.table.model.index(r, 2)) or "")
                                for r in range(win.table.model.rowCount())))


def test_offsets_survive_editing_the_event_in_its_dialog(qtbot, window, tmp_path):
    from gui.document_commands import accept_suggestions

    win = window
    doc_id = add_seed(qtbot, win, tmp_path)
    dialog = open_review(qtbot, win)
    qtbot.addWidget(dialog)
    click_row(qtbot, dialog, row_of(dialog, "quietly exempted"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_A)
    win.editor.run(accept_suggestions(win.session, doc_id, dialog.reviews()))
    before = documents.quotes_in(win.session.story.db, doc_id)[0]
    seen = {}

    def retitle(event_dialog):
        event_dialog.title.selectAll()
        qtbot.keyClicks(event_dialog.title, "China exempts 131 U.S. products")
        seen["dialog"] = event_dialog
        return True

    win.editor.exec_dialog = retitle
    win.session.selection.select_events({before.event_id})
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Edit selected
    assert "dialog" in seen
    after = documents.quotes_in(win.session.story.db, doc_id)[0]
    assert (after.event_title, after.start, after.end, after.ok) == ("China exempts 131 U.S. products", before.start, before.end, True)


def test_screenshot_reader_with_suggestions(qtbot, window, tmp_path):
    """The README's picture: the reader with its highlights and the review
    list. Written to docs/reader.png when THREADLINE_SCREENSHOT is set."""
    from PySide6.QtGui import QPainter

    from gui.document_commands import accept_suggestions

    win = window
    doc_id = add_seed(qtbot, win, tmp_path)
    dialog = open_review(qtbot, win)
    for phrase in ("statement on Friday", "in 2016 and 2017", "quietly exempted", "Hannity Program", "reviewing options"):
        dialog._set(row_of(dialog, phrase), "accept")
    win.editor.run(accept_suggestions(win.session, doc_id, dialog.reviews()))
    win.resize(1800, 1050)
    win.reader_dock.raise_()
    win.resizeDocks([win.findChild(type(win.reader_dock), "dock-Relationships"), win.reader_dock], [260, 760],
                    Qt.Orientation.Vertical)
    win.resizeDocks([win.reader_dock], [820], Qt.Orientation.Horizontal)
    quote = next(q for q in win.reader.quotes if "statement on Friday" in q.quote)
    win.session.selection.select_events({quote.event_id})
    qtbot.wait(300)
    review = open_review(qtbot, win)
    review.setParent(None)
    review._set(row_of(review, "has conducted an in-depth"), "accept")
    review._set(row_of(review, "midday Friday"), "reject")
    review._count()
    review.table.setCurrentCell(row_of(review, "thereafter"), 2)
    review.resize(900, 430)
    review.show()
    qtbot.waitExposed(review)
    picture = win.grab()
    painter = QPainter(picture)
    painter.drawPixmap(20, picture.height() - review.height() - 60, review.grab())
    painter.end()
    image = picture.toImage()
    reader_box = win.reader.text.viewport()
    origin = reader_box.mapTo(win, reader_box.rect().topLeft())
    highlight = QColor("#fff2b3").rgb()
    lit = sum(image.pixel(origin.x() + x, origin.y() + y) == highlight
              for x in range(0, reader_box.width(), 7) for y in range(0, reader_box.height(), 7))
    assert lit > 50  # the quoted passages are highlighted where a person looks
    if os.environ.get("THREADLINE_SCREENSHOT"):
        picture.save(str(Path(__file__).resolve().parent.parent / "docs" / "reader.png"))


def test_on_a_big_file_a_deleted_event_leaves_its_quote_unmarked_at_once(qtbot, window, tmp_path, monkeypatch):
    """In a file of millions of events an event's deletion is shown through an
    overlay for seconds before the arrays are rebuilt: its quote in the reader
    is no longer marked (nor clickable) at once, and Ctrl+Z marks it again."""
    from gui import session as session_module

    win = window
    add_seed(qtbot, win, tmp_path)
    passage = "In a related move, Bloomberg reported that China quietly exempted around 131 products"
    start = select_in_reader(win, passage)
    view = win.reader.text
    qtbot.mouseClick(win.reader.new_button, Qt.MouseButton.LeftButton)
    event_id = win.session.story.db.execute("SELECT max(id) FROM events").fetchone()[0]
    assert win.session.selection.selected_events == {event_id}

    def marked() -> set:
        lit = {QColor("#ffd54f").rgb(), QColor("#fff2b3").rgb()}  # a quote: its event selected, or not
        return {(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()
                if s.format.background().color().rgb() in lit}

    span = (win.reader.offsets.to_qt(start), win.reader.offsets.to_qt(start + len(passage)))
    assert span in marked()
    session = win.session
    session.patch_background_events = 0  # the sample stands in for a file of millions of events
    monkeypatch.setattr(session_module, "FOLD_DELAY_MS", 2500)  # a fold as slow as ten million events'
    before = session.data
    qtbot.keyClick(win, Qt.Key.Key_Delete)
    assert session.story.db.execute("SELECT count(*) FROM events WHERE id = ?", [event_id]).fetchone()[0] == 0
    assert session.overlay is not None and session.data is before  # not folded in yet
    assert span not in marked() and all(q.event_id != event_id for q in win.reader.quotes)
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.overlay is not None and session.data is before
    assert span in marked()
    qtbot.waitUntil(lambda: not session.patching, timeout=10_000)  # folded in: still marked
    assert session.overlay is None and span in marked()


def test_unknown_names_in_a_passage_are_offered_as_new_actors(qtbot, window, tmp_path):
    win = window
    add_seed(qtbot, win, tmp_path)
    select_in_reader(win, "synthetic opioid vendors operating from industrial regions like Shijiazhuang")
    assert win.session.story.db.execute("SELECT count(*) FROM actors WHERE name = 'Shijiazhuang'").fetchone()[0] == 0
    qtbot.mouseClick(win.reader.new_button, Qt.MouseButton.LeftButton)
    offered = [(name, tick.isChecked()) for name, tick, _kind, _role in win.reader.passage_dialog.new_actor_rows]
    assert offered == [("Shijiazhuang", True)]
    row = win.session.story.db.execute(
        "SELECT a.kind FROM actors a JOIN event_actors ea ON ea.actor_id = a.id WHERE a.name = 'Shijiazhuang'").fetchone()
    assert row is not None
    # one undo removes the event, the new actor and the document's source together
    win.undo_action.trigger()
    assert win.session.story.db.execute("SELECT count(*) FROM actors WHERE name = 'Shijiazhuang'").fetchone()[0] == 0
    # and the next undoes adding the document itself
    win.undo_action.trigger()
    assert documents.list_documents(win.session.story.db) == []
    assert win.reader.picker.currentData() is None


def test_a_merge_decision_leaves_the_titles_their_room(qtbot, window, tmp_path):
    win = window
    add_seed(qtbot, win, tmp_path)
    dialog = open_review(qtbot, win)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    header = dialog.table.horizontalHeader()
    from gui.dialogs.suggestions_dialog import DECISION, TITLE

    title_width = header.sectionSize(TITLE)
    long_title = "Rubio says the United States and China will talk about fentanyl before any tariff relief is weighed"
    target = win.session.story.db.execute("SELECT id FROM events LIMIT 1").fetchone()[0]
    dialog.choose_event = lambda candidate: (target, long_title)
    click_row(qtbot, dialog, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_M)
    qtbot.wait(10)
    assert dialog.decision(0) == f"merge into #{target} {long_title}"
    assert dialog.table.item(0, DECISION).toolTip() == dialog.decision(0)  # whole on hover
    assert header.sectionSize(TITLE) == title_width  # the titles keep their room
    assert header.sectionSize(DECISION) < header.sectionSize(TITLE)
