"""The demo's course planning: providers and courses in the county's towns, waiting lists, seats, handovers.

Called by app.demo.fill after the year of case work (one line), on the same
store, through the services (app.course_service), deterministic per seed:

* seven providers (Volkshochschulen and other Bildungsträger) in Ahlen,
  Beckum, Oelde, Warendorf, Telgte, Sendenhorst and Ennigerloh, and about
  twenty courses with realistic seats (integration courses A1-B1, literacy,
  parents' and youth courses, DeuFöV B1/B2, Einstiegskurs, FIM, KompAS,
  Kompetenzfeststellung), some running, most starting in the next months;
* everybody whose language-course measure waits or is registered is put on
  the county-wide list (obliged to attend with a high prospect of staying,
  level from their German in Profiling II), two allocation runs of "the hub"
  a week apart give seats offered, accepted, declined and expired;
* recognised AsylbLG cases get handovers to the Jobcenter in every state.
"""

from __future__ import annotations

import datetime as _dt
import random
import uuid
from typing import Any

from .casework import CaseWork
from .checks import ValidationError
from .course_service import CourseService
from .planning import german_levels
from .repository import Repository

PROVIDERS = (
    ("VHS Ahlen", ["AHL", "DRE"], "Frau Kettler", "02382 59-0"),
    ("VHS Beckum-Wadersloh", ["BEC", "WAD"], "Herr Brüggemann", "02521 29-0"),
    ("VHS Warendorf", ["WAF", "EVE", "OST", "SAS", "BEE"], "Frau Lütke-Wöstmann", "02581 54-0"),
    ("VHS Oelde-Ennigerloh", ["OEL", "ENN"], "Herr Ostermann", "02522 72-0"),
    ("Caritas-Bildungswerk Ahlen", ["AHL", "SEN"], "Frau Demir", "02382 89-0"),
    ("Kolping-Bildungszentrum Telgte", ["TEL", "OST"], "Herr Schulze Pellengahr", "02504 93-0"),
    ("Bildungszentrum Handwerk Warendorf", ["WAF", "BEC"], "Frau Hölscher", "02581 60-0"),
)
# provider index, kind, level, town, start (days from the reference day), weeks, seats (the contingent the provider
# keeps for the IP's clients), schedule, childcare, title
COURSES = (
    (0, "integrationskurs", "A1", "AHL", -60, 36, 3, "Mo–Fr 8:30–12:45", True, "Integrationskurs A1–B1 Ahlen (vormittags)"),
    (0, "integrationskurs", "A1", "AHL", 21, 36, 3, "Mo–Fr 8:30–12:45", True, "Integrationskurs A1–B1 Ahlen (Herbst)"),
    (4, "integrationskurs", "A1", "AHL", 49, 36, 3, "Mo–Do 17:30–20:45", False, "Integrationskurs A1 Ahlen (abends)"),
    (4, "alphakurs", "alpha", "AHL", 35, 52, 2, "Mo–Fr 8:30–12:45", True, "Alphabetisierungskurs Ahlen"),
    (1, "integrationskurs", "A1", "BEC", 14, 36, 2, "Mo–Fr 9:00–13:15", True, "Integrationskurs A1 Beckum"),
    (1, "integrationskurs", "A2", "BEC", 63, 24, 2, "Mo–Fr 9:00–13:15", False, "Integrationskurs A2 Beckum"),
    (1, "alphakurs", "alpha", "WAD", 70, 52, 2, "Mo–Do 8:30–12:00", True, "Alphabetisierungskurs Wadersloh"),
    (3, "integrationskurs", "A1", "OEL", 28, 36, 3, "Mo–Fr 8:15–12:30", True, "Integrationskurs A1 Oelde"),
    (3, "integrationskurs", "B1", "ENN", 42, 16, 2, "Mo–Fr 8:15–12:30", False, "Integrationskurs B1 Ennigerloh"),
    (2, "integrationskurs", "A1", "WAF", 7, 36, 3, "Mo–Fr 8:30–12:45", True, "Integrationskurs A1 Warendorf"),
    (2, "integrationskurs", "A2", "WAF", -30, 24, 3, "Mo–Fr 13:30–17:45", False, "Integrationskurs A2 Warendorf (nachmittags)"),
    (2, "alphakurs", "alpha", "WAF", 56, 52, 2, "Mo–Fr 8:30–12:45", True, "Alphabetisierungskurs Warendorf"),
    (5, "integrationskurs", "A1", "TEL", 35, 36, 2, "Mo–Fr 8:30–12:45", True, "Elternintegrationskurs Telgte"),
    (5, "integrationskurs", "A2", "TEL", 84, 36, 2, "Mo–Do 16:00–19:15", False, "Jugendintegrationskurs Telgte"),
    (4, "integrationskurs", "A1", "SEN", 56, 36, 2, "Mo–Fr 8:30–12:45", True, "Integrationskurs A1 Sendenhorst"),
    (0, "deufoev", "B1", "AHL", 28, 26, 3, "Mo–Fr 8:30–13:00", False, "Berufssprachkurs B1→B2 Ahlen"),
    (2, "deufoev", "B2", "WAF", 63, 26, 3, "Mo–Fr 13:00–17:30", False, "Berufssprachkurs B2→C1 Warendorf"),
    (3, "einstiegskurs", None, "OEL", 10, 8, 2, "Mo–Fr 9:00–12:00", False, "Einstiegskurs Deutsch Oelde"),
    (6, "kompetenzfeststellung", None, "WAF", 14, 4, 2, "Mo–Fr 8:00–15:00", False, "Kompetenzfeststellung Handwerk"),
    (6, "kompas", None, "BEC", 42, 26, 2, "Mo–Fr 8:00–14:00", False, "KompAS Beckum (Sprache und Aktivierung)"),
    (5, "fim", None, "TEL", 21, 26, 2, "Mo–Fr 8:00–12:00", False, "FIM Telgte: Grünpflege und Hauswirtschaft"),
)
LANGUAGE_LISTS = ("integrationskurs", "alphakurs", "deufoev")
HIGH_PROSPECT = {"syria", "iraq", "iran", "eritrea"}
# the towns people of an office reach by bus and train for a daily course (their own and the next larger one)
REACH = {"AHL": ["AHL"], "BEC": ["BEC"], "BEE": ["BEE", "WAF"], "DRE": ["DRE", "AHL"], "ENN": ["ENN", "OEL"],
         "EVE": ["EVE", "WAF", "TEL"], "OEL": ["OEL", "ENN"], "OST": ["OST", "TEL"], "SAS": ["SAS", "WAF"],
         "SEN": ["SEN", "AHL"], "TEL": ["TEL"], "WAD": ["WAD", "BEC"], "WAF": ["WAF"]}
