"""Duplicates over all offices at the hub: the same person registered in Ahlen and in Beckum is found at the
hub (`sprechstunde-hub duplicates`), merged there, and both laptops have the merge after their next sync."""

from __future__ import annotations

import json

from app.households import save_household
from app.repository import Repository
from tests.cli.test_duplicates_cli import explain_lines
from tests.sync.hubkit import hub_cli, sync


def _register(store, office: str, family: str, given: str) -> str:
    res = save_household(Repository(store), {"office": office}, [
        {"relation": "head", "family_name": family, "given_names": given, "birth_date": "1988-05-17", "sex": "f",
         "nationality": "SY", "phone": "+49 170 5550199", "case": {"rechtskreis": "AsylbLG"}}])
    assert res.ok, res.errors
    return res.person_ids[0]


def test_the_hub_finds_and_merges_a_person_two_offices_registered(hub, laptops):
    ahlen, beckum = laptops("AHL"), laptops("BEC")
    keep = _register(ahlen, "AHL", "Al-Hassan", "Fatima")
    away = _register(beckum, "BEC", "Alhasan", "Fatma")
    for s in (ahlen, beckum):
        assert sync(s).ok
    # neither laptop sees the other's household; the hub sees both
    assert Repository(ahlen).get("person", away) is None and Repository(beckum).get("person", keep) is None
    rows = json.loads(hub_cli("duplicates", "--dir", str(hub.dir), "--json").stdout)
    assert [{r["person_id"], r["other_id"]} for r in rows] == [{keep, away}]
    assert rows[0]["score"] >= 0.8 and rows[0]["fields"]
    text = hub_cli("--lang", "en", "duplicates", "--dir", str(hub.dir), "--explain").stdout
    assert "Al-Hassan, Fatima" in text and "Alhasan, Fatma" in text
    explained = explain_lines(text)  # a line per field with its weight in bits, as on the laptop
    assert {"family name", "given names", "birth date", "phone"} <= set(explained)
    assert explained["phone"].endswith("same phone number") and explained["birth date"].endswith("same birth date")
    assert explain_lines(hub_cli("--lang", "en", "duplicates", "--dir", str(hub.dir)).stdout) == {}
    out = hub_cli("duplicates", "--dir", str(hub.dir), "--merge", keep, away).stdout
    assert "Zusammengeführt" in out
    assert json.loads(hub_cli("duplicates", "--dir", str(hub.dir), "--json").stdout) == []
    for s in (beckum, ahlen):
        assert sync(s).ok
    rb, ra = Repository(beckum), Repository(ahlen)
    assert rb.get("person", away)["merged_into"] == keep  # the Beckum laptop learns where its person went
    kept_hh = ra.get("person", keep)["household_id"]
    # ... and keeps seeing her: the kept household is shared with Beckum, her Beckum case is in it
    assert rb.get("person", keep)["household_id"] == kept_hh
    cases = {c["id"]: c for c in ra.find("case", household_id=kept_hh)}
    assert len(cases) == 2 and {c["person_id"] for c in cases.values()} == {keep}
    assert {c["id"] for c in rb.find("case", household_id=kept_hh)} == set(cases)
    assert sync(beckum).ok and sync(ahlen).ok  # nothing either laptop wrote afterwards is refused


def test_bad_input_at_the_hub_is_one_line_and_writes_nothing(hub, laptops):
    ahlen = laptops("AHL")
    pid = _register(ahlen, "AHL", "Haddad", "Rami")
    assert sync(ahlen).ok
    for argv in (("--merge", pid, "no-such-person"), ("--threshold", "2")):
        res = hub_cli("duplicates", "--dir", str(hub.dir), *argv, check=False)
        assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert sync(ahlen).ok
    assert Repository(ahlen).get("person", pid)["merged_into"] is None
