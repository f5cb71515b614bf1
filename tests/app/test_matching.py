"""Matching offers and profiles offline: hard requirements exclude, the ranking orders, reasons name what is missing."""

import pytest

from app.casework import CaseWork
from app.checks import ValidationError
from app.employers import Employers
from app.occupations import default_classification, similarity
from tests.app.employer_kit import TODAY, client, employer_with_offer


@pytest.fixture
def cw(repo):
    repo.today = TODAY
    return CaseWork(repo)


@pytest.fixture
def emp(cw):
    return Employers(cw.repo, cw.rules, cw.chronicle, cw.consent)


def by_case(matches):
    return {m.case_id: m for m in matches}


def test_hard_requirements_exclude_and_say_what_is_missing(cw, emp):
    best = client(cw, "BEC", family="Eins")
    a2 = client(cw, "AHL", family="Zwei", german="A2")
    waiting = client(cw, "BEC", family="Drei", status="gestattung", entry="2026-04-01")
    no_consent = client(cw, "BEC", family="Vier", consent_aa=False)
    foreign = client(cw, "BEC", family="Fuenf", licence="foreign")
    far = client(cw, "OST", family="Sechs")
    _eid, offer = employer_with_offer(emp)
    m = by_case(emp.candidates(offer, today=TODAY))
    assert m[best].eligible
    assert not m[a2].eligible and "B1 Deutsch fehlt, A2 vorhanden" in m[a2].missing
    assert "B1 Deutsch fehlt, A2 vorhanden" in m[a2].sentence
    assert not m[waiting].eligible
    assert "Arbeitsmarktzugang erst ab 01.07.2026" in m[waiting].missing
    assert not m[no_consent].eligible and any("Einwilligung" in x for x in m[no_consent].missing)
    assert not m[foreign].eligible and any("umschreiben" in x for x in m[foreign].missing)
    assert not m[far].eligible and any("höchstens 45 Min." in x for x in m[far].missing)
    # the eligible one comes first, with a sentence why
    assert emp.candidates(offer, today=TODAY)[0].case_id == best
    assert "7 Jahre Berufserfahrung: Maler (mit Nachweis)" in m[best].sentence
    assert [x.case_id for x in emp.candidates(offer, today=TODAY, eligible_only=True)] == [best]


def test_access_after_the_waiting_time_needs_the_foreigners_office(cw, emp):
    case = client(cw, "BEC", status="gestattung", entry="2025-09-01")
    _e, offer = employer_with_offer(emp)
    m = by_case(emp.candidates(offer, today=TODAY))[case]
    assert m.eligible and "Zustimmung der Ausländerbehörde nötig" in m.missing


def test_ranking_by_occupation_experience_proof_and_wish(cw, emp):
    long_proof = client(cw, "BEC", family="A", experience=[("Maler", 8, True)])
    long_no_proof = client(cw, "BEC", family="B", experience=[("Maler und Lackierer", 8, False)])
    short = client(cw, "BEC", family="C", experience=[("Maler", 1, True)])
    other = client(cw, "BEC", family="D", experience=[("Bäckerei", 10, True)])
    wish_only = client(cw, "BEC", family="E", experience=[], wish_occupation="Maler/in und Lackierer/in")
    _e, offer = employer_with_offer(emp)
    order = [m.case_id for m in emp.candidates(offer, today=TODAY)]
    assert order.index(long_proof) < order.index(long_no_proof) < order.index(short) < order.index(other)
    assert order.index(wish_only) < order.index(other)
    m = by_case(emp.candidates(offer, today=TODAY))
    assert "keine Erfahrung in diesem Beruf" in m[other].missing


def test_from_a_case_the_offers(cw, emp):
    case = client(cw, "BEC", german="A2", experience=[("Lager und Logistik", 3, True)])
    eid, painter = employer_with_offer(emp)
    store = emp.save_offer({"employer_id": eid, "kind": "job", "title": "Lagerhelfer/in", "occupation": "51311",
                            "german_level": "A2", "town": "AHL", "max_travel_minutes": 60, "hours": 30})
    out = emp.offers_for_case(case, today=TODAY)
    assert [m.offer_id for m in out] == [store, painter]
    assert out[0].eligible and not out[1].eligible


def test_occupation_codes_from_typed_words():
    occ = default_classification()
    assert occ.code_for("Maler/in und Lackierer/in") == "33212"
    assert occ.code_for("Kfz-Werkstatt") == occ.code_for("Kfz-Mechatroniker/in") == "25212"
    assert occ.code_for("Raketenbau") is None
    assert similarity("51311", "51312") == 0.8 and similarity("51311", "51322") == 0.6
    assert similarity("52122", "52202") == 0.3 and similarity("51311", "52122") == 0.0


def test_bad_offers_are_refused_whole(cw, emp):
    eid, _offer = employer_with_offer(emp)
    before = cw.repo.conn.execute("SELECT count(*) FROM offer").fetchone()[0]
    with pytest.raises(ValidationError) as exc:
        emp.save_offer({"employer_id": eid, "kind": "gig", "title": "", "occupation": "99999", "hours": 90,
                        "town": "XXX"})
    assert set(exc.value.errors) >= {"kind", "title", "occupation", "hours", "town"}
    assert cw.repo.conn.execute("SELECT count(*) FROM offer").fetchone()[0] == before
    with pytest.raises(ValidationError):
        emp.save_employer({"name": "", "town": "BEC"})
