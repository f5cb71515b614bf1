"""The legal glossary (resources/glossary): complete for every form language, and the catalogs agree with it."""

import shutil

import pytest

import i18n
from i18n import catalogs, glossary
from i18n import locale as loc

FORM_LANGUAGES = [lang.code for lang in loc.form_languages() if lang.code != loc.source_language()]
REQUIRED = {"duldung", "aufenthaltsgestattung", "aufenthaltserlaubnis", "niederlassungserlaubnis", "rechtskreis",
            "rechtskreiswechsel", "einverstaendnis", "massnahme", "integrationskurs", "jobcenter",
            "agentur_fuer_arbeit", "sozialamt", "auslaenderbehoerde", "buergergeld", "asylblg",
            "beschaeftigungserlaubnis", "anerkennung", "kooperationsplan", "kunde"}


def test_every_term_has_a_definition_a_source_and_a_rendering_in_every_form_language():
    terms = glossary.terms()
    assert {t.id for t in terms} >= REQUIRED
    assert len({t.id for t in terms}) == len(terms)
    known_sources = glossary.sources()
    for t in terms:
        assert t.definition and t.german and t.law, t.id
        assert t.sources and set(t.sources) <= set(known_sources), t.id
        for lang in FORM_LANGUAGES:  # Dari may take Farsi's rendering (its fallback language)
            r = t.rendering(lang)
            assert r is not None and r.term and r.forms, (t.id, lang)
    assert glossary.term("integrationskurs").rendering("prs").term == "کورس ادغام"  # Dari's own word
    assert glossary.term("duldung").rendering("fa_AF") == glossary.term("duldung").rendering("fa")


def _reader_texts(lang):
    return list(catalogs.reader_entries(catalogs.load_po(catalogs.po_path("forms", lang), lang), lang))


@pytest.mark.parametrize("lang", FORM_LANGUAGES)
def test_the_catalogs_use_the_glossary_renderings(lang):
    entries = _reader_texts(lang)
    checked = [(t.id, mid) for t in glossary.terms() for _l, mid, _c, _s in entries if t.applies_to(mid)]
    assert len(checked) >= 40, checked  # the check is not empty: Duldung, consent, client, Rechtskreis, ...
    found = glossary.disagreements(entries)
    assert not found, [d.describe() for d in found]


def test_the_wrong_terms_of_issue_11_are_found():
    wrong = [
        ("tr", "Toleration (Duldung)", None, "Hoşgörü statüsü (Duldung)"),
        ("fr", "Toleration (Duldung)", None, "Tolérance (Duldung)"),
        ("uk", "Toleration (Duldung)", None, "Толерування (Duldung)"),
        ("ku", "Signature of the client", None, "Îmzeya muwekîl"),
        ("ar", "Signature of the client", "male", "توقيع العميل"),
        ("tr", "Toleration (Duldung)", None, "Sınır dışı etmenin geçici olarak askıya alınması"),  # German dropped
    ]
    found = {(d.lang, d.problem) for d in glossary.disagreements(wrong)}
    assert found == {("tr", "missing"), ("tr", "avoided"), ("fr", "missing"), ("fr", "avoided"),
                     ("uk", "missing"), ("uk", "avoided"), ("ku", "missing"), ("ku", "avoided"),
                     ("ar", "missing"), ("ar", "avoided"), ("tr", "kept")}
    right = [("ar", "Signature of the client", "female", "تَوْقِيعُ المُرَاجِعَةِ"),  # vowel marks do not matter
             ("uk", "Legal basis of the residence permit", None, "Правова підстава дозволу на проживання"),
             ("tr", "Employment agency (Agentur für Arbeit)", None, "iş ajansı (Agentur für Arbeit)")]  # İ = i
    assert glossary.disagreements(right) == []


def test_dari_is_checked_with_the_farsi_texts_it_inherits():
    texts = {mid: text for _l, mid, ctx, text in _reader_texts("fa_AF") if ctx is None}
    assert texts["integration course"] == "کورس ادغام"  # its own entry
    assert texts["Toleration (Duldung)"] == i18n.translate("Toleration (Duldung)", "fa")  # from Farsi


@pytest.fixture
def locale_copy(tmp_path, monkeypatch):
    target = tmp_path / "locale"
    shutil.copytree(catalogs.LOCALE_DIR, target)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", target)
    return target


def test_i18n_check_reports_a_catalog_that_leaves_the_glossary(locale_copy):
    path = catalogs.po_path("forms", "fr")
    cat = catalogs.load_po(path, "fr")
    cat["Toleration (Duldung)"].string = "Tolérance (Duldung)"
    catalogs.save_po(cat, path)
    problems = catalogs.check()
    assert list(problems) == ["forms/fr"]
    assert any("duldung" in p and "suspension temporaire" in p for p in problems["forms/fr"])
    assert any("must not read 'tolérance'" in p for p in problems["forms/fr"])
