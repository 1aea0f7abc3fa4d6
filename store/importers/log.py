"""The running record of an import: rows skipped, warnings, and counts of
lines that needed repair, turned into an ImportReport at the end.

Every reader and writer of an import reports through one Log, so it lives
apart from all of them.
"""

from __future__ import annotations

from ..interchange import ImportReport

REPORT_CAP = 10_000  # skipped/warning lines kept; the rest are counted


class Log:
    """Collects skipped rows and warnings for an ImportReport, keeping the
    report small when a huge file is mostly bad."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.overflow = 0
        self.nul_lines: list[int] = [0, 0]  # how many lines, first line
        self.latin_lines: list[int] = [0, 0]
        self.same_lines: list[int] = []  # rows whose record is stored already, as it is
        self.same_count = 0
        self.differ_lines: list[int] = []  # rows whose id is stored with other content, kept as stored
        self.differ_count = 0
        self.replaced_lines: list[int] = []  # the same, replaced (--update)
        self.replaced_count = 0
        # Set by the importer when the file's digest is recorded in the
        # database: only then is "from an earlier import of this file" true.
        self.same_content = 0  # events without an id matched by title and dates (TimelineJS)
        self.earlier_import = False
        self.dataset = ""

    @staticmethod
    def _keep(lines: list[int], line: int) -> None:
        if len(lines) < REPORT_CAP:
            lines.append(line)

    def unchanged(self, line: int) -> None:
        self.same_count += 1
        self._keep(self.same_lines, line)

    def differs(self, line: int) -> None:
        self.differ_count += 1
        self._keep(self.differ_lines, line)

    def replaced(self, line: int) -> None:
        self.replaced_count += 1
        self._keep(self.replaced_lines, line)

    def repeated(self, line: int, first: int, key: str, same: bool) -> None:
        """A row whose id an earlier row of the same file already gave."""
        where = f"line {first}" if first else "an earlier row"
        if same:
            self.skip(line, f"the same record as {where} (id {key}), kept once")
        else:
            self.skip(line, f"id {key} was already given to {where} with other content; kept {where}")

    def skip(self, where: int | str, why: str) -> None:
        label = f"line {where}" if isinstance(where, int) else where
        if len(self.report.skipped) < REPORT_CAP:
            self.report.skipped.append(f"{label}: {why}")
        else:
            self.overflow += 1

    def warn(self, text: str) -> None:
        if len(self.report.warnings) < REPORT_CAP:
            self.report.warnings.append(text)

    @staticmethod
    def _note(counter: list[int], number: int) -> None:
        counter[0] += 1
        counter[1] = counter[1] or number

    def nul(self, number: int) -> None:
        self._note(self.nul_lines, number)

    def latin(self, number: int) -> None:
        self._note(self.latin_lines, number)

    def finish(self) -> ImportReport:
        """Turn the counters into one warning each; call once, at the end."""
        count, first = self.latin_lines
        if count:
            self.warn(
                f"{_count(count, 'line')} not UTF-8 and read as Latin-1 (Windows-1252), "
                f"first at line {first}; check accented letters"
            )
        count, first = self.nul_lines
        if count:
            self.warn(f"removed NUL bytes from {_plural(count, 'line')}, first at line {first}")
        if self.same_count:
            whence = "from an earlier import of this file" if self.earlier_import else self._in_dataset()
            self.warn(
                f"{_plural(self.same_count, 'record')} already in the database {whence}, identical, "
                f"not added again{line_list(self.same_lines, self.same_count)}"
            )
        if self.same_content:
            self.warn(
                f"{_plural(self.same_content, 'event')} already in the database (same title and dates), not added again"
            )
        if self.differ_count:
            self.warn(
                f"{_plural(self.differ_count, 'record')} differ{'s' if self.differ_count == 1 else ''} from what is "
                f"stored: kept the stored ones{line_list(self.differ_lines, self.differ_count)} "
                "(import with --update to replace them)"
            )
        if self.replaced_count:
            self.warn(
                f"{_plural(self.replaced_count, 'record')} replaced the stored version (--update)"
                f"{line_list(self.replaced_lines, self.replaced_count)}"
            )
        if self.overflow:
            self.report.skipped.append(f"... and {self.overflow} more rows skipped")
        return self.report


    def _in_dataset(self) -> str:
        return f"(same id in the data set '{self.dataset}')" if self.dataset else "(same id)"


def line_list(lines: list[int], count: int, shown: int = 20) -> str:
    """'; line 14' / '; lines 14, 80, 212' / '; lines 1, 2, ... and 690 more',
    or nothing when the lines are not known (formats without lines)."""
    known = [n for n in lines if n]
    if not known:
        return ""
    text = ", ".join(str(n) for n in known[:shown])
    more = count - min(len(known), shown)
    if more:
        text += f" and {more} more"
    return f"; line{'' if count == 1 else 's'} {text}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _count(n: int, word: str) -> str:
    return _plural(n, word) + (" was" if n == 1 else " were")
