"""A web page printed to PDF: what the browser and the site add to the article.

A journalist often keeps a web article as the PDF the browser prints. Its
text then holds more than the article: the browser's running head and foot
on every page ("12/2/26, 2:52 AM <title>", "https://... 1/3"), the site's
menus ("Home | News | Sport | Subscribe"), and the readers' comments under
the article. Names and dates in those lines would be suggested as events,
and a comment is not the publication's word. Cleaning works page by page,
so the page a quote lies on stays right; what the footer says of the page's
address, and the date the article says it was published, are kept as the
document's own metadata.

Nothing here reads PDF or writes; ``store.readers`` calls it on the text of
each page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

# Chromium, Edge: "12/2/26, 2:52 AM Title" at the top, "URL 1/3" at the foot;
# Firefox: "Page 1 of 3" and the date and time in the corners
_PRINT_STAMP = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s|$)")
_ADDRESS_FOOT = re.compile(r"^(?P<url>(?:https?|file)://\S+)(?:\s+(?P<page>\d+)\s*/\s*\d+)?$")
_PAGE_OF = re.compile(r"^(?:Page\s+)?\d+\s*(?:/|of)\s*\d+$", re.IGNORECASE)
_MENU_SEPARATOR = re.compile(r"\s+[|·•]\s+")
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:comments?|reader comments|readers' comments|join the (?:conversation|discussion)|"
    r"leave a (?:comment|reply)|show comments|view comments)(?:\s*\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(r"^(?:first\s+)?(?:published|posted)(?:\s+on)?\s*:?\s+(?P<rest>.+)$", re.IGNORECASE)
_UPDATED = re.compile(r"^(?:last\s+)?updated(?:\s+on)?\s*:?\s+(?P<rest>.+)$", re.IGNORECASE)
_EDGE_LINES = 3  # a running head or foot is among the first or last lines of a page
_HEAD_WORDS = 14  # a site's name and a title, a date, a page number
_DATE_LINES = 30  # a byline's date is near the top of the first page


@dataclass
class CleanPages:
    pages: list[str]
    url: str | None  # the page's address, from the browser's footer (not a local file's)
    date: str | None  # the publication date the article states, as YYYY-MM-DD


def clean_pages(pages: list[str]) -> CleanPages:
    """The pages without running heads and feet, menus and readers'
    comments; the address and the stated publication date beside them."""
    url = _address(pages)
    running = _running_lines(pages)
    kept = [_without_edges(page, running) for page in pages]
    kept = [_without_menus(page) for page in kept]
    kept = _without_comments(kept)
    return CleanPages(kept, url, stated_publication_date(next((p for p in kept if p.strip()), "")))


def _mask(line: str) -> str:
    """A line with its numbers blanked: "Page 2 of 5" and "Page 3 of 5" are one running line."""
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _edges(page: str) -> list[str]:
    lines = [line for line in page.split("\n") if line.strip()]
    return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]


def _is_print_furniture(line: str) -> bool:
    line = line.strip()
    return bool(_PRINT_STAMP.match(line) or _ADDRESS_FOOT.match(line) or _PAGE_OF.match(line))


def _running_lines(pages: list[str]) -> set[str]:
    """Masked lines found at the top or foot of most pages (two pages at
    least): a site's or a browser's running head and foot."""
    if len([p for p in pages if p.strip()]) < 2:
        return set()
    seen: dict[str, int] = {}
    for page in pages:
        for masked in {_mask(line) for line in _edges(page)}:
            seen[masked] = seen.get(masked, 0) + 1
    need = max(2, -(-len(pages) * 6 // 10))
    return {masked for masked, n in seen.items() if n >= need and _head_like(masked)}


def _head_like(line: str) -> bool:
    """Short and not a sentence's end: a running head, not a line of prose
    that happens to recur where a page breaks."""
    return 1 < len(line) and len(line.split()) <= _HEAD_WORDS and not line.endswith((".", ",", ";", ":", "?", "!"))


def _without_edges(page: str, running: set[str]) -> str:
    lines = page.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edge = set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])
    drop = {i for i in edge if _mask(lines[i]) in running or _is_print_furniture(lines[i])}
    return "\n".join(line for i, line in enumerate(lines) if i not in drop).strip("\n")


def _is_menu(line: str) -> bool:
    """Three or more short items in a row between bars or dots ("Home |
    News | Sport"): a site's menu, never a sentence."""
    items = [item.strip() for item in _MENU_SEPARATOR.split(line.strip())]
    return len(items) >= 3 and all(0 < len(item.split()) <= 3 and not item.endswith((".", "?", "!"))
                                   for item in items)


def _without_menus(page: str) -> str:
    return "\n".join(line for line in page.split("\n") if not _is_menu(line))


def _without_comments(pages: list[str]) -> list[str]:
    """Everything from a readers' comments heading on, when the heading comes
    after the article's first third (a heading at the top is the article's)."""
    total = sum(len(p) for p in pages)
    before = 0
    for n, page in enumerate(pages):
        offset = 0
        for line in page.split("\n"):
            if _COMMENTS_HEADING.match(line.strip()) and before + offset > total / 3:
                return [*pages[:n], page[:offset].rstrip("\n"), *("" for _ in pages[n + 1:])]
            offset += len(line) + 1
        before += len(page)
    return pages


def _address(pages: list[str]) -> str | None:
    for page in pages:
        for line in _edges(page):
            match = _ADDRESS_FOOT.match(line.strip())
            if match and not match["url"].startswith("file:"):
                return match["url"]
    return None


def stated_publication_date(first_page: str, datelines: bool = True) -> str | None:
    """The date the article says it was published: a "Published ..." line
    near the top of the first page, else an "Updated ..." one, else (with
    ``datelines``: a printed web page, whose byline often has no word) a
    line that is a date alone. None when none is stated."""
    lines = [line.strip() for line in first_page.split("\n") if line.strip()][:_DATE_LINES]
    for pattern in (_PUBLISHED, _UPDATED):
        for line in lines:
            match = pattern.match(line)
            if match and (day := _day_in(match["rest"], alone=False)):
                return day
    for line in lines if datelines else ():
        if day := _day_in(line, alone=True):
            return day
    return None


def _day_in(text: str, alone: bool) -> str | None:
    """The first day-precise date in ``text`` as YYYY-MM-DD; with ``alone``,
    only when the text is that date and little else (a weekday, a time)."""
    from .textscan import find_dates

    for found in find_dates(text, 0, len(text), None):
        if found.earliest is None or found.precision not in ("day", "minute"):
            continue
        if alone and len(text) - len(found.text) > 16:
            return None  # a sentence with a date in it, not a dateline
        return datetime.fromtimestamp(found.earliest, timezone.utc).date().isoformat()
    return None
