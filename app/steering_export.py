"""The steering tables as people read them: titles and row/column names in the UI language, and CSV and XLSX
files of every table (the same figures, the same hidden counts, as app.steering gives them).

CSV: one line per entry: table, row, column, value ("< 5" where hidden), semicolon-separated as German
spreadsheet programs expect. XLSX (openpyxl): one sheet per table with its margins.
"""

from __future__ import annotations

import csv
import io

from i18n import N_, _

from .labels import label
from .measures import STATUS_LABELS
from .steering import DIMENSIONS
from .suppression import TOTAL, Table

TITLES = {
    "clients_by_office": N_("Clients by office"), "clients_by_status": N_("Clients by case status"),
    "clients_by_rechtskreis": N_("Clients by Rechtskreis"), "clients_by_country": N_("Clients by country"),
    "clients_by_sex": N_("Clients by sex"), "clients_by_age_group": N_("Clients by age group"),
    "measures": N_("Measures in the period"), "transitions_by_month": N_("Transitions by month"),
    "new_clients_by_month": N_("New clients by month"), "offers": N_("Employer offers"),
    "placements": N_("Placements in the period"),
}
DIMENSION_TITLES = {"office": N_("office"), "status": N_("case status"), "rechtskreis": N_("Rechtskreis"),
                    "country": N_("country"), "sex": N_("sex"), "age_group": N_("age group")}
COLUMN_LABELS = {
    "proposed": N_("proposed"), "waiting": N_("waiting"), "started": N_("started"), "completed": N_("completed"),
    "work_start": N_("into work"), "training_start": N_("into training"), "sgb2": N_("into SGB II"),
    "placement_started": N_("placements started"), "sent": N_("sent"), "invited": N_("invited"),
    "hired": N_("hired"), "rejected": N_("rejected"), "open": N_("open"), "filled": N_("filled"),
    "closed": N_("closed"),
}
_KIND = {"office": "office", "status": "status", "country": "country", "sex": "sex", "rechtskreis": "rechtskreis"}


def title(name: str) -> str:
    if name in TITLES:
        return _(TITLES[name])
    return _("Clients by {dimensions}").format(
        dimensions=" × ".join(_(DIMENSION_TITLES.get(d, d)) for d in _dims(name)))


def _dims(name: str) -> list[str]:
    rest = name.removeprefix("clients_by_")
    found, i, words = [], 0, rest.split("_")
    while i < len(words):
        d = "age_group" if words[i] == "age" and i + 1 < len(words) and words[i + 1] == "group" else words[i]
        i += 2 if d == "age_group" else 1
        found.append(d)
    return [d for d in found if d in DIMENSIONS]


def value_label(dimension: str | None, code: str, catalogue=None) -> str:
    if code == TOTAL:
        return _("Total")
    if code == "?":
        return _("unknown")
    if dimension == "measure" and catalogue is not None:
        return catalogue.name(code)
    if dimension == "kind":
        from .employers import KIND_LABELS

        return _(KIND_LABELS[code]) if code in KIND_LABELS else code
    if dimension in _KIND:
        return " / ".join(label(_KIND[dimension], part) for part in code.split(" / "))
    return code


def row_dimension(name: str) -> str | None:
    if name == "measures":
        return "measure"
    if name in ("offers", "placements"):
        return "kind"
    dims = _dims(name) if name.startswith("clients_by_") else []
    return dims[0] if len(dims) == 1 else (dims[0] if dims else None)


def col_dimension(name: str) -> str | None:
    dims = _dims(name) if name.startswith("clients_by_") else []
    return dims[-1] if len(dims) > 1 else None


def col_label(name: str, code: str) -> str:
    if code == TOTAL:
        return _("Total")
    dim = col_dimension(name)
    if dim:
        return value_label(dim, code)
    if code in COLUMN_LABELS:
        return _(COLUMN_LABELS[code])
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else (code or _("Count"))


def row_heading(name: str) -> str:
    rdim = row_dimension(name)
    if name.endswith("_by_month"):
        return _("Month")
    if rdim == "measure":
        return _("Measure")
    if rdim == "kind":
        return _("Kind of offer")
    dims = _dims(name)
    return " / ".join(_(DIMENSION_TITLES[d]) for d in (dims[:-1] if len(dims) > 1 else dims))


def labelled_rows(name: str, t: Table, catalogue=None) -> tuple[list[str], list[list]]:
    """(header, rows) with names and margins, hidden counts as "< 5"."""
    rdim = row_dimension(name)
    if t.one_dimensional:
        header = [row_heading(name), _("Count")]
        rows = [[value_label(rdim, r, catalogue), t.cell(r, "")] for r in t.rows]
        rows.append([_("Total"), t.cell(TOTAL, TOTAL)])
        return header, rows
    header = [row_heading(name)] + [col_label(name, c) for c in t.cols] + [_("Total")]
    rows = [[value_label(rdim, r, catalogue)] + [t.cell(r, c) for c in t.cols] + [t.cell(r, TOTAL)]
            for r in t.rows]
    rows.append([_("Total")] + [t.cell(TOTAL, c) for c in t.cols] + [t.cell(TOTAL, TOTAL)])
    return header, rows


def to_csv(fig: dict, catalogue=None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow([_("Table"), _("Row"), _("Column"), _("Value")])
    for name, t in fig["tables"].items():
        header, rows = labelled_rows(name, t, catalogue)
        for row in rows:
            for col, value in zip(header[1:], row[1:], strict=True):
                w.writerow([title(name), row[0], col, value])
    return buf.getvalue()


def to_xlsx(fig: dict, catalogue=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, t in fig["tables"].items():
        ws = wb.create_sheet(name[:31])
        ws.append([title(name)])
        ws["A1"].font = Font(bold=True)
        ws.append([_("Period: {start} to {end}").format(start=fig["period"]["from"], end=fig["period"]["to"])])
        header, rows = labelled_rows(name, t, catalogue)
        ws.append(header)
        for row in rows:
            ws.append(row)
        ws.column_dimensions["A"].width = 34
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
