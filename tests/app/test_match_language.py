"""Match reasons are language-free: a proposal stores codes with parameters (app.match_reasons), and its
reason, in the placement and in the chronicle, reads in the reader's language whoever proposed it in which
UI language; sentences stored as text by older versions read in the reader's language too."""

import json

import pytest

import i18n
from app.casework import CaseWork
from app.chronicle import message
from app.chronicle_text import PROPOSED, event_text
from app.employers import Employers
from app.match_reasons import legacy, sentence
from app.matching import placement_reason
from tests.app.employer_kit import TODAY, client, employer_with_offer

GERMAN = "7 Jahre Berufserfahrung: Maler (mit Nachweis), Deutsch B1, Führerschein"
ENGLISH = "7 years of experience: Maler (with proof), German B1, driving licence"


@pytest.fixture
def cw(repo):
    repo.today = TODAY
    return CaseWork(repo)


@pytest.fixture
def emp(cw):
    return Employers(cw.repo, cw.rules, cw.chronicle, cw.consent)


@pytest.fixture(autouse=True)
def german_again():
    yield
    i18n.set_language("de")


def _propose(cw, emp, lang: str) -> tuple[str, str]:
    case = client(cw, "BEC")
    _eid, offer = employer_with_offer(emp, languages=[{"code": "en", "level": "B1"}])
    i18n.set_language(lang)
    return case, emp.propose(case, offer, date="2026-06-01", today=TODAY)


def _proposal_event(cw, case):
    return next(e for e in cw.chronicle.events(case) if e["kind"] == "placement")


def test_a_proposal_made_with_the_ui_in_english_reads_in_german_for_a_german_user(cw, emp, repo):
    case, pid = _propose(cw, emp, "en")
    i18n.set_language("de")  # a German colleague opens the case
    reason = placement_reason(emp.placement(pid), "de")
    assert reason.startswith(GERMAN) and reason.endswith("Es fehlt: en B1 fehlt.")
    text = event_text(_proposal_event(cw, case), "de")
    assert text.startswith("Angebot der Person vorgeschlagen: Maler/in (Helfer) bei Malerbetrieb Sonnenschein. "
                           + GERMAN)
    # stored: codes and parameters, no sentence in either language
    match, old_reason, old_missing = repo.conn.execute(
        "SELECT match, reason, missing FROM placement WHERE id = ?", (pid,)).fetchone()
    assert old_reason is None and old_missing is None
    facts = json.loads(match)
    assert facts["why"][0] == {"code": "experience", "params": {"years": 7, "proof": True, "occupation": "Maler"}}
    assert {"code": "language", "params": {"language": "en", "need": "B1", "have": None}} in facts["missing"]
    event = repo.conn.execute("SELECT message FROM event WHERE id = ?", (_proposal_event(cw, case)["id"],)).fetchone()
    stored = match + event[0]  # the chronicle keeps msgids (the English source texts with placeholders)
    for rendered in ("7 years", "German B1", "15 min", "Berufserfahrung", "Führerschein", "fehlt"):
        assert rendered not in stored


def test_a_proposal_made_with_the_ui_in_german_reads_in_english(cw, emp):
    case, pid = _propose(cw, emp, "de")
    i18n.set_language("en")
    reason = placement_reason(emp.placement(pid), "en")
    assert reason.startswith(ENGLISH) and reason.endswith("missing: en B1 missing.")
    assert ENGLISH in event_text(_proposal_event(cw, case), "en")


def test_a_match_computed_in_english_is_worded_in_german_dates_in_the_german_format(cw, emp):
    case = client(cw, "BEC", status="gestattung", entry="2026-05-01")  # may work only three months after entry
    _eid, offer = employer_with_offer(emp)
    i18n.set_language("en")
    match = next(m for m in emp.candidates(offer, TODAY) if m.case_id == case)
    assert not match.eligible
    assert "access to the labour market only from Aug 1, 2026" in match.sentence
    assert "Arbeitsmarktzugang erst ab 01.08.2026" in match.sentence_in("de")
    assert match.to_dict()["facts"]["missing"][0] == {"code": "access_waiting", "params": {"since": "2026-08-01"}}


@pytest.mark.parametrize("written, lang", [
    ("7 years of experience: Maler, Anstreicher (with proof), German B1, 20 min by bus and train. "
     "missing: access to the labour market only from Aug 1, 2026; en B1 missing.", "en"),
    ("7 Jahre Berufserfahrung: Maler, Anstreicher (mit Nachweis), Deutsch B1, 20 Min. mit Bus und Bahn. "
     "Es fehlt: Arbeitsmarktzugang erst ab 01.08.2026; en B1 fehlt.", "de"),
])
def test_sentences_stored_as_text_by_older_versions_read_in_the_readers_language(written, lang):
    facts = legacy(written)
    assert facts is not None, written
    assert facts["why"][0]["params"] == {"years": 7, "proof": True, "occupation": "Maler, Anstreicher"}
    assert facts["missing"][0] == {"code": "access_waiting", "params": {"since": "2026-08-01"}}
    other = "de" if lang == "en" else "en"
    placement = {"reason": written, "missing": "…"}
    assert placement_reason(placement, lang) == written  # the writer reads what was written
    assert placement_reason(placement, other) != written
    assert placement_reason(placement, "de").startswith("7 Jahre Berufserfahrung: Maler, Anstreicher (mit Nachweis)")
    assert placement_reason(placement, "en").endswith("from Aug 1, 2026; en B1 missing.")
    # a chronicle event of such a version: the sentence a parameter of the message, or the whole text
    event = {"kind": "placement", "message": message(PROPOSED, offer="Maler/in bei X", why=written)}
    assert "Arbeitsmarktzugang erst ab 01.08.2026" in event_text(event, "de")
    assert "only from Aug 1, 2026" in event_text(event, "en")
    old = {"kind": "placement", "text": i18n.translate(PROPOSED, lang).format(offer="Maler/in bei X", why=written)}
    assert "Arbeitsmarktzugang erst ab 01.08.2026" in event_text(old, "de")
    assert "only from Aug 1, 2026" in event_text(old, "en")


def test_what_reads_as_no_match_sentence_stays_as_written():
    assert legacy("Called the employer, will send CV.") is None
    assert placement_reason({"reason": "Called the employer."}, "en") == "Called the employer."
    assert sentence(None) == "" and placement_reason({}, "de") == ""
