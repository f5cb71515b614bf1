"""Search-as-you-type in the case list finds people the way staff type them (issue 9, item 7):
other spellings and transliterations, direction marks pasted with a name, birth year or date,
address, phone and case number, through a real store's case rows."""

import pytest

from app.caselist import CaseIndex, load_rows
from app.search import person_search_text


def _person(repo, household: str, family: str, given: str, born: str, phone: str = "", **more) -> str:
    values = {"household_id": household, "family_name": family, "given_names": given, "birth_date": born,
              **({"phone": phone} if phone else {}), **more}
    pid = repo.save("person", values)
    repo.save("case", {"household_id": household, "person_id": pid, "office": "AHL", "status": "active",
                       "case_number": f"AHL-26-{len(family):02d}{len(given):02d}"})
    return pid


@pytest.fixture
def index(repo):
    h1 = repo.save("household", {"office": "AHL", "address": "Weststraße 5, 59227 Ahlen"})
    h2 = repo.save("household", {"office": "AHL", "address": "Am Markt 1, Beckum"})
    h3 = repo.save("household", {"office": "AHL", "address": "Oststraße 9, Ahlen"})
    _person(repo, h1, "Al-Azzawi", "Mohammed", "1990-05-01", phone="+49 171 2345678")
    _person(repo, h2, "Schewtschenko", "Olena", "1985")
    _person(repo, h3, "Rezaei", "Zahra", "2001-02-03", family_name_orig="رضایی", given_names_orig="زهرا")
    rows = load_rows(repo.conn)
    return CaseIndex(rows), {r.family_name: i for i, r in enumerate(rows)}


@pytest.mark.parametrize("query, who", [
    ("Alazawi", "Al-Azzawi"), ("alazzawi", "Al-Azzawi"), ("Al Azawi", "Al-Azzawi"),  # written together, doubled
    ("Muhammad", "Al-Azzawi"), ("Mohamed", "Al-Azzawi"), ("muhamad alazawi", "Al-Azzawi"),  # transliterations
    ("Shevchenko", "Schewtschenko"), ("Olna", "Schewtschenko"),  # English for German; a typo
    ("Rezai", "Rezaei"), ("رضايي", "Rezaei"),  # Arabic yeh for the Persian one
    ("\u200fAl-Azzawi", "Al-Azzawi"), ("\u202bزهرا\u202c", "Rezaei"), ("Zahra\u200e", "Rezaei"),  # bidi marks
    ("1985", "Schewtschenko"), ("01.05.1990", "Al-Azzawi"), ("2001-02-03", "Rezaei"),  # birth year and date
    ("weststr", "Al-Azzawi"), ("markt beckum", "Schewtschenko"),  # address
    ("171 2345", "Al-Azzawi"), ("1712345678", "Al-Azzawi"),  # phone by its digits
])
def test_finds(index, query, who):
    ix, pos = index
    assert pos[who] in ix.match(query), (query, who)


def test_finds_by_case_number(index):
    ix, pos = index
    number = ix.rows[pos["Schewtschenko"]].case_number
    assert ix.match(number) == [pos["Schewtschenko"]]
    assert ix.match(number.lower()) == [pos["Schewtschenko"]]


@pytest.mark.parametrize("query", ["Müller", "Ali", "1999", "xyz", "Hassan"])
def test_does_not_find_what_is_not_there(index, query):
    ix, _pos = index
    assert ix.match(query) == []


def test_short_words_match_only_as_typed(index):
    """A word under four letters is not stretched to similar names (it would match nearly everyone)."""
    ix, pos = index
    assert ix.match("Ola") == []
    assert ix.match("Ole") == [pos["Schewtschenko"]]


def test_stored_search_text_of_persian_names_drops_zero_width_joiners():
    text = person_search_text({"family_name": "Mohammadi", "given_names_orig": "می\u200cخواهم"})
    assert "\u200c" not in text


def test_household_members_without_a_case_are_found_by_a_search_only(repo):
    """Children have no case of their own: a search finds them (with their household), the list
    without a query shows the cases."""
    hid = repo.save("household", {"office": "AHL", "address": "Weststraße 5, Ahlen"})
    _person(repo, hid, "Haddad", "Rania", "1988-03-04")
    child = repo.save("person", {"household_id": hid, "family_name": "Haddad", "given_names": "Yara",
                                 "birth_date": "2019-07-01", "relation": "child"})
    rows = load_rows(repo.conn)
    ix = CaseIndex(rows)
    by_person = {r.person_id: i for i, r in enumerate(rows)}
    assert rows[by_person[child]].case_id is None and rows[by_person[child]].household_id == hid
    assert by_person[child] not in ix.match("")  # the list itself shows cases
    assert ix.match("Yara") == [by_person[child]]
    assert ix.match("2019") == [by_person[child]]
    assert set(ix.match("Haddad")) == {by_person[child], next(i for i, r in enumerate(rows) if r.case_id)}
    assert ix.match("Yara", status="active") == []  # a status filter is about cases
