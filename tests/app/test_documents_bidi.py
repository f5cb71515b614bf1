"""Right-to-left lines in the PDFs: bracket pairs, mirroring and mixed Latin/Arabic runs.

`text.visual()` returns a line in display order (drawn left to right). These
tests read that order, and the text a PDF reader extracts, not pixels.
"""

import io
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from app.documents import render
from app.documents import text as T
from app.documents.sample import make_case

LOCALE = Path(__file__).resolve().parents[2] / "i18n" / "locale"


def _balanced(s: str) -> bool:
    """Brackets in s (display order, left to right) open before they close."""
    depth = 0
    for ch in s:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_a_latin_word_in_brackets_before_a_colon():
    # logical: Arabic label, German term in brackets, colon, value
    line = T.visual("الإطار القانوني (Rechtskreis): SGB II", rtl=True)
    assert line.startswith("SGB II :(Rechtskreis) "), line
    assert line.endswith("الإطار القانوني"[::-1])


def test_a_date_in_brackets_after_latin_words():
    # Babel's Arabic date carries right-to-left marks: 2‏/3‏/2026
    line = T.visual("مادي: Gesundheitskarte, Sozialticket (2\u200f/3\u200f/2026)", rtl=True)
    assert line.startswith("(2026/3/2) Gesundheitskarte, Sozialticket :"), line
    assert "\u200f" not in line


def test_brackets_around_arabic_in_a_german_line():
    line = T.visual("Rechtskreis (الإطار): 12 abc", rtl=False)
    assert line.startswith("Rechtskreis (") and line.endswith("): 12 abc"), line


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_every_translated_form_text_keeps_its_brackets_paired(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "forms.po", "rb") as f:
        catalog = read_po(f, locale=lang)
    checked = 0
    for message in catalog:
        text = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        if not text or "(" not in text or not _balanced(text) or "\n" in text:
            continue
        for line in (text, f"Fallnummer: {text}", f"{text}: BEC-26-0003"):
            assert _balanced(T.visual(line, rtl=True)), (message.id, line)
        checked += 1
    assert checked >= 10


def test_handover_in_arabic_prints_the_rechtskreis_in_order(repo):
    number = make_case(repo, events=3)
    reader = PdfReader(io.BytesIO(render(repo, "handover", number, "ar")))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "SGB II :(Rechtskreis)" in text
    assert "Rechtskreis): SGB II)" not in text
    assert "Rathaus Beckum," in text and ",Rathaus" not in text  # the appointment line breaks after "Beckum,"


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_no_format_character_is_drawn(lang):
    """Joiners (Farsi's ZWNJ in سه‌شنبه) and bidi marks shape and order the line, then go."""
    with open(LOCALE / lang / "LC_MESSAGES" / "forms.po", "rb") as f:
        texts = [m.string for m in read_po(f, locale=lang) if isinstance(m.string, str) and m.string]
    texts.append("تاریخ: سه\u200cشنبه 24 مارس 2026")
    assert any("\u200c" in t for t in texts)
    for text in texts:
        for line in text.split("\n"):
            drawn = T.visual(line, rtl=True)
            assert not [c for c in drawn if unicodedata.category(c) == "Cf"], line


def test_a_value_keeps_its_own_direction_in_a_right_to_left_line():
    # a name ending in a full stop (family O.): without isolation the stop jumps to the left end
    assert T.visual("الاسم: " + T.isolate("Karim O."), rtl=True).startswith("Karim O. :")
    assert T.visual(T.isolate("Layla O.") + " (الزوج / الزوجة)", rtl=True).endswith(") Layla O.")
    assert T.visual("Name: " + T.isolate("Karim O."), rtl=False) == "Name: Karim O."  # marks never drawn


def test_family_o_in_arabic_prints_the_abbreviated_name_whole(repo):
    from tests.app.family_o import register_family

    res = register_family(repo)
    number = repo.get("case", res.case_ids[0])["case_number"]
    for document in ("consent", "export"):
        reader = PdfReader(io.BytesIO(render(repo, document, number, "ar")))
        text = " ".join(p.extract_text() for p in reader.pages)
        assert "Karim O." in text and ".Karim O" not in text, document
        assert not [c for c in text if c in "\u2066\u2067\u2068\u2069"]
    assert "Layla O. " in text and ".Layla O" not in text  # household members in the export


def test_a_line_break_takes_the_direction_of_the_whole_paragraph():
    para = "مرکز ادغام شهری (Kommunales Integrationszentrum)"
    lines = T.wrap_lines(para, T.width("مرکز ادغام شهری (Kommunales", 10) + 1, 10)
    assert [line for line, _b, _a in lines] == ["مرکز ادغام شهری (Kommunales", "Integrationszentrum)"]
    first, second = (T.visual(line, True, before, after) for line, before, after in lines)
    assert first.startswith("Kommunales) ")  # the opening bracket, mirrored, next to the Arabic
    assert second == "(Integrationszentrum"  # the closing one at the far (left) end
    # a comma at a break between Latin words stays with them
    line = "2026/3/24، 9:30 ص Rathaus Beckum,"
    assert T.visual(line, True, after="Weststraße 46").startswith("Rathaus Beckum, ")
    assert T.visual(line, True).startswith(",Rathaus")  # what the line alone would give


def test_without_the_rust_levels_the_pure_python_bidi_still_orders_the_line(monkeypatch):
    monkeypatch.setattr(T, "_levels", lambda text, base: None)
    line = T.visual("اسم: Ali 2026", rtl=True)
    assert line.startswith("Ali 2026 :") and line.endswith("اسم"[::-1])


def test_the_language_list_is_joined_in_each_language(repo):
    number = make_case(repo, events=1)
    texts = {}
    for lang in ("uk", "ar"):
        reader = PdfReader(io.BytesIO(render(repo, "handover", number, lang)))
        texts[lang] = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Arabisch Muttersprache und Deutsch A2" in texts["uk"]  # Babel's list pattern, not ", "
    assert "арабська рідна мова і німецька A2" in texts["uk"]
    assert "Arabisch Muttersprache, Deutsch" not in texts["ar"]
