"""`sprechstunde print` and `sprechstunde i18n report` as scripts and CI call them."""

import io
import json
import os
import subprocess
import sys

from pypdf import PdfReader

from tests.conftest import PASSPHRASE, ROOT


def run(*args):
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": PASSPHRASE}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_print_writes_a_bilingual_pdf(store, repo, store_dir, tmp_path):
    from app.documents.sample import make_case

    number = make_case(repo, events=3)
    store.close()
    out = tmp_path / "slip.pdf"
    r = run("print", "slip", "--store", str(store_dir), "--case", number, "--lang", "kmr", "--out", str(out))
    assert r.returncode == 0, r.stderr
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Termin" in text and "Randevû" in text and number in text

    r = run("print", "handover", "--store", str(store_dir), "--case", number, "--lang", "ar",
            "--to", "ABH", "--out", str(tmp_path / "h.pdf"))
    assert r.returncode == 0, r.stderr
    r = run("print", "consent", "--store", str(store_dir), "--case", "NOPE-1", "--lang", "ar",
            "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 1 and "NOPE-1" in r.stderr and not (tmp_path / "x.pdf").exists()
    r = run("print", "consent", "--store", str(store_dir), "--case", number, "--lang", "xx")
    assert r.returncode == 1
    r = run("print", "flyer", "--store", str(store_dir), "--case", number)
    assert r.returncode == 2


def test_print_command_knows_every_document():
    from app.documents import DOCUMENTS
    from cli.print_cmds import DOCUMENT_NAMES

    assert tuple(DOCUMENTS) + ("report",) == DOCUMENT_NAMES  # report: the steering report of a period, no case


def test_i18n_report_json():
    r = run("i18n", "report", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["problems"] == {}
    assert set(doc["not_extracted"]) == {"messages", "forms", "staff"}
    forms = doc["domains"]["forms"]
    assert set(forms) >= {"en", "de", "ar", "fa", "ti", "ku", "uk", "tr", "fr", "ru"}
    assert forms["de"]["missing"] == 0 and forms["en"]["source"]
    assert forms["ar"]["translated"] + forms["ar"]["missing"] + forms["ar"]["fuzzy"] == forms["ar"]["total"]
    r = run("i18n", "report")
    assert r.returncode == 0 and "forms:" in r.stdout and "(Ausgangssprache)" in r.stdout


def test_a_pdf_printed_on_the_command_line_is_in_the_access_log(store, repo, store_dir, tmp_path):
    """The command line prints through the same Session as the GUI, so the access is logged (it was
    not: `sprechstunde print` rendered from a repository of its own)."""
    from app import audit
    from app.documents.sample import make_case
    from app.store import Store

    number = make_case(repo, events=1)
    staff = store.staff_id
    store.close()
    r = run("print", "slip", "--store", str(store_dir), "--case", number, "--lang", "ar",
            "--out", str(tmp_path / "slip.pdf"))
    assert r.returncode == 0, r.stderr
    r = run("print", "consent", "--store", str(store_dir), "--case", "NOPE-1", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 1
    again = Store.open(store_dir, PASSPHRASE)
    try:
        logged = [(a["action"], a["case_number"], a["staff_id"]) for a in audit.entries(again.conn)]
    finally:
        again.close()
    assert ("print:slip", number, staff) in logged
    assert not [a for a in logged if a[1] == "NOPE-1"]  # nothing was printed, nothing is logged
