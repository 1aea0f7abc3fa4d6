"""Help > Quick guide: every mouse gesture and key of the window, on one page.

The same rows as the README's "mouse and keys" tables; the tests press
these keys and make these gestures.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from .text import escape

GUIDE = (
    ("Look around", (
        ("zoom time", "mouse wheel or pinch over the timeline; + / −; Ctrl-drag a range; Home fits all"),
        ("pan", "drag the timeline (a plain drag never changes data); ← / →; drag the window on the overview strip"),
        ("set a time window for the graph", "Shift-drag on the timeline; Ctrl+Backspace clears it"),
        ("arrange the graph", "drag a node to move it (the view only); drag beside the nodes to pan; wheel to zoom"),
        ("select", "click an event, a lane label, a node or a list row; Ctrl- or Shift-click adds; Escape clears"),
        ("filter", "type in the search box (Ctrl+F); untick actors in the actor list: their lanes and nodes go, "
                   "events stay while one of their actors is ticked; Ctrl+Shift+F clears"),
        ("keys while typing", "in the search box the window's Ctrl and Alt keys still work (Ctrl+E, Ctrl+D...), "
                              "except a text box's own: Ctrl+A, C, X, V, Z (undoes the typing), Ctrl+← / →"),
    )),
    ("Edit (every change saved at once, every change undoable)", (
        ("new event", "Ctrl+N; or type a date and a title in the row under the event table and press Enter"),
        ("new actor", "Ctrl+Shift+A; or type a new name in an event's actor list"),
        ("in a dialog", "Enter in an actor's name or a type takes it and the dialog stays open; "
                        "Enter in another field saves; Ctrl+Enter saves from anywhere"),
        ("new relationship", "Ctrl+R with two actors selected (first picked → second); or Shift-drag node to node"),
        ("edit", "double-click an event (in the table: the cursor starts in the column clicked); Ctrl+Return"),
        ("move an event in time", "Alt-drag it on the timeline (or Edit > Move events by dragging, Ctrl+Shift+M); "
                                  "the label shows the new date as it will be written"),
        ("duplicate / delete", "Ctrl+D / Delete"),
        ("undo / redo", "Ctrl+Z / Ctrl+Y or Ctrl+Shift+Z; an import is one step"),
    )),
    ("Files", (
        ("new database / open", "Ctrl+Shift+N / Ctrl+O"),
        ("import / export", "Ctrl+I / Ctrl+E (timeline PNG), Ctrl+Shift+E (graph PNG)"),
        ("story title and description", "File > Story properties (exports are titled with it)"),
        ("close / quit", "Ctrl+W / Ctrl+Q"),
    )),
)


def guide_html() -> str:
    rows = []
    for heading, entries in GUIDE:  # one table, so the columns line up under every heading
        rows.append(f"<tr><td colspan='2'><h3>{escape(heading)}</h3></td></tr>")
        rows += [f"<tr><td width='230'><b>{escape(to)}</b></td><td>{escape(do)}</td></tr>" for to, do in entries]
    return f"<table cellspacing='0' cellpadding='4' width='100%'>{''.join(rows)}</table>"


class GuideDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Threadline: mouse and keys")
        self.text = QTextBrowser()
        self.text.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 620)

    def exec_or_show(self, run) -> None:
        """Through the editor's dialog hook, so a test can look at it without a modal loop."""
        run(self)
