"""ICEWS coded event files: tab-separated UTF-8 with a header line, one
event a row, "NA" for a missing value (see shared/data/ICEWS.md).

What becomes what:

* an event per row, ``external_id`` the Event ID in the data set "ICEWS"
  (``--dataset`` names another), dated by Event Date to the day, type =
  the CAMEO Code as text ("040", leading zeros kept), title "Source →
  Target: Event Text", certainty "reported"; the event text, CAMEO code,
  intensity (a number), story id, sentence number, latitude and longitude
  (numbers) and the place columns go in ``attributes``. Rows identical in
  every other column are still separate events (another story or
  sentence): the Event ID is the identity.
* location: City, District, Province and Country, those given, joined by
  ", ".
* Source is the "initiator", Target the "target"; one actor per name
  (``external_id`` "icews:<name>"), with its country, and its sectors and
  country in ``attributes``. Kind from the sectors: Media is "media";
  International Government Organizations, NGOs, Business and Parties
  are "organisation"; government sectors (Government, Executive, Police,
  Military, Legislative, Judicial, ministries, ...) are "government body"
  for a role qualified by its country ("Police (India)") and "person" for
  a named individual ("Donald Trump"); population, insurgent, protester,
  religious and similar sectors are "group"; no sectors and no role in
  brackets is a "country" ("Russia", "United States"); anything else is a
  "person".
* Publisher becomes the source, one per publisher and story ("Reuters News",
  title "ICEWS story 5001").

A row without an Event ID or with an unreadable date is skipped and listed
by line; a missing column is an error naming the columns the file has.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .. import records
from ..interchange import ImportError_, ImportReport
from ..writing import write
from ..records import RecordError
from .books import ImportBooks, note_file, remember_file
from .log import Log
from .text_input import csv_records, text_lines
from .values import present
from .writer import complete, event_row

DATASET = "ICEWS"
COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)  # fmt: skip
REQUIRED = ("Event ID", "Event Date", "Source Name", "Target Name")
PLACE = ("City", "District", "Province", "Country")

MEDIA = {"media", "news"}
ORGANISATION = {"international government organizations", "ngo", "ngos", "business", "parties", "corporate"}
GOVERNMENT_WORDS = (
    "government", "executive", "police", "military", "legislative", "parliament", "judicial", "ministry",
    "cabinet", "foreign", "defense", "defence", "interior", "elite", "intelligence", "state",
)  # fmt: skip
GROUP_WORDS = (
    "population", "civilian", "social", "insurgent", "protest", "opposition", "mob", "criminal", "religious",
    "ethnic", "ideological", "rebel", "dissident", "refugee", "labor", "labour", "education", "medical", "agricultural",
)  # fmt: skip


def sectors_of(cell: str | None) -> list[str]:
    """'Government,Police' -> ['Government', 'Police']; a sector name may
    itself hold ' / ' but never a comma."""
    return [s.strip() for s in (cell or "").split(",") if s.strip()]


def actor_kind(name: str, sectors: list[str]) -> str:
    lowered = [s.lower() for s in sectors]
    qualified = name.endswith(")") and "(" in name  # "Police (India)": a role in a country
    if any(s in MEDIA for s in lowered):
        return "media"
    if any(s in ORGANISATION for s in lowered):
        return "organisation"
    if any(w in s for s in lowered for w in GOVERNMENT_WORDS):
        return "government body" if qualified else "person"
    if any(w in s for s in lowered for w in GROUP_WORDS):
        return "group"
    if not sectors and not qualified:
        return "country"
    return "group" if qualified else "person"


def _number(text: str | None):
    """A number cell as a JSON number when it is one, else kept as text."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value