NEXT_LEVEL = {"A1": "A2", "A2": "B1", "B1": "B2", "B2": "B2"}


class _SeededRepository(Repository):
    """New ids from the demo's generator, so a seed gives the same store."""

    def __init__(self, store, staff_id, rng: random.Random, today: _dt.date):
        super().__init__(store, staff_id)
        self._rng = rng
        self.today = today

    def save(self, entity: str, values: dict[str, Any], entity_id: str | None = None) -> str:
        return super().save(entity, values, entity_id or uuid.UUID(int=self._rng.getrandbits(128), version=4).hex)


def fill(store, seed: int, reference: _dt.date, counts: dict[str, int] | None = None) -> dict[str, int]:
    """Write the demo's providers, courses, waiting lists, seats and handovers; returns `counts` (the case work's)
    with these added (an accepted handover is one more Rechtskreiswechsel)."""
    rng = random.Random(f"courses/{seed}")
    ki = store.conn.execute("SELECT id FROM staff WHERE office = 'ZIP' AND agency = 'KI' ORDER BY name LIMIT 1"
                            ).fetchone()
    repo = _SeededRepository(store, ki[0] if ki else store.staff_id, random.Random(f"courses-ids/{seed}"), reference)
    svc = CourseService(CaseWork(repo))
    with repo.transaction():
        courses = _catalogue(svc, reference)
        listed = _waitlists(svc, repo, rng, reference)
        _seats(svc, rng, reference)
        handovers, accepted = _handovers(svc, repo, rng, reference)
        _feedback(svc, repo, rng, reference)
    out = dict(counts or {})
    out.update({"provider": len(PROVIDERS), "course": courses, "waitlist_entry": listed, "handover": handovers,
                "seat_offer": len(repo.find("seat_offer"))})
    out["rechtskreiswechsel"] = out.get("rechtskreiswechsel", 0) + accepted
    return out


