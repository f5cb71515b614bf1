"""The translator's review round trip: drafts out as PO, reviewed texts back, marked by whom and when."""

import datetime as dt
import shutil
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po, write_po

import i18n
from i18n import catalogs
from i18n.review import ReviewError, export_review, import_review


@pytest.fixture
def locale_copy(tmp_path, monkeypatch):
    """The catalogs copied to a temporary folder, so importing does not touch the shipped ones."""
    target = tmp_path / "locale"
    shutil.copytree(catalogs.LOCALE_DIR, target)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", target)
    monkeypatch.setattr(i18n, "LOCALE_DIR", target)
    i18n.reload()
    yield target
    i18n.reload()


def _rewrite(path, edit):
    with open(path, "rb") as fh:
        cat = read_po(fh)
    edit(cat)
    with open(path, "wb") as fh:
        write_po(fh, cat)


def test_export_import_marks_entries_reviewed_by_whom_and_when(locale_copy, tmp_path):
    before = catalogs.stats("forms", "ti")
    assert before.reviewed == 0 and before.review == before.translated
    out = tmp_path / "ti.po"
    n = export_review("ti", out)
    gendered = sum(1 for m in catalogs.load_po(catalogs.po_path("forms", "ti"), "ti")
                   if m.id and m.context in catalogs.GENDER_CONTEXTS)
    assert gendered and n == before.translated + gendered  # the variants for a woman and a man go along
    text = out.read_text("utf-8")
    assert "#. Deutsch: Einverständniserklärung" in text and "Language: ti" in text  # German beside the English

    def edit(cat):
        cat.last_translator = "Yohannes T. <yt@example.org>"
        cat["Consent declaration"].string = "መግለጺ ስምምዕ (ዝተመርመረ)"
        cat["Date"].flags.add("fuzzy")  # the reviewer is not sure: stays a draft
    _rewrite(out, edit)

    res = import_review(out, day=dt.date(2026, 12, 1))
    assert res.lang == "ti" and res.reviewer == "Yohannes T." and res.changed == 1
    assert "Date" in res.skipped and res.reviewed == n - 1
    after = catalogs.stats("forms", "ti")
    assert after.reviewed == before.translated - 1 and after.review == 1 and after.reviewers == ["Yohannes T."]
    msg = catalogs.load_po(catalogs.po_path("forms", "ti"), "ti")["Consent declaration"]
    assert msg.string == "መግለጺ ስምምዕ (ዝተመርመረ)"
    assert msg.user_comments == ["reviewed by Yohannes T. on 2026-12-01"]
    assert i18n.translate("Consent declaration", "ti") == "መግለጺ ስምምዕ (ዝተመርመረ)"
    assert export_review("ti", tmp_path / "again.po") == 1  # only the draft left
    assert "Yohannes T." in catalogs.report_text()  # the report names who reviewed


def test_a_broken_file_changes_nothing(locale_copy, tmp_path):
    out = tmp_path / "fa.po"
    export_review("fa", out, only_drafts=False)
    out.write_bytes(out.read_bytes().replace(b'msgid "Date"', b'msgid "Date" "\xff\xfe', 1))  # not UTF-8
    original = catalogs.po_path("forms", "fa").read_bytes()
    with pytest.raises(ReviewError):
        import_review(out, reviewer="R. Review")
    assert catalogs.po_path("forms", "fa").read_bytes() == original


def test_an_import_needs_a_reviewer_and_a_language(locale_copy, tmp_path):
    out = tmp_path / "uk.po"
    export_review("uk", out)
    with pytest.raises(ReviewError, match="--reviewer"):
        import_review(out)
    bad = tmp_path / "none.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Date"\nmsgstr "x"\n')
    with pytest.raises(ReviewError):
        import_review(bad, reviewer="A")
    with pytest.raises(ReviewError):
        export_review("xx", out)


def test_the_cli_refuses_a_missing_file_in_one_line(tmp_path):
    res = subprocess.run([sys.executable, "-m", "app", "i18n", "review", "import", str(tmp_path / "nope.po"),
                          "--reviewer", "A"], capture_output=True, text=True, cwd=catalogs.ROOT)
    assert res.returncode == 1
    assert len(res.stderr.strip().splitlines()) == 1 and "Datei" in res.stderr


def test_the_report_separates_drafted_reviewed_and_fallback():
    rows = {(s.domain, s.lang): s for s in catalogs.report()}
    ar, dari, pashto = rows[("forms", "ar")], rows[("forms", "fa_AF")], rows[("forms", "ps")]
    assert ar.review == ar.translated and ar.reviewed == 0  # every shipped translation is a draft
    # Dari has its own words where they differ from Farsi (مکتب, پوهنتون, کورس) and reads the rest from Farsi
    assert 0 < dari.review < dari.total and dari.review + dari.fallback == dari.translated == dari.total
    assert not dari.missing_ids
    assert pashto.translated == pashto.total and not pashto.missing_ids  # Pashto: every form text drafted
    assert pashto.review == pashto.translated and pashto.reviewed == 0  # ... and all of it is a draft
    assert ar.translated + ar.fuzzy + ar.missing == ar.total
