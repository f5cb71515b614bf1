"""CSV, XLSX and the report PDF carry the same figures as app.steering, small counts hidden."""

import csv
import io

import pypdfium2
import pytest
from openpyxl import load_workbook

from app.measures import Catalogue
from app.steering import figures
from app.steering_export import labelled_rows, title, to_csv, to_xlsx
from app.steering_report import render
from tests.app.test_steering import YEAR, add


@pytest.fixture
def fig(repo):
    add(repo, "AHL", 12)
    add(repo, "OEL", 7, nationality="IQ", sex="f")
    add(repo, "BEE", 1, nationality="ER", sex="f")
    return figures(repo.conn, YEAR, by=("office", "sex"))


def test_csv_equals_the_figures(fig):
    lines = list(csv.reader(io.StringIO(to_csv(fig)), delimiter=";"))
    assert lines[0] == ["Tabelle", "Zeile", "Spalte", "Wert"]
    got = {(t, r, c): v for t, r, c, v in lines[1:]}
    for name, t in fig["tables"].items():
        header, rows = labelled_rows(name, t)
        for row in rows:
            for col, value in zip(header[1:], row[1:], strict=True):
                assert got[(title(name), row[0], col)] == str(value)
    assert got[("Klienten nach Standort × Geschlecht", "Beelen", "weiblich")] == "< 5"
    assert got[("Klienten nach Standort × Geschlecht", "Ahlen", "männlich")] == "12"
    assert "1" not in {v for (t, _r, _c), v in got.items() if t.startswith("Klienten")}


def test_xlsx_equals_the_figures(fig):
    wb = load_workbook(io.BytesIO(to_xlsx(fig)))
    for name, t in fig["tables"].items():
        ws = wb[name[:31]]
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        assert values[0][0] == title(name)
        header, rows = labelled_rows(name, t)
        assert [list(r[:len(header)]) for r in values[2:]] == [header] + rows
    assert "< 5" in [c for r in wb["clients_by_office_sex"].iter_rows(values_only=True) for c in r]


def test_report_pdf_renders_with_charts(fig, tmp_path):
    pdf = render(fig, Catalogue())
    doc = pypdfium2.PdfDocument(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Steuerungsbericht" in text and "< 5" in text and "Klienten nach Standort × Geschlecht" in text
    page = doc[0].render(scale=1.2).to_pil()
    page.save(tmp_path / "report.png")
    # the first page has drawn bars: many pixels of the bar colour
    bars = sum(n for n, px in page.convert("RGB").getcolors(1 << 22) if px == (0x2F, 0x6F, 0x9F))
    assert bars > 500
