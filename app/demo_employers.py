"""Demo data of the employer service: fictional employers in the county's towns, their offers, and a year of
placements (proposed, accepted or declined, sent with consent, invited, hired or rejected, started),
written through app.employers so that every step is in the clients' chronicles. app.demo calls `fill`.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from .casework import CaseWork
from .employers import Employers
from .repository import Repository

# (name, town, sector, contact person, offers: (kind, title, KldB, German, licence, hours, minutes, places))
EMPLOYERS: list[tuple[str, str, str, str, list[tuple[str, str, str, str | None, str | None, int, int, int]]]] = [
    ("Malerbetrieb Brinkhoff (fiktiv)", "BEC", "Handwerk", "Herr Brinkhoff", [
        ("job", "Malerhelfer/in", "33212", "A2", None, 38, 45, 2),
        ("apprenticeship", "Ausbildung Maler/in und Lackierer/in", "33212", "B1", None, 39, 60, 1)]),
    ("Bäckerei Hölscher (fiktiv)", "WAF", "Lebensmittelhandwerk", "Frau Hölscher", [
        ("job", "Produktionshelfer/in Backstube", "29222", "A2", None, 30, 45, 2),
        ("eq", "Einstiegsqualifizierung Bäcker/in", "29222", "A2", None, 35, 60, 1)]),
    ("Logistikzentrum Ems-Lippe (fiktiv)", "OEL", "Logistik", "Frau Kemper", [
        ("job", "Lagerhelfer/in Kommissionierung", "51311", "A2", None, 38, 60, 4),
        ("apprenticeship", "Ausbildung Fachkraft für Lagerlogistik", "51312", "B1", None, 39, 75, 1)]),
    ("Seniorenzentrum Am Kirchplatz (fiktiv)", "AHL", "Pflege", "Herr Demir", [
        ("job", "Pflegehelfer/in", "82101", "B1", None, 30, 60, 2),
        ("internship", "Praktikum Altenpflege (4 Wochen)", "82101", "A2", None, 30, 60, 2)]),
    ("Landgasthof Vohren (fiktiv)", "WAF", "Gastronomie", "Frau Vohren", [
        ("job", "Küchenhilfe", "29301", "A1", None, 25, 45, 2),
        ("job", "Koch/Köchin", "29302", "A2", None, 39, 60, 1)]),
    ("Autohaus Beckum Süd (fiktiv)", "BEC", "Kfz-Handel und Werkstatt", "Herr Schulze Wierling", [
        ("apprenticeship", "Ausbildung Kfz-Mechatroniker/in", "25212", "B1", None, 39, 60, 1),
        ("internship", "Praktikum Kfz-Werkstatt", "25212", "A2", None, 35, 60, 1)]),
    ("Elektro Tepe GmbH (fiktiv)", "ENN", "Elektrohandwerk", "Frau Tepe", [
        ("job", "Elektrohelfer/in", "26212", "A2", "B", 38, 60, 1)]),
    ("Gebäudeservice Münsterland (fiktiv)", "TEL", "Reinigung", "Herr Baumann", [
        ("job", "Reinigungskraft (Teilzeit)", "54101", "A1", None, 20, 60, 3)]),
    ("Markant Frischemarkt Sendenhorst (fiktiv)", "SEN", "Einzelhandel", "Frau Lütke", [
        ("job", "Verkaufshilfe Frischetheke", "62101", "A2", None, 25, 45, 2),
        ("apprenticeship", "Ausbildung Verkäufer/in", "62102", "B1", None, 39, 60, 1)]),
    ("Änderungsschneiderei Nadel & Faden (fiktiv)", "AHL", "Textil", "Frau Yılmaz", [
        ("job", "Näher/in", "28222", "A1", None, 25, 45, 1)]),
    ("Gartenbau Everswinkel (fiktiv)", "EVE", "Garten- und Landschaftsbau", "Herr Pohlmann", [
        ("job", "Helfer/in Garten- und Landschaftsbau", "12101", "A1", "B", 38, 60, 2),
        ("fim", "FIM: Grünpflege", "12101", None, None, 20, 45, 4)]),
    ("Bauunternehmung Wadersloh (fiktiv)", "WAD", "Bau", "Herr Schlüter", [
        ("job", "Maurerhelfer/in", "32122", "A2", None, 40, 60, 2)]),
    ("Spedition Sassenberg (fiktiv)", "SAS", "Transport", "Frau Averbeck", [
        ("job", "Berufskraftfahrer/in (Lkw)", "52122", "B1", "CE", 40, 60, 1)]),
    ("Gemeinde Ostbevern, Bauhof (fiktiv)", "OST", "Kommune", "Herr Wessels", [
        ("fim", "FIM: Bauhof und Grünflächen", "32201", None, None, 20, 45, 3)]),
]


class _Repo(Repository):
    """Ids from the seed, so that the same seed gives the same demo (tests/app/test_demo.py)."""

    def __init__(self, store, staff_id: str | None, rng: random.Random, today: dt.date):
        super().__init__(store, staff_id, today=today)
        self._rng = rng

    def save(self, entity: str, values: dict[str, Any], entity_id: str | None = None) -> str:
        return super().save(entity, values, entity_id or uuid.UUID(int=self._rng.getrandbits(128)).hex)


def fill(store, seed: int, reference: dt.date) -> dict[str, int]:
    """Write the employers, offers and placements (as the central office's AA staff, the employer service);
    returns counts per kind."""
    rng = random.Random(seed * 7 + 15)
    found = Repository(store).find("staff", agency="AA")
    staff = sorted(r["id"] for r in found if r.get("office") == "ZIP") or sorted(r["id"] for r in found)
    repo = _Repo(store, staff[0] if staff else store.staff_id, random.Random(seed * 11 + 3), reference)
    cw = CaseWork(repo)
    emp = Employers(repo, cw.rules, cw.chronicle, cw.consent)
    offers: list[tuple[str, str]] = []
    with repo.transaction():
        for name, town, sector, contact, items in EMPLOYERS:
            eid = emp.save_employer({"name": name, "town": town, "sector": sector, "contact_person": contact})
            for kind, title, occ, german, licence, hours, minutes, places in items:
                start = reference + dt.timedelta(days=rng.randint(-240, 90))  # some began long ago
                oid = emp.save_offer({
                    "employer_id": eid, "kind": kind, "title": title, "occupation": occ, "german_level": german,
                    "driving_licence": licence, "work_permit_needed": kind != "internship", "hours": hours,
                    "start_date": start.isoformat(), "town": town, "max_travel_minutes": minutes,
                    "places": places})
                offers.append((oid, eid))
        placements = 0
        for oid, eid in offers:
            eligible = [m for m in emp.candidates(oid, today=reference) if m.eligible]
            for m in eligible[:rng.randint(1, 4)]:
                placements += _placement(emp, repo, rng, m.case_id, oid, eid, reference)
    return {"employer": len(EMPLOYERS), "offer": len(offers), "placement": placements}


def _placement(emp: Employers, repo, rng: random.Random, case_id: str, oid: str, eid: str,
               reference: dt.date) -> int:
    case = repo.get("case", case_id) or {}
    opened = dt.date.fromisoformat(case.get("opened") or reference.isoformat())
    first = max(opened + dt.timedelta(days=45), reference - dt.timedelta(days=330))
    if first > reference - dt.timedelta(days=3):
        return 0
    day = first + dt.timedelta(days=rng.randint(0, (reference - first).days - 3))
    offer = emp.offer(oid)
    if offer is None or offer["status"] != "open":
        return 0
    pid = emp.propose(case_id, oid, date=day.isoformat(), today=reference)

    def later(d: dt.date) -> dt.date | None:
        nxt = d + dt.timedelta(days=rng.randint(2, 12))
        return nxt if nxt <= reference else None

    steps = [later(day)]
    if steps[-1] is None:
        return 1
    accepted = rng.random() < 0.85
    emp.answer(pid, accepted, date=steps[-1].isoformat())
    if not accepted:
        return 1
    emp.record_employer_consent(case_id, eid, date=steps[-1].isoformat())
    emp.send(pid, date=steps[-1].isoformat())
    for outcome in ("invited", "hired" if rng.random() < 0.6 else "rejected", "started"):
        nxt = later(steps[-1])
        if nxt is None:
            break
        if outcome == "started" and emp.placement(pid)["status"] != "hired":
            break
        emp.outcome(pid, outcome, date=nxt.isoformat())
        steps.append(nxt)
        if outcome == "rejected":
            break
    return 1
