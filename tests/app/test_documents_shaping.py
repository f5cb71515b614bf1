"""Arabic-script shaping in the PDFs with HarfBuzz: joined letters, marks, glyph coverage, copied text.

The PDFs draw the glyphs HarfBuzz chooses (app.documents.shaping). These tests
render lines to pixels with PDFium and check that a word's letters are joined
and set as HarfBuzz sets them; Pashto letters without presentation forms
(`ښ ځ څ ګ ټ`) printed isolated before. The shapes were compared by eye with
Qt/HarfBuzz (docs/languages.md).
"""

import io
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from babel.messages.pofile import read_po
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from app.documents import load_case, render
from app.documents import shaping as S
from app.documents import text as T
from app.documents.sample import make_case

LOCALE = Path(__file__).resolve().parents[2] / "i18n" / "locale"
NAME = "مُحَمَّد"            # with damma, fatha, shadda + fatha
SORANI = "شێرزاد سەرەتا"     # Sorani ێ and ە
# Words whose letters all join to the next one (the last aside): each is one unbroken stroke.
JOINED = {"ps": ["څښتن", "ګټه", "ځنګل", "ښځې", "پښتنه"], "fa": ["گفتگو", "کمک", "نیمکت"],
          "ar": ["بيت", "محمد"], "ckb": ["بڵێن"]}
SIZE = 40


def _translations(lang: str) -> list[str]:
    with open(LOCALE / lang / "LC_MESSAGES" / "forms.po", "rb") as f:
        catalog = read_po(f, locale=lang)
    out = []
    for m in catalog:
        text = m.string if isinstance(m.string, str) else (m.string or ("",))[0]
        if text:
            out.append(text)
    return out


def _glyphs(text: str, rtl: bool = True, bold: bool = False) -> list[str]:
    """HarfBuzz's glyph names for a run in the Arabic font: the text's left to right, then the marks'."""
    arab = T.scripts()[0]["Arab"]
    font = pdfmetrics.getFont(arab.bold if bold else arab.regular)
    run = S.shaped(text, font.fontName, rtl)
    names = [font.hb_font.glyph_to_string(font.face.charToGlyph[ord(k)]) for k in run.glyphs]
    return [n for n in names if n != "uni200B"] + [font.hb_font.glyph_to_string(gid) for gid, _x, _y in run.marks]


def _lines_pdf(words: list[str]) -> tuple[bytes, list[tuple[float, float, float]]]:
    """A PDF with one word per line, right-to-left, drawn by the text layer; per word (x, baseline, width)."""
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(600, 80 + 70 * len(words)))
    placed = []
    for i, word in enumerate(words):
        y = 60 + 70 * i
        placed.append((50.0, y, T.draw_line(c, 50, y, word, SIZE, rtl=True)))
    c.save()
    return buf.getvalue(), placed


def _strokes(image, x0: float, x1: float, y: float, page_h: float, scale: float) -> int:
    """Pieces of ink of a word, read from the columns of the rendered line: a joined word is one."""
    gray = image.convert("L")
    top, bottom = int((page_h - y - SIZE * 0.9) * scale), int((page_h - y + SIZE * 0.5) * scale)
    cols = [any(gray.getpixel((x, yy)) < 128 for yy in range(top, bottom))
            for x in range(int((x0 - 5) * scale), int((x1 + 5) * scale))]
    return sum(1 for i, ink in enumerate(cols) if ink and (i == 0 or not cols[i - 1]))


def test_pashto_farsi_and_arabic_words_print_joined():
    words = [w for group in JOINED.values() for w in group]
    pdf, placed = _lines_pdf(words)
    page = pdfium.PdfDocument(pdf)[0]
    scale = 2
    image = page.render(scale=scale).to_pil()
    arab = T.scripts()[0]["Arab"]
    for word, (x, y, width) in zip(words, placed, strict=True):
        assert _strokes(image, x, x + width, y, page.get_size()[1], scale) == 1, word
        assert width == pytest.approx(S.shaped(word, arab.regular, True).advance * SIZE / 1000), word
        isolated = sum(pdfmetrics.stringWidth(c, arab.regular, SIZE) for c in word)
        assert abs(width - isolated) > 0.05 * isolated, (word, "the same width as its isolated letters")


def test_the_pdf_gives_the_letters_back():
    """ToUnicode maps each glyph to its letters: PDFium extracts the words (no private code points)."""
    words = ["پښتو ژبه", "سه\u200cشنبه", "لاسلیک", "ګټه"]
    pdf, _placed = _lines_pdf(words)
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert not [c for c in text if 0xF0000 <= ord(c) or 0xE000 <= ord(c) <= 0xF8FF]
    flat = unicodedata.normalize("NFKC", text)
    for word in ("پښتو", "ژبه", "سهشنبه", "لاسلیک", "ګټه"):
        assert word in flat, (word, flat)


def test_pashto_and_sorani_letters_take_their_joined_forms():
    assert _glyphs("ښځڅګڼ") == ["uni06BC.fina", "uni06AB.medi", "uni0685.medi", "uni0681.medi", "uni069A.init"]
    assert _glyphs("ټړ", bold=True) == ["uni0693.fina", "uni067C.init"]
    assert _glyphs("ڵڕ") == ["uni0695.fina", "uni06B5.init"]  # Sorani: no presentation forms either


def test_vowel_marks_sit_where_the_font_puts_them():
    arab = T.scripts()[0]["Arab"]
    run = S.shaped(NAME, arab.regular, True)
    assert len(run.marks) == 3, "damma, fatha, shadda + fatha (one glyph), each placed by GPOS"
    assert all(S.outline(arab.regular, gid) for gid, _x, _y in run.marks), "drawn as outlines"
    assert "uniFC60" in _glyphs(NAME)  # shadda with fatha stacked
    assert "uniFDF2" not in _glyphs("عبدالله هاشمی")  # no Allah ligature with marks a name does not have


@pytest.mark.parametrize("rtl", [True, False])
def test_every_glyph_drawn_is_in_the_font_of_its_segment(rtl):
    texts = (_translations("ar") + _translations("fa") + _translations("ps")
             + [NAME, SORANI, "بەڕێوەبەر ڵ", f"Name: {NAME} (2026)"])
    for text in texts:
        for line in text.split("\n"):
            for seg in T.segments(line, rtl):
                if seg.script.shaped:
                    assert ".notdef" not in _glyphs(seg.text, seg.rtl), (line, seg.text)
                else:
                    missing = {c for c in seg.text if ord(c) not in seg.script.cmap}
                    assert not missing, (line, seg.script.key, sorted(missing))


def test_export_prints_a_name_with_vowel_marks_and_sorani_letters(repo):
    number = make_case(repo, events=2)
    person = load_case(repo, number).person
    repo.save("person", {"given_names_orig": NAME, "family_name_orig": SORANI}, person["id"])
    doc = pdfium.PdfDocument(render(repo, "export", number, "ar"))
    text = "".join(page.get_textpage().get_text_range() for page in doc)

    def bare(s):  # vowel marks aside: PDFium may give them back apart from their letter
        return "".join(c for c in unicodedata.normalize("NFKC", s) if not unicodedata.category(c).startswith("M"))

    assert bare(NAME) in bare(text)
    assert all(w in text for w in SORANI.split()), "ێ and ە come back as letters"