def _catalogue(svc: CourseService, ref: _dt.date) -> int:
    ids = [svc.courses.save_provider({"name": n, "towns": t, "contact": c, "phone": p}) for n, t, c, p in PROVIDERS]
    for prov, kind, level, town, start, weeks, seats, schedule, childcare, title in COURSES:
        begin = ref + _dt.timedelta(days=start)
        begin -= _dt.timedelta(days=begin.weekday())  # courses start on a Monday
        svc.courses.save_course({
            "provider_id": ids[prov], "catalogue_id": kind, "level": level, "office": town, "title": title,
            "start_date": begin.isoformat(), "end_date": (begin + _dt.timedelta(weeks=weeks, days=-3)).isoformat(),
            "seats": seats, "schedule": schedule, "childcare": childcare, "accessible": town in ("AHL", "WAF", "BEC"),
            "modules": ["Sprachkurs", "Orientierungskurs"] if kind == "integrationskurs" else []})
    return len(COURSES)


def _waitlists(svc: CourseService, repo, rng: random.Random, ref: _dt.date) -> int:
    conn = repo.conn
    levels = german_levels(conn)
    country = {cid: v for cid, v in conn.execute(
        "SELECT r.case_id, a.value FROM answer a JOIN form_response r ON r.id = a.response_id"
        " WHERE r.form_id = 'intake' AND a.key = 'country_of_origin'")}
    office = dict(conn.execute('SELECT id, office FROM "case"').fetchall())
    n = 0
    rows = conn.execute("SELECT m.case_id, m.catalogue_id, m.status, coalesce(m.registered_on, m.proposed_on), c.status"
                        ' FROM measure m JOIN "case" c ON c.id = m.case_id WHERE coalesce(m.deleted, 0) = 0'
                        " AND m.status IN ('proposed', 'registered', 'waiting') ORDER BY 4, m.id").fetchall()
    for case_id, kind, status, since, case_status in rows:
        if kind not in LANGUAGE_LISTS or case_status == "closed":
            continue
        if status == "proposed" and _dt.date.fromisoformat(since) < ref - _dt.timedelta(days=42):
            continue  # an old proposal nobody acted on stays a proposal (the planning view counts it)
        german = levels.get(case_id) or "A1"
        level = {"alphakurs": "alpha", "deufoev": "B1" if german in ("A1", "A2", "B1") else "B2"}.get(
            kind, NEXT_LEVEL.get(german, "A1") if german != "A1" or rng.random() < 0.3 else "A1")
        if kind == "integrationskurs" and level == "B2":
            level = "B1"
        high = (country.get(case_id) or "").strip('"') in HIGH_PROSPECT
        obligated = kind == "integrationskurs" and high and rng.random() < 0.6
        day = min(_dt.date.fromisoformat(since), ref)
        try:
            svc.waitlist.register(case_id, kind, level, date=day.isoformat(), obligated=obligated,
                                  obligated_since=day.isoformat() if obligated else None,
                                  level_assessed=rng.random() < 0.5, childcare_needed=rng.random() < 0.2,
                                  towns=REACH.get(office.get(case_id) or ""))
        except ValidationError:  # already on that list (two measures of one kind)
            continue
        n += 1
    # people the profiling found to need a course who have no language measure yet
    have = {cid for (cid,) in conn.execute("SELECT DISTINCT case_id FROM measure WHERE coalesce(deleted, 0) = 0"
                                          " AND catalogue_id IN ('integrationskurs', 'alphakurs', 'deufoev')")}
    for cid, opened in conn.execute('SELECT id, opened FROM "case" WHERE status IN (\'active\', \'new\')'
                                    " AND coalesce(deleted, 0) = 0 ORDER BY case_number").fetchall():
        if cid in have or levels.get(cid) not in ("A1", "A2") or rng.random() < 0.4:
            continue
        day = max(_dt.date.fromisoformat(opened), ref - _dt.timedelta(days=rng.randint(5, 45)))
        try:
            svc.waitlist.register(cid, "integrationskurs", levels[cid], date=day.isoformat(),
                                  level_assessed=rng.random() < 0.5, childcare_needed=rng.random() < 0.2,
                                  towns=REACH.get(office.get(cid) or ""))
        except ValidationError:
            continue
        n += 1
    # after the integration course: job-related German (DeuFöV), where the lists are long
    done = conn.execute("SELECT m.case_id, m.end_date FROM measure m JOIN \"case\" c ON c.id = m.case_id"
                        " WHERE m.catalogue_id = 'integrationskurs' AND m.status = 'completed'"
                        " AND c.status IN ('active', 'new') AND coalesce(m.deleted, 0) = 0 ORDER BY m.end_date, m.id"
                        ).fetchall()
    deufoev = {cid for (cid,) in conn.execute("SELECT case_id FROM measure WHERE catalogue_id = 'deufoev'")}
    for cid, end in done:
        if cid in deufoev or rng.random() < 0.3:
            continue
        day = min(_dt.date.fromisoformat(end or ref.isoformat()) + _dt.timedelta(days=rng.randint(3, 30)), ref)
        try:
            svc.waitlist.register(cid, "deufoev", "B1", date=day.isoformat(), level_assessed=True,
                                  towns=REACH.get(office.get(cid) or ""))
        except ValidationError:
            continue
        n += 1
    return n


