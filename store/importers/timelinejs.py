"""TimelineJS JSON (Knight Lab): ``{"title": {...}, "events": [...]}``.

Each event (slide) has ``start_date``/``end_date`` objects with ``year``,
``month``, ``day``, ``hour``, ``minute``; the precision is the finest field
given in order (year, month, day, then a time of day is "minute"). Its
``text.headline`` becomes the title and ``text.text`` the summary: both may
hold HTML, which is turned into plain text (tags dropped, entities
decoded, <br> and paragraphs as line breaks). ``group`` becomes the type,
``media.url`` (a web address) a source with the caption as its title and
the credit as its publisher, and ``unique_id`` the event's identity (else a
hash of title and dates). The title slide fills the story's title and
description when they are empty.

TimelineJS has no actors; the Threadline exporter adds
``"threadline_actors": [{"name", "role", "kind"}]`` (plain name strings are
accepted too) and ``threadline_certainty`` / ``threadline_location``, read
back here so a round trip keeps them. Without them, certainty is "reported".
Slides that cannot be read are skipped and reported as "events[N]".
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from .. import records
from ..interchange import ImportError_, ImportReport
from ..writing import write
from ..dates import DateError, parse_date
from ..records import RecordError
from ..schema import CERTAINTIES
from .books import ImportBooks
from .log import Log
from .text_input import read_json
from .values import role_or, short_title, stable_id
from .writer import complete, event_row

DATE_PARTS = ("year", "month", "day", "hour", "minute")
DEFAULT_CERTAINTY = "reported"


# ---------------------------------------------------------------- HTML


class _PlainText(HTMLParser):
    """Collects the text of an HTML fragment; block tags become newlines."""

    BREAKS = {"br", "p", "div", "li", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
    HIDDEN = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)  # &amp; &#39; ... decoded for us
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup, *, one_line: bool = False) -> str:
    """Plain text of an HTML fragment, spaces collapsed; one_line joins the
    lines (for titles)."""
    if markup is None:
        return ""
    parser = _PlainText()
    parser.feed(str(markup))
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return (" " if one_line else "\n").join(line for line in lines if line)


# ---------------------------------------------------------------- slides


class _Skip(Exception):
    """This slide cannot be imported; the message says why."""


def date_text(fields) -> str | None:
    """ "2015", "2015-03", "2015-03-04" or "2015-03-04 10:30" from a
    TimelineJS date object, or None when it has no year."""
    if not isinstance(fields, dict):
        return None
    values = []
    for part in DATE_PARTS:
        value = fields.get(part)
        if value is None or str(value).strip() == "":
            break
        try:
            values.append(int(str(value).strip()))
        except ValueError:
            raise _Skip(f"{part} '{value}' is not a whole number") from None
    if not values:
        return None
    if not 1 <= values[0] <= 9999:
        raise _Skip(f"year {values[0]} is outside 1 to 9999")
    text = f"{values[0]:04d}" + "".join(f"-{v:02d}" for v in values[1:3])
    if len(values) > 3:
        text += f" {values[3]:02d}:{values[4] if len(values) > 4 else 0:02d}"
    return text


def written_date(fields) -> str | None:
    """The date text for one TimelineJS date: its display_date when that is
    a date we can read and it agrees with the fields (our own export writes
    "c. 2016" there, so a round trip keeps the approximation), else the
    fields."""
    text = date_text(fields)
    shown = html_to_text(fields.get("display_date"), one_line=True) if text else ""
    if not shown:
        return text
    try:
        exact, display = parse_date(text), parse_date(shown)
    except DateError:
        return text
    return shown if display.earliest <= exact.earliest and exact.latest <= display.latest else text


def _covers(start: str, end: str, end_fields) -> bool:
    """Whether the start's words ("Q2 2025", shown by display_date) end
    exactly where the end date does, the end having no words of its own."""
    if isinstance(end_fields, dict) and end_fields.get("display_date"):
        return False
    try:
        first, last = parse_date(start), parse_date(end)
    except DateError:
        return False
    return first.latest == last.latest and first.earliest <= last.earliest


def _plain(value) -> str | None:
    """A threadline_* extra: plain text (our exporter does not escape it,
    since TimelineJS never shows it), spaces collapsed."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _web_address(value) -> str | None:
    """media.url may also be embed code or a bare path; only http(s) URLs
    make sources."""
    text = str(value or "").strip()
    return text if urlsplit(text).scheme in ("http", "https") else None


