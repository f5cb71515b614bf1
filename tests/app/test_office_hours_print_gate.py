"""Office-hour slips and the day list pass the consent and role gate like the case documents: a slip holds only
booking data, so staff without the client's consent print it (audited under the case); the day list and the day
view leave out due items and open measures of cases not shown in full; roles that may not print are refused
and the refusal is in the hash-chained audit trail; the offline lease locks printing too."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from app import audit
from app.access import AccessDenied
from app.casework import CaseWork
from app.lease import K_DEVICE, K_LAST, LeaseExpired
from app.repository import Repository
from app.session import Session
from app.store import Store
from tests.app.test_office_hours import MONDAY, _case
from tests.conftest import PASSPHRASE

TUESDAY = dt.date(2027, 5, 4)


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def world(tmp_path):
    """Two bookings on Tuesday in Telgte, made by Anna (administrator of the KI, who opened both cases); case
    A has an open measure. Members: an intake worker of the Jobcenter (no consent from either client) and an
    interpreter."""
    path = tmp_path / "store"
    store, _recovery = Store.create(path, PASSPHRASE, login="anna", name="Anna Admin")
    store.add_member("jc.intake", PASSPHRASE, "Ida Intake", "JC", "intake")
    store.add_member("dolmetsch", PASSPHRASE, "Dara Dolmetsch", "KI", "interpreter")
    repo = Repository(store, today=MONDAY.date())
    a, b = _case(repo), _case(repo, "Tesfay", "Yonas", interpreter="ti")
    cw = CaseWork(repo)
    item = cw.catalogue.by_phase()[0][1][0]
    cw.measures.add(a, item.id, status="waiting", date="2027-04-01")
    session = Session(path)
    session.attach(store)
    hours = session.hours
    hours.booking.clock = lambda: MONDAY
    hours.booking.book(a, "TEL", "2027-05-04T09:00", agency="JC", interpreter="ar", purpose="Profiling",
                       bring=["Pass"])
    hours.booking.book(b, "TEL", "2027-05-04T09:20", agency="JC", purpose="Antrag")
    session.lock()
    opened = []

    def open_as(login: str) -> Session:
        s = Session(path)
        s.unlock(PASSPHRASE, login)
        s.hours.booking.clock = lambda: MONDAY
        opened.append(s)
        return s

    yield open_as, a, b, cw.catalogue.name(item.id)
    for s in opened:
        s.lock()


def _trail(session, since: int = 0) -> list[tuple]:
    return [(e["action"], e["case_number"], e["outcome"], e["role"]) for e in audit.entries(session._repo.conn)
            if e["n"] > since]


def _head(session) -> int:
    rows = audit.entries(session._repo.conn)
    return rows[-1]["n"] if rows else 0


def test_a_slip_needs_only_the_booking_level_and_is_audited_under_its_case(world):
    open_as, a, _b, measure = world
    session = open_as("jc.intake")
    assert session.access.decide(a).level == "own"  # no consent for the Jobcenter: the booking and its own records
    mark = _head(session)
    pdf = session.hours.case_slip("TEL-27-HADD")
    text = _text(pdf)
    assert "Baßfeld 4-6, 48291 Telgte" in text and "Amal Haddad" in text and "Pass" in text
    assert measure not in text
    assert _trail(session, mark) == [("print:slip", "TEL-27-HADD", "ok", "intake")]
    assert audit.verify_chain(audit.entries(session._repo.conn)) == []

    mark = _head(session)
    batch = session.hours.render("slips", "TEL", TUESDAY)
    assert len(PdfReader(io.BytesIO(batch)).pages) == 2
    assert _trail(session, mark) == [("print:slip", "TEL-27-HADD", "ok", "intake"),
                                     ("print:slip", "TEL-27-TESF", "ok", "intake"),
                                     ("print:slips office:TEL 2027-05-04", None, "ok", "intake")]


def test_the_day_list_and_the_day_view_leave_out_what_the_consent_does_not_cover(world):
    open_as, a, _b, measure = world
    full = open_as("anna")
    row = next(r for r in full.hours.day("TEL", TUESDAY).booked if r.case_id == a)
    assert row.measures and measure in _text(full.hours.render("daylist", "TEL", TUESDAY))
    full.lock()

    session = open_as("jc.intake")
    row = next(r for r in session.hours.day("TEL", TUESDAY).booked if r.case_id == a)
    assert (row.name, row.purpose, row.interpreter, row.bring) == ("Amal Haddad", "Profiling", "ar", ["Pass"])
    assert row.due == [] and row.measures == []
    assert session.hours.bring_suggestions(a, TUESDAY) == [
        "Ausweisdokument (Pass, Aufenthaltstitel)", "Post seit dem letzten Besuch"]
    mark = _head(session)
    text = _text(session.hours.render("daylist", "TEL", TUESDAY))
    assert "Amal Haddad" in text and "Yonas Tesfay" in text and measure not in text
    assert _trail(session, mark) == [("print:daylist", "TEL-27-HADD", "restricted", "intake"),
                                     ("print:daylist", "TEL-27-TESF", "restricted", "intake"),
                                     ("print:daylist office:TEL 2027-05-04", None, "ok", "intake")]

    # the client consents to the Jobcenter: the due items and measures are there at once
    session.casework().consent.record_declaration(a, {"aa": "refused", "jc": "given", "soz": "refused",
                                                      "signed_on": dt.date.today().isoformat()})
    row = next(r for r in session.hours.day("TEL", TUESDAY).booked if r.case_id == a)
    assert row.measures and row.measures[0].startswith(measure)


def test_a_role_that_may_not_print_is_refused_and_the_refusal_is_logged(world):
    open_as, a, _b, _measure = world
    session = open_as("dolmetsch")
    mark = _head(session)
    for attempt in (lambda: session.hours.case_slip("TEL-27-HADD"),
                    lambda: session.hours.render("slips", "TEL", TUESDAY),
                    lambda: session.hours.render("daylist", "TEL", TUESDAY)):
        with pytest.raises(AccessDenied) as err:
            attempt()
        assert str(err.value) == "Ihre Rolle (Dolmetschung) darf dieses Dokument nicht drucken."
    assert _trail(session, mark) == [("print:slip", None, "refused", "interpreter"),
                                     ("print:slips", None, "refused", "interpreter"),
                                     ("print:daylist", None, "refused", "interpreter")]
    # on screen a booking stays a taken desk, without the client
    row = next(r for r in session.hours.day("TEL", TUESDAY).booked if r.case_id == a)
    assert (row.name, row.case_number, row.purpose, row.bring, row.measures) == ("", "", "", [], [])


def test_the_offline_lease_locks_office_hour_prints(world):
    open_as, _a, _b, _measure = world
    session = open_as("anna")
    with session._repo.transaction():
        session.store.set_meta(K_DEVICE, "laptop-telgte")
        session.store.set_meta(K_LAST, "2027-01-01T08:00:00+0100")
    session.lease_today = dt.date(2027, 5, 3)
    with pytest.raises(LeaseExpired):
        session.hours.render("daylist", "TEL", TUESDAY)
    with pytest.raises(LeaseExpired):
        session.hours.case_slip("TEL-27-HADD")