def _seats(svc: CourseService, rng: random.Random, ref: _dt.date) -> None:
    """Two runs of the hub a week apart, with the clients' answers in between."""
    first = ref - _dt.timedelta(days=9)
    svc.allocate(first)
    for o in sorted(svc.repo.find("seat_offer"), key=lambda o: o["id"]):
        roll = rng.random()
        if roll < 0.7:
            svc.waitlist.answer_offer(o["id"], True, (first + _dt.timedelta(days=rng.randint(1, 6))).isoformat())
        elif roll < 0.8:
            svc.waitlist.answer_offer(o["id"], False, (first + _dt.timedelta(days=2)).isoformat())
    svc.allocate(ref - _dt.timedelta(days=1))


def _feedback(svc: CourseService, repo, rng: random.Random, ref: _dt.date) -> None:
    """What the providers reported: certificates of finished integration courses, a few interruptions."""
    rows = repo.conn.execute(
        "SELECT m.id, m.status, m.start_date, m.end_date FROM measure m JOIN \"case\" c ON c.id = m.case_id"
        " WHERE m.catalogue_id IN ('integrationskurs', 'deufoev') AND m.status IN ('started', 'completed')"
        " AND c.status IN ('active', 'new') AND coalesce(m.deleted, 0) = 0 ORDER BY m.id").fetchall()
    for mid, status, start, end in rows:
        try:
            if status == "completed" and end and rng.random() < 0.8:
                day = min(_dt.date.fromisoformat(end) + _dt.timedelta(days=rng.randint(7, 28)), ref)
                svc.feedback.record(mid, "certificate", day.isoformat(), level=rng.choice(("A2", "B1", "B1", "B1")))
            elif status == "started" and start and rng.random() < 0.08:
                day = min(_dt.date.fromisoformat(start) + _dt.timedelta(days=rng.randint(20, 90)), ref)
                svc.feedback.record(mid, "interrupted", day.isoformat(), note="Fehlzeiten, Rückmeldung des Trägers")
        except ValidationError:
            continue


def _handovers(svc: CourseService, repo, rng: random.Random, ref: _dt.date) -> tuple[int, int]:
    """Handovers in every state; returns (made, accepted)."""
    cases = [cid for (cid,) in repo.conn.execute(
        "SELECT c.id FROM \"case\" c WHERE c.rechtskreis = 'AsylbLG' AND c.status IN ('active', 'new')"
        " AND coalesce(c.deleted, 0) = 0 ORDER BY c.case_number")]
    rng.shuffle(cases)
    made = accepted = 0
    for i, cid in enumerate(cases[:10]):
        expected = ref + _dt.timedelta(days=rng.randint(-10, 40))
        try:
            if not svc.casework.consent.allows(cid, "JC"):
                continue
            hid = svc.handovers.plan(cid, expected.isoformat(), reason="Anerkennung (§ 25 Abs. 2 AufenthG)")
            made += 1
            if i % 4 == 0:
                continue  # planned
            svc.handovers.send(hid, (ref - _dt.timedelta(days=6)).isoformat(), contact="Jobcenter Kreis Warendorf")
            if i % 4 == 1:
                svc.handovers.accept(hid, (ref - _dt.timedelta(days=2)).isoformat())
                accepted += 1
            elif i % 4 == 2:
                svc.handovers.return_(hid, "Bescheid des BAMF liegt noch nicht vor", (ref - _dt.timedelta(days=3)).isoformat())
        except ValidationError:
            continue
    return made, accepted
