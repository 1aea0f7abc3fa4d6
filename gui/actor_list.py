"""The actor list: find an actor, select it, and choose whom the views show.

Clicking a row selects the actor (as clicking its lane or node does);
ctrl- or shift-click adds to the selection, in the order picked. The check
boxes are the filter, with one rule for every view: an unticked actor has no
lane and no node, and an event is shown when at least one of its actors is
ticked; all ticked means no filter. Clicking a check box only ticks it, it
does not select. The box on top only narrows this list.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLineEdit, QPushButton, QStyle, QStyleOptionViewItem, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)  # fmt: skip


ID_ROLE = Qt.ItemDataRole.UserRole


class CheckTree(QTreeWidget):
    """A tree whose check boxes tick without selecting the row."""

    def check_rect(self, item: QTreeWidgetItem) -> QRect:
        """Where the item's check box is drawn, in viewport pixels."""
        index = self.indexFromItem(item, 0)
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(index)
        self.itemDelegateForIndex(index).initStyleOption(option, index)
        return self.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, self)

    def _on_check(self, ev) -> QTreeWidgetItem | None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return None
        item = self.itemAt(ev.position().toPoint())
        if item is None or not self.check_rect(item).contains(ev.position().toPoint()):
            return None
        return item

    def mousePressEvent(self, ev):
        item = self._on_check(ev)
        if item is None:
            super().mousePressEvent(ev)
            return
        ticked = item.checkState(0) == Qt.CheckState.Checked
        item.setCheckState(0, Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
        ev.accept()

    def mouseReleaseEvent(self, ev):
        if self._on_check(ev) is None:
            super().mouseReleaseEvent(ev)
        else:
            ev.accept()

    def mouseDoubleClickEvent(self, ev):
        if self._on_check(ev) is None:
            super().mouseDoubleClickEvent(ev)
        else:
            self.mousePressEvent(ev)  # a quick second click ticks again, as a check box does


class ActorList(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.find = QLineEdit()
        self.find.setPlaceholderText("Find an actor…")
        self.find.setClearButtonEnabled(True)
        self.find.textChanged.connect(self._narrow)
        self.tree = CheckTree()
        self.tree.setHeaderLabels(["Actor", "Kind", "Events"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSortingEnabled(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._picked: list[int] = []
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemChanged.connect(self._checked)
        buttons = QHBoxLayout()
        for text, slot in (("All", self.check_all), ("None", self.check_none), ("Only selected", self.check_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.find)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._updating = False
        session.selection.selectionChanged.connect(self._follow_selection)
        session.selection.filterChanged.connect(self._follow_filter)
        session.dataChanged.connect(self.rebuild)
        session.overlayChanged.connect(self._recount)  # an edit not folded in yet: its counts at once
        self.rebuild()

    def rebuild(self) -> None:
        data = self.session.data
        counts = self.session.actor_event_counts()
        allowed = self.session.selection.actor_filter
        self._updating = True
        self.tree.setSortingEnabled(False)
        self.tree.clear()
        for i in range(data.n_actors):
            actor_id = int(data.actor_ids[i])
            if actor_id == -1:
                continue
            item = QTreeWidgetItem([data.actor_names[i], data.actor_kinds[i], ""])
            item.setData(2, Qt.ItemDataRole.DisplayRole, int(counts[i]))
            item.setData(0, ID_ROLE, actor_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = allowed is None or actor_id in allowed
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.tree.addTopLevelItem(item)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.tree.setColumnWidth(0, 150)
        self.tree.resizeColumnToContents(2)
        self._updating = False
        self._narrow(self.find.text())

    def _recount(self) -> None:
        """Each actor's number of events again (the rows stay, re-sorted by it)."""
        counts, index = self.session.actor_event_counts(), self.session.data.actor_ids
        where = {int(a): i for i, a in enumerate(index.tolist())}
        self._updating = True
        for item in self.items():
            i = where.get(int(item.data(0, ID_ROLE)))
            if i is not None and item.data(2, Qt.ItemDataRole.DisplayRole) != int(counts[i]):
                item.setData(2, Qt.ItemDataRole.DisplayRole, int(counts[i]))
        self._updating = False

    def items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def item_for(self, actor_id: int) -> QTreeWidgetItem | None:
        return next((it for it in self.items() if it.data(0, ID_ROLE) == actor_id), None)

    def _narrow(self, text: str) -> None:
        text = text.strip().lower()
        for item in self.items():
            item.setHidden(bool(text) and text not in item.text(0).lower())

    def _selection_changed(self) -> None:
        if self._updating:
            return
        chosen = [it.data(0, ID_ROLE) for it in self.tree.selectedItems()]
        # keep the order of picking: the first two picked make a relationship A -> B
        self._picked = [a for a in self._picked if a in chosen] + [a for a in chosen if a not in self._picked]
        if self._picked:
            self.session.selection.select_actors(self._picked, origin=self)
        elif self.session.selection.selected_actors:
            self.session.selection.clear_selection(origin=self)

    def _checked(self, item, column) -> None:
        if self._updating or column != 0:
            return
        self._apply_checks()

    def _apply_checks(self) -> None:
        items = self.items()
        checked = {it.data(0, ID_ROLE) for it in items if it.checkState(0) == Qt.CheckState.Checked}
        value = None if len(checked) == len(items) else checked
        self.session.selection.set_actor_filter(value, origin=self)

    def _set_all(self, predicate) -> None:
        self._updating = True
        for item in self.items():
            state = Qt.CheckState.Checked if predicate(item.data(0, ID_ROLE)) else Qt.CheckState.Unchecked
            item.setCheckState(0, state)
        self._updating = False
        self._apply_checks()

    def check_all(self) -> None:
        self._set_all(lambda _a: True)

    def check_none(self) -> None:
        self._set_all(lambda _a: False)

    def check_selected(self) -> None:
        chosen = self.session.selection.selected_actors
        if chosen:
            self._set_all(lambda a: a in chosen)

    def _follow_selection(self, origin) -> None:
        if origin is self:
            return
        actors = self.session.selection.actor_order
        self._picked = list(actors)
        self._updating = True
        self.tree.clearSelection()
        for actor_id in actors:
            item = self.item_for(actor_id)
            if item is not None:
                item.setSelected(True)
                self.tree.scrollToItem(item)
        self._updating = False

    def _follow_filter(self, origin) -> None:
        if origin is self:
            return
        allowed = self.session.selection.actor_filter
        self._updating = True
        for item in self.items():
            ok = allowed is None or item.data(0, ID_ROLE) in allowed
            item.setCheckState(0, Qt.CheckState.Checked if ok else Qt.CheckState.Unchecked)
        self._updating = False
