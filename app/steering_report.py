"""The steering report: a German PDF with the steering figures of a period, each table with a bar chart.

The same figures as `sprechstunde stats` and the statistics page (app.steering), the same hidden counts:
a hidden count is drawn as an empty bar marked "< 5". Fonts are the bundled Noto Sans (app.documents.text).
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table as PdfTable, TableStyle

from i18n import _
from i18n.locale import format_date

from .documents.text import scripts
from .steering_export import labelled_rows, title
from .suppression import HIDDEN, THRESHOLD, Table

BAR = colors.HexColor("#2f6f9f")
CHART_TABLES = ("clients_by_office", "clients_by_rechtskreis", "clients_by_age_group", "new_clients_by_month",
                "transitions_by_month")


def _fonts() -> tuple[str, str]:
    table, default = scripts()
    return table[default].regular, table[default].bold


def bar_chart(labels: list[str], values: list, width: float, height: float, font: str) -> Drawing:
    """Vertical bars; a hidden value is an outlined bar of the threshold's height marked "< 5"."""
    d = Drawing(width, height)
    numbers = [v for v in values if isinstance(v, int)]
    top = max(numbers + [THRESHOLD, 1])
    left, bottom = 28, 34
    plot_w, plot_h = width - left - 4, height - bottom - 12
    d.add(Line(left, bottom, left + plot_w, bottom, strokeColor=colors.grey))
    for i in range(0, 5):
        y = bottom + plot_h * i / 4
        d.add(String(left - 4, y - 3, str(round(top * i / 4)), fontName=font, fontSize=6, textAnchor="end"))
    step = plot_w / max(1, len(values))
    for i, (name, v) in enumerate(zip(labels, values, strict=True)):
        x = left + i * step + step * 0.15
        w = step * 0.7
        if v == HIDDEN:
            h = plot_h * (THRESHOLD - 1) / top
            d.add(Rect(x, bottom, w, h, strokeColor=BAR, fillColor=None, strokeDashArray=[2, 2]))
            d.add(String(x + w / 2, bottom + h + 2, HIDDEN, fontName=font, fontSize=6, textAnchor="middle"))
        else:
            h = plot_h * int(v) / top
            d.add(Rect(x, bottom, w, h, strokeColor=None, fillColor=BAR))
            d.add(String(x + w / 2, bottom + h + 2, str(v), fontName=font, fontSize=6, textAnchor="middle"))
        short = name if len(name) <= 12 else name[:11] + "…"
        label = String(0, 0, short, fontName=font, fontSize=6, textAnchor="end")
        g = Group(label)
        g.transform = (0.866, 0.5, -0.5, 0.866, x + w / 2 + 3, bottom - 8)  # 30° so long names fit
        d.add(g)
    return d


def chart_values(name: str, t: Table, header: list[str], rows: list[list]) -> tuple[list[str], list]:
    """The bars of a table: its rows' counts (a table of one dimension) or its row totals."""
    body = rows[:-1]
    return [r[0] for r in body], [r[-1] if not t.one_dimensional else r[1] for r in body]


def render(fig: dict, catalogue=None, today: dt.date | None = None) -> bytes:
    regular, bold = _fonts()
    styles = {
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4),
        "p": ParagraphStyle("p", fontName=regular, fontSize=8.5, leading=11),
    }
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=_("Steering report"), author="Sprechstunde")
    start = format_date(fig["period"]["from"], "de")
    end = format_date(fig["period"]["to"], "de")
    story: list = [
        Paragraph(_("Steering report of the Integration Point"), styles["h1"]),
        Paragraph(_("Period: {start} to {end}").format(start=start, end=end), styles["p"]),
        Paragraph(_("Made on {day}. Counts from 1 to 4 are shown as “< 5”; where a total would reveal them, "
                    "a second count of the line is hidden too (docs/statistics.md).").format(
            day=format_date(today or dt.date.today(), "de")), styles["p"]),
    ]
    width = A4[0] - 36 * mm
    for name, t in fig["tables"].items():
        header, rows = labelled_rows(name, t, catalogue)
        block: list = [Paragraph(title(name), styles["h2"])]
        if name in CHART_TABLES or name.startswith("clients_by_"):
            labels, values = chart_values(name, t, header, rows)
            if labels:
                block.append(bar_chart(labels, values, width, 48 * mm, regular))
        data = [header] + [[str(c) for c in r] for r in rows]
        pt = PdfTable(data, repeatRows=1, hAlign="LEFT",
                      colWidths=[52 * mm] + [(width - 52 * mm) / max(1, len(header) - 1)] * (len(header) - 1))
        pt.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, 7.5), ("FONT", (0, 0), (-1, 0), bold, 7.5),
            ("FONT", (0, -1), (-1, -1), bold, 7.5), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey), ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.grey),
            ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f1f4f7")]),
        ]))
        block.append(pt)
        story.append(KeepTogether(block) if len(rows) < 20 else block[0])
        if len(rows) >= 20:
            story.extend(block[1:])
        story.append(Spacer(1, 4 * mm))
    waits = fig.get("waiting_times") or {}
    if waits:
        story.append(Paragraph(_("Waiting times until the start of a measure"), styles["h2"]))
        data = [[_("Measure"), _("Started"), _("Median (days)"), _("Mean (days)")]]
        for cat, w in waits.items():
            name = catalogue.name(cat) if catalogue is not None else cat
            data.append([name, str(w["n"]), "–" if w["median_days"] is None else str(w["median_days"]),
                         "–" if w["mean_days"] is None else str(w["mean_days"])])
        pt = PdfTable(data, hAlign="LEFT", colWidths=[70 * mm, 25 * mm, 30 * mm, 30 * mm])
        pt.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), regular, 7.5), ("FONT", (0, 0), (-1, 0), bold, 7.5),
                                ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
        story.append(pt)
    doc.build(story)
    return buf.getvalue()
