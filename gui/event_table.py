"""The event table: review and edit many events quickly.

It lists the events that pass the filters, in the time window unless told
otherwise, linked to the same selection as the timeline and the graph. The
model holds only event indices (numpy); text is fetched a page at a time for
the rows on screen, so a million rows cost a few megabytes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QEvent, QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget,
)  # fmt: skip

from store import network
from store.dates import as_read

COLUMNS = ("Date", "End", "Title", "Actors", "Type", "Certainty", "Location")
EDITABLE = {0: "start", 1: "end", 2: "title", 4: "type", 5: "certainty", 6: "location"}
SORTABLE_BY_TEXT = {2: "title", 4: "type", 5: "certainty", 6: "location"}
FOCUS = {0: "start", 1: "end", 2: "title", 3: "participants", 4: "type", 5: "certainty", 6: "location"}
PAGE = 200
TEXT_SORT_LIMIT = 50_000


class EventTableModel(QAbstractTableModel):
    def __init__(self, session, editor, parent=None):
        super().__init__(parent)
        self.session = session
        self.editor = editor
        # event indices: into the session's arrays, and from ``n_base`` on into
        # ``extra`` (the events of an edit not folded in yet, see ``Overlay``)
        self.rows = np.zeros(0, dtype=np.int64)
        self.n_base, self.extra, self._data = 0, None, None
        self._pages: dict[int, dict[int, tuple]] = {}
        self._broken_ids: set[int] | None = None

    def set_rows(self, rows: np.ndarray, extra=None) -> None:
        self.beginResetModel()
        self.rows = rows
        # the arrays the rows index (until the next set_rows, whatever the session shows meanwhile)
        self._data, self.extra = self.session.data, extra
        self.n_base = self._data.n_events
        self._pages.clear()
        self._broken_ids = None
        self.endResetModel()

    def _ids(self, idx: np.ndarray) -> np.ndarray:
        """The event ids of row indices ``idx``."""
        idx = np.asarray(idx, dtype=np.int64)
        mine = idx >= self.n_base
        ids = self._data.event_ids[np.where(mine, 0, idx)].astype(np.int64)
        if mine.any():
            ids[mine] = self.extra.event_ids[idx[mine] - self.n_base]
        return ids

    def event_id(self, row: int) -> int:
        return int(self._ids([self.rows[row]])[0])

    def row_of(self, event_ids) -> list[int]:
        ids = [int(e) for e in event_ids]
        if self._data is None:
            return []
        if self.extra is None:
            idx = self._data.index_of_ids(ids)
        else:
            edited = {int(e) for e in self.extra.event_ids} | getattr(self.session.overlay, "ids", set())
            idx = np.r_[self._data.index_of_ids([e for e in ids if e not in edited]),
                        self.extra.index_of_ids([e for e in ids if e in edited]) + self.n_base]
        return np.flatnonzero(np.isin(self.rows, idx)).tolist()

    def _row_text(self, row: int) -> tuple:
        page = row // PAGE
        if page not in self._pages:
            ids = self._ids(self.rows[page * PAGE : (page + 1) * PAGE])
            self._pages[page] = self.session.event_table_rows(ids.tolist())
        return self._pages[page].get(self.event_id(row), ("",) * (len(COLUMNS) + 1))

    # Qt model interface
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row_text(index.row())
        text = row[index.column()]
        text = "" if text is None else text
        if index.column() in (0, 1) and role != Qt.ItemDataRole.EditRole and text != "":
            return as_read(text, row[7] if len(row) > 7 else None)  # shown with what it was read as; edited as written
        text = str(text)
        if index.column() == 2 and role != Qt.ItemDataRole.EditRole and self.event_id(index.row()) in self._broken():
            # a quote of this event no longer reads the same in its document (see `threadline check`)
            return f"⚠ {text}" if role == Qt.ItemDataRole.DisplayRole else f"{text}\nA quote no longer matches its document"
        return text

    def _broken(self) -> set[int]:
        if self._broken_ids is None:

            self._broken_ids = self.session.events_with_broken_quotes()
        return self._broken_ids

    def flags(self, index):
        base = super().flags(index)
        if index.column() in EDITABLE and not self.session.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in EDITABLE:
            return False
        field = EDITABLE[index.column()]
        text = str(value).strip() or None
        if field in ("title", "start", "certainty") and text is None:
            return False
        from . import commands

        event_id = self.event_id(index.row())
        title = self._row_text(index.row())[2]
        verb = "move" if field in ("start", "end") else "edit"
        return self.editor.run(commands.edit_event(self.session, event_id, title, {field: text}, verb=verb))

    def sort(self, column, order=Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        if column in (0, 1) and self.extra is None:
            rows = np.sort(self.rows)  # event indices are in date order
        elif column in (0, 1):
            rows = self.rows[_date_order(self._data, self.extra, self.rows, self.n_base)]
        elif column in SORTABLE_BY_TEXT and len(self.rows) <= TEXT_SORT_LIMIT:
            ids = self._ids(self.rows)
            values = self.session.event_column_values(SORTABLE_BY_TEXT[column], ids.tolist())
            keys = [(values.get(int(i)) or "").lower() for i in ids]
            rows = self.rows[np.argsort(np.array(keys, dtype=object), kind="stable")]
        else:
            return
        self.set_rows(rows[::-1].copy() if descending else rows, self.extra)


def _date_order(data, extra, rows: np.ndarray, n_base: int) -> np.ndarray:
    """The order of ``rows`` (indices into ``data``, and from ``n_base`` on
    into ``extra``) by earliest bound, then id, as the arrays keep events."""
    rows = np.asarray(rows, dtype=np.int64)
    mine = rows >= n_base
    starts = np.empty(len(rows), np.int64)
    ids = np.empty(len(rows), np.int64)
    starts[~mine], ids[~mine] = data.start(rows[~mine]), data.event_ids[rows[~mine]]
    starts[mine], ids[mine] = extra.start(rows[mine] - n_base), extra.event_ids[rows[mine] - n_base]
    return np.lexsort((ids, starts))


class EventTable(QWidget):
    def __init__(self, session, editor, parent=None):
        super().__init__(parent)
        self.session = session
        self.editor = editor
        self.model = EventTableModel(session, editor, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setColumnWidth(2, 320)
        self.view.doubleClicked.connect(self._double_clicked)
        self.only_window = QCheckBox("Only the time window")
        self.only_window.setChecked(True)
        self.only_window.toggled.connect(self.refresh)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.only_window)
        top.addStretch(1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addLayout(self._quick_add_row())
        self._updating = False
        self._stale = True
        self._timer = QTimer(self, singleShot=True, interval=150)  # panning must not rebuild the table every frame
        self._timer.timeout.connect(self.refresh)
        sel = session.selection
        sel.visibleRangeChanged.connect(self._soon)
        sel.brushChanged.connect(self._soon)
        sel.filterChanged.connect(self.refresh)
        sel.selectionChanged.connect(self._follow_selection)
        session.dataChanged.connect(self.refresh)
        session.dataChanged.connect(self._fill_quick_actors)
        session.overlayChanged.connect(self._follow_overlay)  # an edit not folded in yet: its rows at once
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.refresh()

    # ---------------------------------------------------------- quick add
    def _quick_add_row(self) -> QHBoxLayout:
        """Date, title, actor and Enter: an event without the full dialog."""
        self.quick_date = QLineEdit()
        self.quick_date.setPlaceholderText("Date, e.g. 2 May 2025")
        self.quick_date.setMaximumWidth(170)
        self.quick_title = QLineEdit()
        self.quick_title.setPlaceholderText("Title of a new event — Enter adds it")
        self.quick_actor = QComboBox()
        self.quick_actor.setEditable(True)
        self.quick_actor.setMinimumWidth(160)
        self.quick_actor.lineEdit().setPlaceholderText("Actor (optional)")
        self.quick_button = QPushButton("Add")
        self.quick_status = QLabel()
        self.quick_status.setTextFormat(Qt.TextFormat.PlainText)
        for edit in (self.quick_date, self.quick_title, self.quick_actor.lineEdit()):
            edit.returnPressed.connect(self.quick_add)
            edit.installEventFilter(self)  # Ctrl+Z with nothing typed to undo undoes the last edit
        self.quick_button.clicked.connect(self.quick_add)
        row = QHBoxLayout()
        row.addWidget(QLabel("New:"))
        for widget, stretch in ((self.quick_date, 0), (self.quick_title, 3), (self.quick_actor, 1), (self.quick_button, 0), (self.quick_status, 1)):
            row.addWidget(widget, stretch)
        self._fill_quick_actors()
        return row

    def _fill_quick_actors(self) -> None:
        text = self.quick_actor.currentText()
        self.quick_actor.clear()
        self.quick_actor.addItem("")
        for aid, name in self.editor.actor_choices():
            self.quick_actor.addItem(name, aid)
        self.quick_actor.setEditText(text)

    def quick_add(self) -> bool:
        from . import commands
        from store.dates import DateError, parse_date
        from store.records import Participation

        date, title, who = self.quick_date.text().strip(), self.quick_title.text().strip(), self.quick_actor.currentText().strip()
        if not date or not title:
            self.quick_status.setText("A date and a title are needed.")
            return False
        try:
            parse_date(date)
        except DateError as exc:
            self.quick_status.setText(str(exc))
            return False
        known = {name.casefold(): aid for aid, name in self.editor.actor_choices()}
        stack = self.session.undo_stack
        new_actor = bool(who) and who.casefold() not in known
        if new_actor:
            stack.beginMacro(f"add event {commands.quoted(title)} with 1 new actor")
        try:
            if new_actor:
                made = commands.add_actor(self.session, who, "person")
                if not self.editor.run(made):
                    return False
                known[who.casefold()] = made.record_id
            actors = [Participation(known[who.casefold()], "initiator")] if who else []
            if not self.editor.run(commands.add_event(self.session, title, date, actors=actors)):
                return False
        finally:
            if new_actor:
                stack.endMacro()
        self.quick_status.setText(f"Added “{title}”.")
        # setText, not clear(): the field forgets the title, so Ctrl+Z now undoes the event just added
        self.quick_title.setText("")  # the date and actor stay: the next event is often the same day, same actor
        self.quick_title.setFocus()
        return True

    def eventFilter(self, watched, event) -> bool:
        """A quick-add field claims Ctrl+Z and Ctrl+Shift+Z for its own text;
        with no typing of its own to undo or redo, they go to the story's
        undo stack, as everywhere else in the window."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QLineEdit):
            if (event.matches(QKeySequence.StandardKey.Undo) and not watched.isUndoAvailable()) or (
                    event.matches(QKeySequence.StandardKey.Redo) and not watched.isRedoAvailable()):
                event.ignore()
                return True
        return super().eventFilter(watched, event)

    def _double_clicked(self, index) -> None:
        """The full dialog, with the cursor in the field of the column clicked."""
        if index.isValid() and index.row() < len(self.model.rows):
            self.editor.edit_event(self.model.event_id(index.row()), focus=FOCUS.get(index.column()))

    def _soon(self, *_):
        if self.only_window.isChecked():
            self._timer.start()

    def showEvent(self, ev):
        super().showEvent(ev)
        if self._stale:
            self.refresh()

    def refresh(self, *_):
        # a hidden table (the default) keeps no rows: a million of them would
        # be megabytes, and recounting them on every pan is work nobody sees
        self._stale = not self.isVisible()
        if self._stale:
            self._base_rows = None
            if len(self.model.rows):
                self.model.set_rows(np.zeros(0, dtype=np.int32))
            return
        data = self.session.data
        mask = network.window_mask(data, self._window())
        filt = self.session.filter_mask()
        if filt is not None:
            mask &= filt
        rows = np.flatnonzero(mask)
        self._base_rows = (data, rows.astype(np.int32) if data.n_events < 2**31 else rows)
        self._follow_overlay()

    def _window(self):
        return self.session.selection.time_window if self.only_window.isChecked() else None

    def _follow_overlay(self) -> None:
        """The rows of the arrays last listed, with the edits not folded in yet
        (``session.overlay``): their events left out where they were, and
        listed as they are now, in date order. A pass over the rows listed,
        not over the file."""
        base = getattr(self, "_base_rows", None)
        if self._stale or base is None or base[0] is not self.session.data:
            self.refresh()
            return
        data, rows = base
        overlay, extra = self.session.overlay, None
        if overlay is not None:
            extra = overlay.extra
            mask = network.window_mask(extra, self._window())
            filt, _ = self.session.overlay_masks()
            if filt is not None:
                mask &= filt
            mine = np.flatnonzero(mask)
            rows = overlay.keep(rows)
            # before the first listed event that starts at or after each of them
            at = np.searchsorted(rows, data.search_start(extra.start(mine))) if len(mine) else np.zeros(0, np.int64)
            rows = np.insert(rows.astype(np.int64), at, mine + data.n_events)
        self._updating = True
        self.model.set_rows(rows, extra)
        self.count.setText(f"{len(self.model.rows):,} events")
        self._updating = False
        self._follow_selection(None)

    def _selected(self, *_):
        if self._updating:
            return
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if rows:
            self.session.selection.select_events([self.model.event_id(r) for r in rows], origin=self)

    def _follow_selection(self, origin):
        if origin is self:
            return
        self._updating = True
        chosen = QItemSelection()
        rows = self.model.row_of(self.session.selection.selected_events) if self.session.selection.selected_events else []
        for r in rows[:5000]:
            chosen.select(self.model.index(r, 0), self.model.index(r, len(COLUMNS) - 1))
        self.view.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if rows:
            self.view.scrollTo(self.model.index(rows[0], 0))
        self._updating = False

    def selected_event_ids(self) -> list[int]:
        return [self.model.event_id(i.row()) for i in self.view.selectionModel().selectedRows()]
