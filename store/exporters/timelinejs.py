"""TimelineJS JSON (Knight Lab), to publish a story as a web timeline.

Every event is a slide. TimelineJS reads headline and text as HTML, so
everything from the database is HTML-escaped (a title "<script>" shows as
text; line breaks become <br>). Dates are written down to the event's
precision: "May 2025" gives year and month only. An approximate date is
written at its middle ("c. 2016" as 2016) with the text as written in
``display_date``; a range written as the start ("2016-2018") gives
start_date 2016 (display_date "2016-2018") and end_date 2018, and so does
a named period over several units ("the 1990s": 1990 to 1999, "Q2 2025":
April to June 2025, "winter 2024": December 2024 to February 2025). ``group`` is the event type.

Media: TimelineJS shows a slide's media as a picture or a player, so only
a source whose address is an image or a video (by its file extension, or
a YouTube or Vimeo page) becomes the slide's media; an article's address
would show as a broken image. Every other source with a web address is a
link in the slide's text ("Source: <a href=...>Publisher — Title</a>").
Only http(s) addresses are used, and one holding a quote, angle bracket,
backslash, back-tick or white space is refused (it is not a valid URL, and
could break out of the attribute); the address is HTML-escaped too.

Threadline extras, which TimelineJS ignores and our importer reads back:
``threadline_actors`` ([{"name", "role", "kind"}]), ``threadline_certainty``,
``threadline_location``, ``threadline_summary`` (the summary as plain text,
without the source links) and ``threadline_sources`` ([{"publisher",
"title", "url"}]). ``unique_id`` is the event's external_id, or a
hash of its title and dates. The title slide comes from the story's title
and description.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from .. import queries, records
from ..atomic_file import atomic_write_text
from ..dates import DateError, datetime_from_seconds, parse_date, truncate

FIELDS = {"year": 1, "month": 2, "day": 3, "minute": 5}  # date fields written per precision
DATE_KEYS = ("year", "month", "day", "hour", "minute")


def _html(text: str | None) -> str:
    """Plain text made safe for TimelineJS's HTML, line breaks kept."""
    return html.escape(text or "").replace("\r\n", "\n").replace("\n", "<br>")


def _fields(seconds: int, precision: str) -> dict:
    dt = datetime_from_seconds(seconds)
    values = (dt.year, dt.month, dt.day, dt.hour, dt.minute)
    return dict(zip(DATE_KEYS, values[: FIELDS.get(precision, 3)]))


def _reference(text: str | None):
    """The stored date_reference as the day parse_date wants (None when it is not one day)."""
    return records.reference_date(text, strict=False)


def _written(text: str, reference) -> tuple[dict, dict | None]:
    """The date fields of one written date: a plain date gives its own
    unit; an approximate one its middle (it was widened one unit each
    side); a range its first and last unit."""
    fd = parse_date(text, reference)
    last = truncate(fd.latest, fd.precision)
    if fd.is_range or (not fd.approximate and last != truncate(fd.earliest, fd.precision)):
        # "2016-2018", and named periods over several units: "the 1990s", "winter 2024", "Q2 2025"
        return _fields(fd.earliest, fd.precision), _fields(last, fd.precision)
    if fd.approximate:
        middle = truncate((fd.earliest + fd.latest) // 2, fd.precision)
        return {**_fields(middle, fd.precision), "display_date": text}, None
    return _fields(fd.earliest, fd.precision), None


def slide_dates(e: queries.EventRow) -> tuple[dict, dict | None]:
    """start_date and end_date (or None) of an event. Dates are re-read from
    the text as written, because the stored end bound also covers the start
    ("2019/2025" to "May 2025" is stored as ending in December 2025)."""
    reference = _reference(e.date_reference)
    try:
        start, range_end = _written(e.start, reference)
        end, end_range_end = _written(e.end, reference) if e.end else (None, None)
    except DateError:  # unreadable now: fall back on the stored bounds
        return _fields(e.earliest, e.precision), None
    if range_end:
        start["display_date"] = e.start  # the words as written: TimelineJS shows them
    if end_range_end:
        end = {**end_range_end, "display_date": e.end}
    return start, end or range_end


def _unique_id(e: queries.EventRow, used: set[str]) -> str:
    content = f"{e.title}\x1f{e.earliest}\x1f{e.latest}".encode()
    uid = e.external_id or "threadline-" + hashlib.sha1(content).hexdigest()[:16]
    if uid in used:
        uid = f"{uid}-{e.id}"
    used.add(uid)
    return uid


def _people(db) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    sql = (
        "SELECT ea.event_id, a.name, ea.role, a.kind FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        "ORDER BY ea.event_id, CASE ea.role WHEN 'initiator' THEN 0 WHEN 'target' THEN 1 "
        "WHEN 'participant' THEN 2 ELSE 3 END, a.name"
    )
    for event_id, name, role, kind in db.execute(sql):
        found[event_id].append({"name": name, "role": role, "kind": kind})
    return found


MEDIA_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff", ".mp4", ".webm", ".ogv", ".mov", ".m4v",
)  # fmt: skip
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")
_UNSAFE = set("\"'<>\\`") | {chr(c) for c in range(33)} | {"\x7f"}


