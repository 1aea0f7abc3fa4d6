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
        self.already = 0  # events matched to ones already in the database

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
        if self.already:
            self.warn(f"{_plural(self.already, 'event')} already in the database, not added again")
        if self.overflow:
            self.report.skipped.append(f"... and {self.overflow} more rows skipped")
        return self.report


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _count(n: int, word: str) -> str:
    return _plural(n, word) + (" was" if n == 1 else " were")
