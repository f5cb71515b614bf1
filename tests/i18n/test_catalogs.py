"""The catalogs: every one compiles, placeholders match, completeness equals the known gap list."""

import io
import json

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file

import i18n
from i18n import catalogs
from i18n import locale as loc


def test_every_catalog_compiles_and_placeholders_match():
    assert catalogs.all_catalogs(), "no catalogs found"
    assert catalogs.check() == {}


def test_every_configured_language_has_its_catalogs():
    for domain in catalogs.DOMAINS:
        for lang in catalogs.domain_languages(domain):
            assert catalogs.po_path(domain, lang).exists(), f"{domain}/{lang} is missing"
    assert {lang.code for lang in loc.form_languages()} >= {"de", "en", "ar", "fa", "ti", "ku", "uk", "tr", "fr", "ru"}


def test_placeholder_check_finds_differences():
    cat = Catalog(locale="de")
    cat.add("Hello {name}", "Hallo {nme}")
    cat.add("{n} case", "{n} Fall")
    cat.add("Open {", "Offen {")  # not a format string in the source: ignored
    cat.add("Wait {seconds} s", "Warte {seconds s")
    problems = catalogs.check_catalog(cat)
    assert any("Hello {name}" in p and "differ" in p for p in problems)
    assert any("Wait {seconds} s" in p and "balance" in p for p in problems)
    assert len(problems) == 2


def test_completeness_report_matches_the_known_gap_list():
    rows = catalogs.report()
    assert catalogs.gaps(rows) == catalogs.known_gaps()
    by = {(s.domain, s.lang): s for s in rows}
    for domain in catalogs.DOMAINS:  # German, the default UI language, is complete everywhere
        assert by[(domain, "de")].missing == 0 and by[(domain, "de")].fuzzy == 0
        assert by[(domain, "en")].source


def test_report_counts_add_up_and_review_marks_are_counted():
    for s in catalogs.report():
        assert s.translated + s.fuzzy + s.missing == s.total
        if s.domain == "forms" and s.lang == "ar":
            assert s.review > 0  # machine-made translations carry the review mark


def test_form_texts_are_translated_or_reported_missing():
    template = catalogs.load_po(catalogs.pot_path("forms"))
    known = catalogs.known_gaps().get("forms", {})
    for lang in catalogs.domain_languages("forms"):
        for msg in template:
            if not msg.id:
                continue
            assert i18n.has_translation(msg.id, lang) or msg.id in known.get(lang, []), (lang, msg.id)


def test_json_extractor_through_babel():
    doc = {
        "format": "sprechstunde-form", "_comment": "not for translators", "title": "Intake",
        "sections": [{"key": "a", "title": "Person", "translator_comment": "a heading",
                      "fields": [{"key": "x", "type": "choice", "label": "Country",
                                  "options": [{"value": "sy", "label": "Syria"}]}]}],
    }
    data = json.dumps(doc, indent=1).encode()
    from i18n.extract import extract_json

    found = [(m, c) for _l, _f, m, c in extract_json(io.BytesIO(data), {}, [], {})]
    assert found == [("Intake", []), ("Person", ["a heading"]), ("Country", []), ("Syria", [])]
    keys_only = [m for _l, _f, m, _c in extract_json(io.BytesIO(data), {}, [], {"keys": "title"})]
    assert keys_only == ["Intake", "Person"]


def test_babel_mapping_uses_our_extractor(tmp_path):
    path = tmp_path / "form.json"
    path.write_text('{"title": "Consent to pass on data",\n "help": "Ask twice"}', "utf-8")
    found = list(extract_from_file("i18n.extract:extract_json", str(path)))
    assert [(line, msg) for line, msg, _c, _ctx in found] == [(1, "Consent to pass on data"), (2, "Ask twice")]


def test_translate_uses_all_domains_and_aliases():
    assert i18n.translate("Consent declaration", "de") == "Einverständniserklärung"  # forms domain
    assert i18n.translate("Save", "de") == "Speichern"  # UI domain
    assert i18n.translate("Integration course", "de") == "Integrationskurs"  # staff domain
    assert i18n.translate("Date", "kmr") == i18n.translate("Date", "ku") == "Dîrok"
    assert i18n.translate("Date", "prs") == i18n.translate("Date", "fa")
    assert not i18n.has_translation("Syria", "ti") or i18n.translate("Syria", "ti") != "Syria"


def test_adding_a_language_needs_only_data(tmp_path, monkeypatch):
    """A new entry in languages.json plus `update` gives a catalog; no code changes."""
    data = json.loads(loc.LANGUAGES_FILE.read_text("utf-8"))
    data["languages"].append({"code": "ckb", "english": "Kurdish (Sorani)", "native": "کوردیی ناوەندی",
                              "script": "Arab", "ui": False, "forms": True})
    langs = tmp_path / "languages.json"
    langs.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    monkeypatch.setattr(loc, "LANGUAGES_FILE", langs)
    locale_dir = tmp_path / "locale"
    locale_dir.mkdir()
    (locale_dir / "forms.pot").write_bytes(catalogs.pot_path("forms").read_bytes())
    monkeypatch.setattr(catalogs, "LOCALE_DIR", locale_dir)
    loc.reload()
    try:
        assert "ckb" in [lang.code for lang in loc.form_languages()]
        assert loc.is_rtl("ckb")
        assert "ckb" in catalogs.domain_languages("forms")
        untranslated = catalogs.update("forms", ["ckb"])
        assert untranslated["ckb"] == sum(1 for m in catalogs.load_po(locale_dir / "forms.pot") if m.id)
        assert catalogs.stats("forms", "ckb").missing == untranslated["ckb"]
    finally:
        monkeypatch.undo()
        loc.reload()


def test_pseudo_translation_keeps_placeholders_and_mnemonics():
    from i18n.pseudo import pseudo

    i18n.set_language("x-pseudo")
    try:
        text = i18n._("The store could not be opened: {reason}")
        assert text.startswith("[") and text.endswith("]") and "{reason}" in text
        assert len(text) > len("Die Datenablage konnte nicht geöffnet werden: {reason}")
        assert text.format(reason="x")
        assert "&D" in i18n._("&File") or "&" in i18n._("&File")
    finally:
        i18n.set_language("de")
    assert pseudo("sending %v/%m").count("%v") == 1
    assert pseudo("Save", rtl=True).startswith("\u202e")


def test_every_document_text_is_extracted():
    """D_("...") literals in the document code reach the forms template (none hidden in f-strings)."""
    import re

    ids = {m.id for m in catalogs.load_po(catalogs.pot_path("forms")) if m.id}
    for path in (catalogs.ROOT / "app" / "documents").glob("*.py"):
        for text in re.findall(r'D_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', path.read_text("utf-8")):
            assert text in ids, (path.name, text)
