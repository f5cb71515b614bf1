"""Small-count suppression for figures shown outside the data-protection officer's role.

The rule (docs/statistics.md):

* primary: a count from 1 to THRESHOLD - 1 (1 to 4) is shown as "< 5"; 0 is shown;
* secondary: in every line of a table (a row with its row total, a column with its column total) either
  no entry or at least two entries are hidden, so that no hidden count can be worked out as the total
  minus the shown counts. When a line has exactly one hidden entry, the smallest other count of that line
  is hidden as well (a count above 0 first, the line's total last); this is repeated until every line
  holds, over rows and columns together;
* a total below the threshold is hidden like any count.

`Table` holds a matrix with its margins and which entries are hidden; `cell()` gives what may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLD = 5
HIDDEN = "< 5"
TOTAL = "__total__"


def small(n: int) -> bool:
    return 0 < n < THRESHOLD


@dataclass
class Table:
    """Counts by row (and column). `cols` is ("",) for a table of one dimension."""

    rows: list[str]
    cols: list[str]
    counts: dict[tuple[str, str], int]
    hidden: set[tuple[str, str]] = field(default_factory=set)  # keys incl. (r, TOTAL), (TOTAL, c), (TOTAL, TOTAL)
    suppressed: bool = False

    def value(self, r: str, c: str) -> int:
        if r == TOTAL and c == TOTAL:
            return sum(self.counts.values())
        if r == TOTAL:
            return sum(self.counts.get((x, c), 0) for x in self.rows)
        if c == TOTAL:
            return sum(self.counts.get((r, x), 0) for x in self.cols)
        return self.counts.get((r, c), 0)

    def cell(self, r: str, c: str = "") -> int | str:
        """The count, or HIDDEN."""
        return HIDDEN if (r, c) in self.hidden else self.value(r, c)

    def total(self, r: str = TOTAL, c: str = TOTAL) -> int | str:
        return self.cell(r, c)

    @property
    def one_dimensional(self) -> bool:
        return self.cols == [""]

    def to_dict(self) -> dict:
        if self.one_dimensional:
            return {"rows": {r: self.cell(r, "") for r in self.rows}, "total": self.cell(TOTAL, TOTAL)}
        return {"rows": self.rows, "cols": self.cols,
                "cells": [[self.cell(r, c) for c in self.cols] for r in self.rows],
                "row_totals": [self.cell(r, TOTAL) for r in self.rows],
                "col_totals": [self.cell(TOTAL, c) for c in self.cols], "total": self.cell(TOTAL, TOTAL)}


def table(counts: dict[tuple[str, str], int], rows: list[str] | None = None, cols: list[str] | None = None,
          suppress: bool = True) -> Table:
    rows = rows if rows is not None else sorted({r for r, _c in counts})
    cols = cols if cols is not None else sorted({c for _r, c in counts})
    t = Table(list(rows), list(cols), {k: v for k, v in counts.items() if v})
    if suppress:
        apply(t)
    return t


def series(counts: dict[str, int], order: list[str] | None = None, suppress: bool = True) -> Table:
    """A table of one dimension (with its total) from {key: count}."""
    rows = order if order is not None else sorted(counts, key=lambda k: (-counts[k], k))
    return table({(k, ""): n for k, n in counts.items()}, rows, [""], suppress)


def _lines(t: Table) -> list[list[tuple[str, str]]]:
    """Every row with its total and every column with its total (the margins form lines too)."""
    rows, cols = t.rows + [TOTAL], t.cols + [TOTAL]
    if t.one_dimensional:
        return [[(r, "") for r in t.rows] + [(TOTAL, TOTAL)]]
    return [[(r, c) for c in cols] for r in rows] + [[(r, c) for r in rows] for c in cols]


def _norm(t: Table, key: tuple[str, str]) -> tuple[str, str]:
    # in a table of one dimension the row totals are the cells themselves, the column total the grand total
    if t.one_dimensional and key[0] == TOTAL:
        return (TOTAL, TOTAL)
    return key


def apply(t: Table) -> None:
    """Primary and secondary suppression, in place."""
    t.suppressed = True
    keys = [(r, c) for r in t.rows + [TOTAL] for c in t.cols + [TOTAL]]
    if t.one_dimensional:
        keys = [(r, "") for r in t.rows] + [(TOTAL, TOTAL)]
    t.hidden = {k for k in keys if small(t.value(*k))}
    lines = _lines(t)
    changed = True
    while changed:
        changed = False
        for line in lines:
            line = [_norm(t, k) for k in line]
            hidden = [k for k in line if k in t.hidden]
            if len(hidden) != 1:
                continue
            candidates = [k for k in line if k not in t.hidden]
            if not candidates:
                continue

            def order(k: tuple[str, str]) -> tuple:
                is_total = TOTAL in k
                n = t.value(*k)
                return (is_total, n == 0, n)

            t.hidden.add(min(candidates, key=order))
            changed = True


def suppress_counts(counts: dict[str, int]) -> dict[str, int | str]:
    """{key: count or HIDDEN} for a breakdown whose total is known elsewhere (secondary suppression included)."""
    t = series(counts)
    return {k: t.cell(k, "") for k in counts}
