"""Arabic-script shaping without HarfBuzz: vowel marks, Sorani letters, glyph coverage.

The PDFs draw presentation forms (arabic_reshaper). These tests check the code
points that are drawn and that the embedded font has every one of them; the
shapes were compared once by eye with Qt/HarfBuzz (docs/languages.md).
"""

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from app.documents import load_case, render
from app.documents import text as T
from app.documents.sample import make_case

LOCALE = Path(__file__).resolve().parents[2] / "i18n" / "locale"
NAME = "مُحَمَّد"            # with damma, fatha, shadda + fatha
SORANI = "شێرزاد سەرەتا"     # Sorani ێ and ە
HARAKAT = set(range(0x064B, 0x0653)) | {0x0670, 0x065A} | set(range(0xFC5E, 0xFC64))


def _cps(s: str) -> list[str]:
    return [f"{ord(c):04X}" for c in s]


def _translations(lang: str) -> list[str]:
    with open(LOCALE / lang / "LC_MESSAGES" / "forms.po", "rb") as f:
        catalog = read_po(f, locale=lang)
    out = []
    for m in catalog:
        text = m.string if isinstance(m.string, str) else (m.string or ("",))[0]
        if text:
            out.append(text)
    return out


def test_vowel_marks_are_kept_and_shadda_stacks_with_its_vowel():
    assert _cps(T.shape(NAME)) == ["FEE3", "064F", "FEA4", "064E", "FEE4", "FC60", "FEAA"]
    assert T.shape("مسجّل")[-2:] == "\u0651\ufede"  # shadda alone stays a mark
    assert T.shape("لطفاً").endswith("\ufe8e\u064b")  # tanween on the final alef
    arab = T.scripts()[0]["Arab"]
    for mark in "\u064e\u064f\u0651\u064b\ufc60\u065a":
        assert ord(mark) in arab.cmap
        for font in (arab.regular, arab.bold):
            assert pdfmetrics.stringWidth(mark, font, 10) == 0, "marks must not move the pen"


def test_no_allah_ligature_adds_marks_to_a_name():
    assert "\ufdf2" not in T.shape("عبدالله هاشمی")  # the name has no shadda or superscript alef
    assert _cps(T.shape("عبدالله")) == ["FECB", "FE92", "FEAA", "FE8D", "FEDF", "FEE0", "FEEA"]
    assert T.shape("لا") == "\ufefb"  # lam-alef stays a ligature


def test_sorani_ae_and_yeh_with_small_v_join():
    # س initial + ە final (drawn with heh's final glyph); ش initial + ێ medial (yeh + small v) + ر final
    assert _cps(T.shape("سەرەتا")) == ["FEB3", "FEEA", "FEAD", "06D5", "FE97", "FE8E"]
    assert _cps(T.shape("شێر")) == ["FEB7", "FBFF", "065A", "FEAE"]
    assert _cps(T.shape("دێ")) == ["FEA9", "06CE"]  # after a right-joining letter: isolated


@pytest.mark.parametrize("rtl", [True, False])
def test_every_code_point_drawn_is_in_the_font_of_its_run(rtl):
    texts = _translations("ar") + _translations("fa") + [NAME, SORANI, "بەڕێوەبەر ڵ", f"Name: {NAME} (2026)"]
    for text in texts:
        for line in text.split("\n"):
            for script, run in T.runs(T.visual(line, rtl)):
                missing = {c for c in run if ord(c) not in script.cmap}
                assert not missing, (line, script.key, _cps("".join(sorted(missing))))


def test_export_prints_a_name_with_vowel_marks_and_sorani_letters(repo):
    number = make_case(repo, events=2)
    person = load_case(repo, number).person
    repo.save("person", {"given_names_orig": NAME, "family_name_orig": SORANI}, person["id"])
    reader = PdfReader(io.BytesIO(render(repo, "export", number, "ar")))
    text = "".join(p.extract_text() for p in reader.pages)
    # pypdf gives right-to-left runs back in logical order
    assert T.shape(NAME) in text, "harakat drawn, shadda with fatha as one mark"
    assert T.shape(SORANI) in text, "ێ and ە joined"
    assert "\ufeb3\ufeea" in text and "\ufeb7\ufbff\u065a" in text