class _Importer(ImportBooks):
    def __init__(self, db, log: Log, at: dict[str, int], *, dataset: str, update: bool):
        super().__init__(db, log, dataset=dataset, update=update)
        self.at = at

    def row(self, line: int, cells: list[str]) -> None:
        values = {name: present(cells[i]) if i < len(cells) else None for name, i in self.at.items()}
        if not any(values.values()):
            return
        event_id = values.get("Event ID")
        if not event_id:
            self.log.skip(line, "no Event ID")
            return
        if not values.get("Event Date"):
            self.log.skip(line, "no Event Date")
            return
        try:
            bounds = records.event_bounds(values["Event Date"])
        except RecordError as exc:
            self.log.skip(line, str(exc).replace("start: ", "Event Date: ", 1))
            return
        source, target = values.get("Source Name"), values.get("Target Name")
        what = values.get("Event Text") or (f"CAMEO {values['CAMEO Code']}" if values.get("CAMEO Code") else "Event")
        who = f"{source or 'Unidentified'} → {target}" if target else source
        row = event_row(
            title=f"{who}: {what}" if who else what, bounds=bounds, certainty="reported",
            type=values.get("CAMEO Code"), location=", ".join(v for v in (values.get(p) for p in PLACE) if v) or None,
            attributes=self._attributes(values), external_id=event_id,
        )  # fmt: skip
        actors = []  # the same actor on both sides keeps both roles
        if source:
            actors.append((self._actor(source, values.get("Source Sectors"), values.get("Source Country")), "initiator"))
        if target:
            actors.append((self._actor(target, values.get("Target Sectors"), values.get("Target Country")), "target"))
        sources = []
        publisher, story = values.get("Publisher"), values.get("Story ID")
        if publisher or story:
            title = f"ICEWS story {story}" if story else None
            sources.append((self.sources.get(publisher=publisher, title=title), None))
        self.writer.add(row, actors, sources, line)

    @staticmethod
    def _attributes(values: dict) -> dict:
        attrs = {
            "event_text": values.get("Event Text"), "cameo_code": values.get("CAMEO Code"),
            "intensity": _number(values.get("Intensity")), "story_id": values.get("Story ID"),
            "sentence_number": _number(values.get("Sentence Number")),
            "latitude": _number(values.get("Latitude")), "longitude": _number(values.get("Longitude")),
            **{p.lower(): values.get(p) for p in PLACE},
        }  # fmt: skip
        return {k: v for k, v in attrs.items() if v is not None}

    def _actor(self, name: str, sectors_cell: str | None, country: str | None) -> int:
        sectors = sectors_of(sectors_cell)
        attributes = {"icews_sectors": sectors, "icews_country": country}
        return self.actors.external(
            f"icews:{name}", name, actor_kind(name, sectors), suffix="ICEWS", country=country,
            attributes={k: v for k, v in attributes.items() if v} or None,
        )  # fmt: skip


def _columns(header: list[str], path: Path) -> dict[str, int]:
    folded = {h.strip().casefold(): i for i, h in reversed(list(enumerate(header)))}
    missing = [c for c in REQUIRED if c.casefold() not in folded]
    if missing:
        listing = ", ".join(f"'{h.strip()}'" for h in header)
        raise ImportError_(
            f"{path}: line 1: not an ICEWS file (no column {', '.join(repr(m) for m in missing)}); "
            f"the file's columns are: {listing}"
        )
    return {c: folded[c.casefold()] for c in COLUMNS if c.casefold() in folded}


def import_file(db, path: str | Path, *, dataset: str | None = None, update: bool = False) -> ImportReport:
    """Add the events of an ICEWS file, all or nothing."""
    path = Path(path)
    log = Log(ImportReport())
    dataset = dataset or DATASET
    with write(db, "import ICEWS", bulk=True):
        digest = note_file(db, log, path)
        # ICEWS quotes nothing: a '"' in a name is part of it, never the start of a quoted field.
        rows = csv_records(text_lines(path, log), path, "\t", quoting=csv.QUOTE_NONE)
        _, header = next(rows, (1, []))
        if not header:
            raise ImportError_(f"{path}: the file is empty (an ICEWS file starts with its header line)")
        importer = _Importer(db, log, _columns(header, path), dataset=dataset, update=update)
        for line, cells in rows:
            importer.row(line, cells)
        complete(importer.writer, importer.actors)
        remember_file(db, digest, path, dataset)
    return log.finish()