def safe_url(url: str | None) -> str | None:
    """An http(s) address that cannot break out of an HTML attribute, else None."""
    if not url or any(c in _UNSAFE for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def is_media(url: str) -> bool:
    """Whether TimelineJS can show the address as media: an image or a video."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    return parts.path.lower().endswith(MEDIA_EXTENSIONS) or host in VIDEO_HOSTS or host.endswith(".youtube.com")


def _sources(db) -> dict[int, list[tuple[str | None, str | None, str | None]]]:
    """(publisher, title, url) of each event's sources, in order."""
    found: dict[int, list] = defaultdict(list)
    sql = (
        "SELECT es.event_id, s.publisher, s.title, s.url FROM event_sources es JOIN sources s ON s.id = es.source_id "
        "ORDER BY es.event_id, s.id"
    )
    for event_id, publisher, title, url in db.execute(sql):
        found[event_id].append((publisher, title, url))
    return found


def _media(sources: list) -> dict | None:
    """The first image or video among the sources, as TimelineJS media."""
    for publisher, title, url in sources:
        url = safe_url(url)
        if url and is_media(url):
            return {"url": url, "caption": _html(title), "credit": _html(publisher)}
    return None


def _links(sources: list, media: dict | None) -> str:
    """Each source with a web address that is not the media, as a link."""
    out = []
    for publisher, title, url in sources:
        url = safe_url(url)
        if not url or (media and media["url"] == url):
            continue
        label = " — ".join(p for p in (publisher, title) if p) or url
        out.append(f'<p>Source: <a href="{html.escape(url, quote=True)}">{_html(label)}</a></p>')
    return "".join(out)


def _slide(e: queries.EventRow, people: list, sources: list, used: set[str]) -> dict:
    start, end = slide_dates(e)
    media = _media(sources)
    text = _html(e.summary) + _links(sources, media)
    slide = {"start_date": start, "text": {"headline": _html(e.title), "text": text}}
    if end:
        slide["end_date"] = end
    if e.type:
        slide["group"] = _html(e.type)
    if media:
        slide["media"] = media
    slide["unique_id"] = _unique_id(e, used)
    slide["threadline_actors"] = people
    slide["threadline_certainty"] = e.certainty
    if e.location:
        slide["threadline_location"] = e.location
    if e.summary:
        slide["threadline_summary"] = e.summary
    if sources:
        slide["threadline_sources"] = [{"publisher": p, "title": t, "url": u} for p, t, u in sources]
    return slide


def timeline_dict(db, window=(None, None)) -> dict:
    people, sources, used = _people(db), _sources(db), set()
    data: dict = {}
    title, description = records.get_meta(db, "title"), records.get_meta(db, "description")
    if title or description:
        data["title"] = {"text": {"headline": _html(title), "text": _html(description)}}
    data["events"] = [
        _slide(e, people.get(e.id, []), sources.get(e.id, []), used) for e in queries.events_in_window(db, window)
    ]
    return data


def export_file(db, out: str | Path, window=(None, None)) -> None:
    text = json.dumps(timeline_dict(db, window), ensure_ascii=False, indent=2)
    # The same JSON values, with no raw angle bracket anywhere (the plain
    # threadline_* extras included), so the file is safe inlined in a page too.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    atomic_write_text(out, text + "\n")
