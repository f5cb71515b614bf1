"""Small fixtures for the course tests: people with cases, a provider and courses, through the services."""

import datetime as dt

from app.course_service import CourseService
from app.casework import CaseWork
from app.households import save_household

D = dt.date
DEFAULT_DAY = D(2026, 1, 5)


def person(repo, given: str, office: str = "AHL", family: str = "Haddad", today: D = DEFAULT_DAY,
           rechtskreis: str = "AsylbLG") -> str:
    """One household with one adult and an open case; returns the case id."""
    res = save_household(repo, {"office": office}, [{"relation": "head", "family_name": family, "given_names": given,
                                                     "birth_date": "1990-01-01", "sex": "m",
                                                     "case": {"rechtskreis": rechtskreis}}], today=today)
    assert res.ok, res.errors
    return repo.find("case", person_id=res.person_ids[0])[0]["id"]


def service(repo) -> CourseService:
    return CourseService(CaseWork(repo))


def course(svc: CourseService, seats: int, start: str, office: str = "AHL", kind: str = "integrationskurs",
           level: str = "A1", title: str = "", childcare: bool = False, provider: str | None = None, end: str | None = None) -> str:
    pid = provider or svc.courses.save_provider({"name": "VHS Ahlen", "towns": ["AHL"]})
    return svc.courses.save_course({"provider_id": pid, "catalogue_id": kind, "level": level, "office": office,
                                    "start_date": start, "end_date": end or max(start, "2026-12-18"), "seats": seats,
                                    "title": title or f"{kind} {level} {office}", "childcare": childcare})
