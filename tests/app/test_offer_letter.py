"""The seat offer letter: the course seat the hub holds for a client, told in German and the client's language."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from tests.app.course_kit import course, person, service

D = dt.date


def _text(pdf: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture
def offered(repo):
    """Amir holds an offer for a seat in a course with childcare, held until 09.03.2026."""
    svc = service(repo)
    case_id = person(repo, "Amir")
    svc.waitlist.register(case_id, "integrationskurs", "A1", date="2026-02-01", obligated=True)
    pid = svc.courses.save_provider({"name": "VHS Ahlen", "towns": ["AHL"], "phone": "02382 59-0"})
    course(svc, 1, "2026-04-01", title="Integrationskurs Ahlen", childcare=True, provider=pid, end="2026-09-30")
    svc.allocate(D(2026, 3, 2))
    return svc, repo.get("case", case_id)["case_number"]


def test_the_offer_names_course_provider_dates_and_deadline_in_both_languages(repo, offered):
    from app.documents import render

    _svc, number = offered
    de = _text(render(repo, "offer", number, "uk"))
    assert "Platzangebot" in de and "Integrationskurs Ahlen A1" in de and "VHS Ahlen, 02382 59-0" in de
    assert "Kinderbetreuung" in de and "Montag, 9. März 2026" in de  # the deadline in German
    assert "Пропозиція місця на курсі" in de and "9 березня 2026" in de  # ... and in Ukrainian
    assert "1 квітня 2026" in de  # the first day in the client's language
    assert "Warteliste" in de and "списку очікування" in de


def test_an_answered_offer_is_not_printed_again(repo, offered):
    from app.documents import render

    svc, number = offered
    (o,) = repo.find("seat_offer")
    svc.waitlist.answer_offer(o["id"], accept=True, date="2026-03-03")
    text = _text(render(repo, "offer", number, "tr"))
    assert "Derzeit wird Ihnen kein Kursplatz angeboten." in text and "Integrationskurs Ahlen" not in text
    assert "Şu anda size sunulan bir kurs yeri yok." in text