class _Importer(ImportBooks):
    def slide(self, slide) -> None:
        if not isinstance(slide, dict):
            raise _Skip("not an object")
        start = written_date(slide.get("start_date"))
        if start is None:
            raise _Skip("no start_date year")
        end = written_date(slide.get("end_date"))
        if end is not None and _covers(start, end, slide.get("end_date")):
            end = None  # our export's end of "Q2 2025" or "2016-2018": the start's words already say it
        try:
            bounds = records.event_bounds(start, end)
        except RecordError as exc:
            raise _Skip(str(exc)) from None
        text = slide.get("text") if isinstance(slide.get("text"), dict) else {}
        own = slide.get("threadline_summary")  # our export: the summary without its source links
        summary = (own if isinstance(own, str) else html_to_text(text.get("text"))) or None
        title = html_to_text(text.get("headline"), one_line=True) or short_title(summary or "") or f"Event ({start})"
        if self._same_event_exists(title, bounds):
            self.log.same_content += 1
            return
        external_id = str(slide.get("unique_id") or "").strip() or stable_id("timelinejs:", [title, start, end])
        row = event_row(
            title=title, bounds=bounds, certainty=self._certainty(slide), summary=summary,
            type=html_to_text(slide.get("group"), one_line=True) or None,
            location=_plain(slide.get("threadline_location")), external_id=external_id,
        )  # fmt: skip
        self.writer.add(row, self._actors(slide), self._own_sources(slide) or self._media(slide))

    def _same_event_exists(self, title: str, bounds: dict) -> bool:
        # Our own export of an event without an external_id comes back with
        # a made-up unique_id; its title and dates still identify it.
        sql = "SELECT 1 FROM events WHERE title = ? AND earliest = ? AND latest = ? LIMIT 1"
        return self.conn.execute(sql, [title, bounds["earliest"], bounds["latest"]]).fetchone() is not None

    @staticmethod
    def _certainty(slide: dict) -> str:
        value = str(slide.get("threadline_certainty") or "").strip().lower()
        return value if value in CERTAINTIES else DEFAULT_CERTAINTY

    def _actors(self, slide: dict) -> list[tuple[int, str]]:
        found = []
        entries = slide.get("threadline_actors")
        for entry in entries if isinstance(entries, list) else []:
            entry = entry if isinstance(entry, dict) else {"name": entry}
            name = _plain(entry.get("name"))
            if name:
                actor_id = self.actors.named(name, str(entry.get("kind") or "person"))
                found.append((actor_id, role_or(entry.get("role"))))
        return found

    def _own_sources(self, slide: dict) -> list[tuple[int, None]]:
        """Sources as our export writes them (threadline_sources)."""
        found = []
        entries = slide.get("threadline_sources")
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            source_id = self.sources.get(
                url=_web_address(entry.get("url")), publisher=_plain(entry.get("publisher")), title=_plain(entry.get("title"))
            )
            if source_id is not None and (source_id, None) not in found:
                found.append((source_id, None))
        return found

    def _media(self, slide: dict) -> list[tuple[int, None]]:
        media = slide.get("media") if isinstance(slide.get("media"), dict) else {}
        url = _web_address(media.get("url"))
        if not url:
            return []
        source_id = self.sources.get(
            url=url,
            publisher=html_to_text(media.get("credit"), one_line=True) or None,
            title=html_to_text(media.get("caption"), one_line=True) or None,
        )
        return [(source_id, None)]


def _title_slide(db, data: dict) -> None:
    """The title slide names the story, unless it already has a name."""
    slide = data.get("title")
    text = slide.get("text") if isinstance(slide, dict) and isinstance(slide.get("text"), dict) else {}
    found = {"title": html_to_text(text.get("headline"), one_line=True), "description": html_to_text(text.get("text"))}
    for key, value in found.items():
        if value and not records.get_meta(db, key):
            records.set_meta(db, key, value)


def import_file(db, path: str | Path) -> ImportReport:
    """Add the slides of a TimelineJS JSON file as events, all or nothing."""
    path = Path(path)
    log = Log(ImportReport())
    data = read_json(path, log)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ImportError_(f"{path}: not a TimelineJS file (no \"events\" list)")
    with write(db, "import TimelineJS", bulk=True):
        _title_slide(db, data)
        importer = _Importer(db, log)
        for i, slide in enumerate(data["events"]):
            try:
                importer.slide(slide)
            except _Skip as exc:
                log.skip(f"events[{i}]", str(exc))
        complete(importer.writer, importer.actors)
    return log.finish()
