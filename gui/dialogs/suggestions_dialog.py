"""The review list: suggested events from a document, decided one by one.

Each row is a candidate: accept it (A), reject it (R), merge it into an
existing event (M: the quote becomes a further source of that event), or
edit its title or date in place (F2 or a double click). Nothing is stored
until "Apply", and then everything accepted and merged is one transaction
and one undo step. Clicking a row shows its passage in the reader.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout,
)  # fmt: skip

from store.accepting import Review

COLUMNS = ("Decision", "Date", "Title", "Actors", "Confidence")
DECISION, DATE, TITLE, ACTORS, CONFIDENCE = range(len(COLUMNS))
UNDECIDED, ACCEPT, REJECT, QUOTED = "—", "accept", "reject", "already quoted"


def _merge_label(event_id: int, title: str) -> str:
    return f"merge into #{event_id} {title}"


class SuggestionsDialog(QDialog):
    passageChosen = Signal(int, int)  # start, end of the current row's quote

    def __init__(self, session, document, candidates, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Suggested events — {document.label()}")
        self.session = session
        self.document = document
        self.candidates = list(candidates)
        self.merges: dict[int, int] = {}  # row -> event id
        # asks which event to merge into; a hook so tests can answer without a modal loop
        self.choose_event = self._choose_event
        self.table = QTableWidget(len(self.candidates), len(COLUMNS))
        self.table.setObjectName("suggestions")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for col in (DATE, CONFIDENCE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # the decision keeps a width of its own: "merge into #12 <a long title>" fitted to
        # its contents took the titles' room; it is cut short, whole in its tooltip
        header.setSectionResizeMode(DECISION, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(DECISION, self.fontMetrics().horizontalAdvance("already quoted") + 24)
        header.setSectionResizeMode(ACTORS, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(ACTORS, 250)  # the titles stretch: they are what is decided on
        self.table.setWordWrap(False)
        for row, c in enumerate(self.candidates):
            cells = (UNDECIDED, c.date, c.title, ", ".join(self._actor_label(c, n) for n in c.actors), f"{c.confidence:.2f}")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col not in (DATE, TITLE):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col == TITLE:
                    item.setToolTip(c.quote)
                if col == DATE:
                    # the date as understood, beside the date as written
                    first = c.earliest[:16].replace("T", " ") if c.earliest else "open (no date of its own)"
                    item.setToolTip(f"{first} to {c.latest[:16].replace('T', ' ')} UTC, {c.precision}")
                self.table.setItem(row, col, item)

        quoted = {(q.start, q.end) for q in session.quotes_in(document.id)}
        for row, c in enumerate(self.candidates):
            if (c.start, c.end) in quoted:
                self._set(row, QUOTED)  # an event already cites exactly this passage
        self.table.installEventFilter(self)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_passage(row))
        accept, reject, merge = QPushButton("&Accept (A)"), QPushButton("&Reject (R)"), QPushButton("&Merge into event… (M)")
        accept_all = QPushButton("Accept all &undecided")
        accept.clicked.connect(lambda: self.decide(ACCEPT))
        reject.clicked.connect(lambda: self.decide(REJECT))
        merge.clicked.connect(self.merge)
        accept_all.clicked.connect(self.accept_all)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.summary = QLabel()
        row = QHBoxLayout()
        for button in (accept, reject, merge, accept_all):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        hint = QLabel("A statement with no date of its own is dated “on or before” the publication day, "
                      "not on it. Edit a title or date with F2 or a double click.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(980, 560)
        self._count()
        if self.candidates:
            self.table.setCurrentCell(0, TITLE)

    @staticmethod
    def _actor_label(candidate, name: str) -> str:
        role = candidate.roles.get(name)
        new = " (new)" if name in candidate.new_actors else ""
        return f"{name}{new}" + (f" [{role}]" if role and role != "participant" else "")

    # ---------------------------------------------------------- deciding
    def eventFilter(self, watched, ev):
        if watched is self.table and ev.type() == QEvent.Type.KeyPress and self.table.state() != QAbstractItemView.State.EditingState:
            key = ev.key()
            if key == Qt.Key.Key_A:
                self.decide(ACCEPT)
                return True
            if key in (Qt.Key.Key_R, Qt.Key.Key_Delete):
                self.decide(REJECT)
                return True
            if key == Qt.Key.Key_M:
                self.merge()
                return True
        return super().eventFilter(watched, ev)

    def _rows(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return rows or ([self.table.currentRow()] if self.table.currentRow() >= 0 else [])

    def decision(self, row: int) -> str:
        return self.table.item(row, DECISION).text()

    def _set(self, row: int, text: str) -> None:
        item = self.table.item(row, DECISION)
        item.setText(text)
        item.setToolTip(text if text.startswith("merge") else "")
        colour = {ACCEPT: "#d8f0d2", REJECT: "#eeeeee", QUOTED: "#f3efe0"}.get(text, "#dbe8f7" if text.startswith("merge") else None)
        for col in range(len(COLUMNS)):
            cell = self.table.item(row, col)
            cell.setBackground(QColor(colour) if colour else QColor(0, 0, 0, 0))
            cell.setForeground(QColor("#888888") if text == REJECT else self.palette().text().color())

    def decide(self, what: str) -> None:
        rows = self._rows()
        for row in rows:
            self.merges.pop(row, None)
            self._set(row, what)
        self._count()
        if rows and rows[-1] + 1 < self.table.rowCount():
            self.table.setCurrentCell(rows[-1] + 1, TITLE)  # on to the next one

    def accept_all(self) -> None:
        for row in range(self.table.rowCount()):
            if self.decision(row) == UNDECIDED:
                self._set(row, ACCEPT)
        self._count()

    def merge(self) -> None:
        rows = self._rows()
        if len(rows) != 1:
            return
        row = rows[0]
        chosen = self.choose_event(self.candidates[row])
        if chosen is None:
            return
        event_id, title = chosen
        self.merges[row] = event_id
        self._set(row, _merge_label(event_id, title))
        self._count()

    def _choose_event(self, candidate):
        """Events around the candidate's date (or all, for an open date), most recent first."""
        from store.dates import parse_date

        window = (None, None)
        if candidate.earliest:
            lo, hi = parse_date(candidate.earliest[:10]).earliest, parse_date(candidate.latest[:10]).latest
            window = (lo - 30 * 86400, hi + 30 * 86400)
        events = self.session.events_in_window(window, limit=500)
        if not events:
            events = self.session.events_in_window(limit=500)
        labels = [f"#{e.id} {e.start} — {e.title}" for e in events]
        label, ok = QInputDialog.getItem(self, "Merge into event", "Add this quote as a further source of:", labels, 0, False)
        if not ok:
            return None
        event = events[labels.index(label)]
        return event.id, event.title

    def _count(self) -> None:
        decided = [self.decision(r) for r in range(self.table.rowCount())]
        accepted = decided.count(ACCEPT)
        merged = sum(d.startswith("merge") for d in decided)
        rejected = decided.count(REJECT)
        quoted = decided.count(QUOTED)
        self.summary.setText(f"{accepted} to accept, {merged} to merge, {rejected} rejected, "
                             f"{decided.count(UNDECIDED)} undecided" + (f", {quoted} already quoted" if quoted else ""))
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(bool(accepted or merged))

    def _show_passage(self, row: int) -> None:
        if 0 <= row < len(self.candidates):
            c = self.candidates[row]
            self.passageChosen.emit(c.start, c.end)

    # ---------------------------------------------------------- the result
    def reviews(self) -> list[Review]:
        out = []
        for row, c in enumerate(self.candidates):
            decision = self.decision(row)
            if decision == ACCEPT:
                title = self.table.item(row, TITLE).text().strip()
                date = self.table.item(row, DATE).text().strip()
                out.append(Review(c, title=title if title != c.title else None, date=date if date != c.date else None))
            elif row in self.merges:
                out.append(Review(c, merge_into=self.merges[row]))
        return out
