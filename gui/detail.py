"""The detail panel: everything known about the selected event, actor or link.

Every string from the file is escaped before it reaches the rich-text view,
so a title such as ``<b>x</b>`` shows those characters and no HTML is ever
interpreted. Source links do not open on their own: a click asks first,
showing the full address.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QTextBrowser

from store.dates import DateError, as_read, describe, parse_date
from store.query_guard import StoreError
from store.records import RecordError, reference_date

from .text import escape

MAX_EVENTS_LISTED = 200
EVENT_LINK = "threadline-event:"


def _date_line(text: str | None, reference: str | None = None) -> str:
    if not text:
        return ""
    try:
        # the Date line above already says what relative words were read as
        return describe(parse_date(text, reference=reference_date(reference)))
    except (DateError, RecordError):
        return text


class DetailPanel(QTextBrowser):
    linkRequested = Signal(str)  # emitted after the user confirmed

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._anchor_clicked)
        self.confirm_links = True
        sel = session.selection
        sel.selectionChanged.connect(self.refresh)
        session.dataChanged.connect(self.refresh)
        # an edit shown through an overlay (a big file) changes no arrays
        # until it is folded in, seconds later: the panel reads the file
        # again now, so a moved event never shows its old date
        session.overlayChanged.connect(self.refresh)
        session.highlightReady.connect(self.refresh)  # a big selection's events, found on a worker
        self.refresh()

    # ---------------------------------------------------------- content
    def refresh(self, *_origin) -> None:
        try:
            html = self._html()
        except StoreError as exc:
            # a row the file holds that cannot be read (a value over the size
            # cap): said here, and the window goes on
            html = f"<p><b>This cannot be shown:</b> {escape(' '.join(str(exc).split()))}</p>"
        self.setHtml(html)

    def _html(self) -> str:
        sel = self.session.selection
        if len(sel.selected_events) == 1:
            html = self._event_html(next(iter(sel.selected_events)))
        elif sel.selected_events:
            html = self._events_html(sorted(sel.selected_events), f"{len(sel.selected_events)} events selected")
        elif len(sel.selected_actors) == 1:
            html = self._actor_html(next(iter(sel.selected_actors)))
        elif sel.selected_actors:
            html = self._events_html(self._event_ids_of_mask(), f"{len(sel.selected_actors)} actors selected")
        elif sel.selected_edge is not None:
            html = self._edge_html(sel.selected_edge)
        else:
            html = self._story_html()
        return html

    def _event_ids_of_mask(self):
        """The selection's event ids in time order (an array: a busy actor has
        millions, of which only the first are listed), or None while a big
        selection is being looked up (``highlightReady`` refreshes then)."""
        mask = self.session.highlight_mask(wait=False)
        if mask is None:
            return None if self.session.highlight_pending else np.zeros(0, np.int64)
        return self.session.data.event_ids[mask]

    def _story_html(self) -> str:
        s = self.session
        return (
            f"<h3>{escape(s.title)}</h3>"
            f"<p>{s.data.n_events} events, {s.data.n_actors - int(-1 in s.data.actor_ids)} actors.</p>"  # not the "(no actor)" lane
            "<p>Click an event or an actor in the timeline, the graph or the actor list to see it here. "
            "Shift-drag on the timeline to set a time window for the graph; Escape clears the selection.</p>"
        )

    def _event_html(self, event_id: int) -> str:
        detail = self.session.event_detail(event_id)
        if detail is None:
            return "<p>This event no longer exists.</p>"
        e = detail.event
        when = escape(as_read(e.start, e.date_reference)) + (f" to {escape(as_read(e.end, e.date_reference))}" if e.end else "")
        parts = [
            f"<h3>{escape(e.title)}</h3>",
            f"<p><b>Date:</b> {when}<br><span style='color:gray'>{escape(_date_line(e.start, e.date_reference))}"
            + (f"; ends {escape(_date_line(e.end, e.date_reference))}" if e.end else "")
            + "</span></p>",
            f"<p><b>Certainty:</b> {escape(e.certainty)}"
            + (f" &nbsp; <b>Type:</b> {escape(e.type)}" if e.type else "")
            + (f" &nbsp; <b>Location:</b> {escape(e.location)}" if e.location else "")
            + "</p>",
        ]
        if detail.actors:
            items = "".join(f"<li>{escape(a.name)} <i>({escape(role)})</i></li>" for a, role in detail.actors)
            parts.append(f"<p><b>Actors</b></p><ul>{items}</ul>")
        if e.summary:
            parts.append(f"<p>{escape(e.summary)}</p>")
        if detail.sources:
            parts.append("<p><b>Sources</b></p>")

            offsets = self.session.quote_offsets(event_id)
            for src, quote in detail.sources:
                head = ", ".join(escape(x) for x in (src.publisher, src.title, src.date) if x)
                block = f"<p style='margin-left:8px'>{head}"
                if quote:
                    block += f"<br><i>“{escape(quote)}”</i>"
                if src.id in offsets:
                    start, end, ok = offsets[src.id]
                    block += (f"<br><span style='color:gray'>characters {start}–{end} of the document</span>" if ok else
                              "<br><b style='color:#b3261e'>⚠ this quote does not match its document at "
                              f"characters {start}–{end}</b>")
                if src.url:
                    block += f"<br><a href='{escape(src.url)}'>{escape(src.url)}</a>"
                parts.append(block + "</p>")
        else:
            parts.append("<p><i>No source cited.</i></p>")
        return "".join(parts)

    def _actor_html(self, actor_id: int) -> str:
        actor = self.session.actor(actor_id)
        if actor is None:
            return "<p>This actor no longer exists.</p>"
        facts = [escape(actor.kind)]
        if actor.title:
            facts.append(escape(actor.title))
        if actor.country:
            facts.append(escape(actor.country))
        parts = [f"<h3>{escape(actor.name)}</h3>", f"<p>{' · '.join(facts)}</p>"]
        if actor.aliases:
            parts.append(f"<p><b>Also:</b> {escape(', '.join(actor.aliases))}</p>")
        if actor.notes:
            parts.append(f"<p>{escape(actor.notes)}</p>")
        return "".join(parts) + self._events_html(self._event_ids_of_mask(), "Events", heading_level=4)

    def _edge_html(self, edge) -> str:
        names = {}
        for actor_id in (edge.a, edge.b):
            actor = self.session.actor(actor_id)
            names[actor_id] = actor.name if actor else "?"
        if edge.kind == "rel":
            rel = next((r for r in self.session.relationships if r.id == edge.relationship_id), None)
            if rel is None:
                return "<p>This relationship no longer exists.</p>"
            arrow = "→" if rel.directed else "—"
            span = f"{escape(rel.start or 'open')} to {escape(rel.end or 'open')}"
            head = (
                f"<h3>{escape(names[edge.a])} {arrow} {escape(names[edge.b])}</h3>"
                f"<p><b>{escape(rel.type)}</b>, {span}; certainty {escape(rel.certainty)}</p>"
                + (f"<p>{escape(rel.notes)}</p>" if rel.notes else "")
            )
            return head + self._events_html(self._event_ids_of_mask(), "Evidence", heading_level=4)
        head = f"<h3>{escape(names[edge.a])} — {escape(names[edge.b])}</h3><p>Events they share in the window:</p>"
        return head + self._events_html(self._event_ids_of_mask(), "", heading_level=4)

    def _events_html(self, event_ids, heading: str, heading_level: int = 3) -> str:
        if event_ids is None:
            title = f"<h{heading_level}>{escape(heading)}</h{heading_level}>" if heading else ""
            return f"{title}<p><i>Finding the events…</i></p>"
        ids = [int(e) for e in event_ids[:MAX_EVENTS_LISTED]]
        tips = self.session.event_summaries(ids)
        rows = sorted(tips.items(), key=lambda kv: self._order(kv[0]))
        # each title is a link that selects its event (an in-app address, never opened in a browser)
        items = "".join(f"<li>{escape(start)} — <a href='{EVENT_LINK}{eid}'>{escape(title)}</a></li>"
                        for eid, (title, start, _end, _n) in rows)
        more = f"<p>… and {len(event_ids) - len(ids)} more</p>" if len(event_ids) > len(ids) else ""
        title = f"<h{heading_level}>{escape(heading)} ({len(event_ids)})</h{heading_level}>" if heading else ""
        return f"{title}<ul>{items}</ul>{more}" if len(event_ids) else f"{title}<p><i>None.</i></p>"

    def _order(self, event_id: int) -> int:
        starts, _ends = self.session.event_bounds([event_id])  # an edit not yet folded in included
        return int(starts[0]) if len(starts) else 0

    # ---------------------------------------------------------- links
    def _anchor_clicked(self, url: QUrl) -> None:
        address = url.toString()
        if address.startswith(EVENT_LINK):
            try:
                event_id = int(address[len(EVENT_LINK):])
            except ValueError:
                return
            self.session.selection.select_events([event_id], origin=self)
            return
        if self.confirm_links:
            box = QMessageBox(QMessageBox.Icon.Question, "Open link?", "", parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)  # the address is data, not markup
            box.setText(f"Open this address in your web browser?\n\n{address}")
            box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
            if box.exec() != QMessageBox.StandardButton.Open:
                return
        self.linkRequested.emit(address)
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
