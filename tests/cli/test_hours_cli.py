"""`sprechstunde hours`, `book`, `today`, `ics` and `print daylist|weekplan|interpreters|slip` as scripts call them:
bad input is one line, exit code 1 and nothing written."""

import datetime as dt
import json
import re

from icalendar import Calendar
from pypdf import PdfReader

from app.schedule import holiday_name
from tests.cli.test_print_i18n_cli import run


def _next(weekday: int, weeks: int = 2) -> dt.date:
    day = dt.date.today() + dt.timedelta(days=7 * weeks)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    while holiday_name(day):
        day += dt.timedelta(days=7)
    return day


def _changes(store_dir):
    from tests.conftest import PASSPHRASE
    from app.store import Store

    s = Store.open(store_dir, PASSPHRASE)
    try:
        return s.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    finally:
        s.close()


def test_book_today_hours_ics_and_the_hours_documents(store, repo, store_dir, tmp_path):
    from app.documents.sample import make_case

    number = make_case(repo, events=2)
    store.close()
    tue = _next(1)
    st = ["--store", str(store_dir)]
    r = run("book", *st, "--case", number, "--office", "TEL", "--at", f"{tue} 09:20", "--agency", "JC",
            "--interpreter", "ar", "--purpose", "Profiling", "--json")
    assert r.returncode == 0, r.stderr
    booked = json.loads(r.stdout)
    assert (booked["starts_at"], booked["desk"], booked["agency"]) == (f"{tue}T09:20", 2, "JC")
    before = _changes(store_dir)
    bad = [
        (["--office", "TEL", "--at", f"{tue} 09:20", "--agency", "JC"], "JC"),  # the desk is taken
        (["--office", "TEL", "--at", "2020-01-07 09:00"], "Vergangenheit"),
        (["--office", "TEL", "--at", f"{_next(2)} 09:00"], "keine Sprechstunde"),  # Wednesday in Telgte
        (["--office", "TEL", "--at", f"{tue} 13:00"], "keine Sprechstunde"),
        (["--office", "XYZ", "--at", f"{tue} 09:00"], "XYZ"),
        (["--office", "TEL", "--at", "morgen"], "JJJJ-MM-TT"),
    ]
    holiday = next(d for d in (dt.date.today() + dt.timedelta(days=i) for i in range(1, 400)) if holiday_name(d))
    bad.append((["--office", "TEL", "--at", f"{holiday} 09:00"], "Feiertag"))
    for extra, expected in bad:
        r = run("book", *st, "--case", number, *extra)
        assert r.returncode == 1 and expected in r.stderr, (extra, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1
    r = run("book", *st, "--case", "NOPE-1", "--office", "TEL", "--at", f"{tue} 09:00")
    assert r.returncode == 1 and "NOPE-1" in r.stderr
    assert _changes(store_dir) == before

    r = run("today", *st, "--office", "TEL", "--date", str(tue), "--json")
    assert r.returncode == 0, r.stderr
    day = json.loads(r.stdout)
    assert [b["case_number"] for b in day["bookings"]] == [number] and day["interpreters"] == {"ar": ["09:20"]}
    r = run("hours", *st, "--office", "TEL", "--from", str(tue), "--to", str(tue), "--json")
    slots = json.loads(r.stdout)["slots"]
    assert len(slots) == 9 and slots[1]["free"] == 2 and slots[1]["desks"][1]["booked"] is True
    assert run("hours", *st, "--office", "NIX").returncode == 1

    ics = tmp_path / "tel.ics"
    r = run("ics", *st, "--office", "TEL", "--out", str(ics))
    assert r.returncode == 0, r.stderr
    cal = Calendar.from_ical(ics.read_bytes())
    assert cal.walk("VEVENT") and number not in ics.read_text()

    for doc in ("daylist", "weekplan", "interpreters", "slips"):
        out = tmp_path / f"{doc}.pdf"
        r = run("print", doc, *st, "--office", "TEL", "--date", str(tue), "--out", str(out))
        assert r.returncode == 0 and out.read_bytes().startswith(b"%PDF"), r.stderr
    slips = " ".join(page.extract_text() for page in PdfReader(tmp_path / "slips.pdf").pages)
    assert len(PdfReader(tmp_path / "slips.pdf").pages) == 1 and "Baßfeld" in slips and "09:20" in slips
    out = tmp_path / "slip.pdf"
    r = run("print", "slip", *st, "--case", number, "--out", str(out))
    assert r.returncode == 0 and out.exists(), r.stderr
    r = run("print", "daylist", *st, "--date", str(tue), "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 1 and not (tmp_path / "x.pdf").exists()


def test_a_role_that_may_not_print_gets_one_line_for_a_slip_and_the_day_list(store, repo, store_dir, tmp_path,
                                                                             monkeypatch):
    from app.documents.sample import make_case
    from tests.conftest import PASSPHRASE

    number = make_case(repo, events=2)
    store.add_member("dolmetsch", PASSPHRASE, "Dara Dolmetsch", "KI", "interpreter")
    store.close()
    tue = _next(1)
    st = ["--store", str(store_dir)]
    assert run("book", *st, "--case", number, "--office", "TEL", "--at", f"{tue} 09:20").returncode == 0
    monkeypatch.setenv("SPRECHSTUNDE_LOGIN", "dolmetsch")
    for args in (("slip", "--case", number), ("daylist", "--office", "TEL", "--date", str(tue))):
        out = tmp_path / f"{args[0]}.pdf"
        r = run("print", args[0], *st, *args[1:], "--out", str(out))
        assert r.returncode == 1 and not out.exists(), r.stderr
        assert r.stderr.strip() == "sprechstunde: Ihre Rolle (Dolmetschung) darf dieses Dokument nicht drucken."


def test_today_lists_walk_ins_waiting_and_seen(store, repo, store_dir):
    from app.booking import Booking
    from app.documents.sample import make_case

    booking = Booking(repo)
    waiting, seen = make_case(repo, events=0), make_case(repo, events=0)
    ids = {n: repo.find("case", case_number=n)[0]["id"] for n in (waiting, seen)}
    booking.walk_in(ids[waiting], "TEL", agency="JC", purpose="Brief vom Amt")
    booking.set_status(booking.walk_in(ids[seen], "TEL", agency="SOZ"), "kept")
    store.close()
    r = run("today", "--store", str(store_dir), "--office", "TEL")
    assert r.returncode == 0, r.stderr
    lines = {n: next(line for line in r.stdout.splitlines() if n in line) for n in (waiting, seen)}
    assert lines[waiting].startswith("ohne Termin") and re.search(r", wartet \d+ Min\.$", lines[waiting])
    assert lines[seen].endswith(", wahrgenommen") and "wartet" not in lines[seen]


def test_book_a_longer_appointment_and_reschedule_it_by_case_or_booking(store, repo, store_dir):
    from app.documents.sample import make_case

    number, other = make_case(repo, events=0), make_case(repo, events=0)
    store.close()
    tue, thu = _next(1), _next(3)
    st = ["--store", str(store_dir)]
    r = run("book", *st, "--case", number, "--office", "TEL", "--at", f"{tue} 09:00", "--agency", "JC",
            "--slots", "2", "--json")
    assert r.returncode == 0, r.stderr
    booked = json.loads(r.stdout)
    assert (booked["starts_at"], booked["ends_at"], booked["desk"]) == (f"{tue}T09:00", f"{tue}T09:40", 2)
    r = run("today", *st, "--office", "TEL", "--date", str(tue))
    assert f"09:00–09:40 2:JC {number}" in r.stdout, r.stdout
    before = _changes(store_dir)
    bad = [  # the JC desk is busy until 09:40; the hour ends at 12:00; eight slots at most; not a number
        ("book", "--case", other, "--office", "TEL", "--at", f"{tue} 09:20", "--agency", "JC"),
        ("book", "--case", other, "--office", "TEL", "--at", f"{tue} 08:40", "--agency", "JC", "--slots", "2"),
        ("book", "--case", other, "--office", "TEL", "--at", f"{tue} 11:20", "--slots", "3"),
        ("book", "--case", other, "--office", "TEL", "--at", f"{tue} 09:00", "--slots", "9"),
        ("book", "--case", other, "--office", "TEL", "--at", f"{tue} 09:00", "--slots", "zwei"),
        ("reschedule", "--case", number, "--at", "2020-01-07 09:00"),
        ("reschedule", "--case", number, "--at", f"{_next(2)} 09:00"),
        ("reschedule", "--case", other, "--at", f"{thu} 09:00"),  # no booking
        ("reschedule", "--booking", "nope", "--at", f"{thu} 09:00"),
        ("reschedule", "--case", number, "--at", f"{thu} 09:00", "--office", "XYZ"),
    ]
    expected = ["JC", "keine Sprechstunde", "12:00", "ein bis acht", "--slots", "Vergangenheit", "keine Sprechstunde",
                other, "nope", "XYZ"]
    for args, word in zip(bad, expected, strict=True):
        r = run(*args[:1], *st, *args[1:])
        assert r.returncode == 1 and word in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert _changes(store_dir) == before

    r = run("reschedule", *st, "--case", number, "--at", f"{thu} 10:00", "--json")
    assert r.returncode == 0, r.stderr
    moved = json.loads(r.stdout)
    assert (moved["rescheduled"], moved["from"]) == (booked["appointment_id"], f"{tue}T09:00")
    assert (moved["starts_at"], moved["ends_at"], moved["agency"]) == (f"{thu}T10:00", f"{thu}T10:40", "JC")
    r = run("reschedule", *st, "--booking", moved["appointment_id"], "--at", f"{thu} 11:00")
    assert r.returncode == 0 and r.stdout.startswith(f"verlegt: {number} von {thu} 10:00 auf {thu} 11:00"), r.stdout
    r = run("today", *st, "--office", "TEL", "--date", str(tue), "--json")
    assert json.loads(r.stdout)["bookings"] == []  # the old booking is rescheduled: it no longer holds the desk


def test_book_into_a_cancelled_office_hour_says_why_and_today_shows_the_note(store, repo, store_dir):
    from app import offices
    from app.documents.sample import make_case
    from i18n import locale as loc

    number = make_case(repo, events=0)
    tue = _next(1)
    offices.save_change(repo, {"office": "TEL", "date": str(tue), "kind": "cancelled", "template_id": "hours:TEL-1",
                               "note": "Fortbildung"})
    store.close()
    st = ["--store", str(store_dir)]
    before = _changes(store_dir)
    r = run("book", *st, "--case", number, "--office", "TEL", "--at", f"{tue} 09:00")
    assert r.returncode == 1 and r.stderr.strip() == (
        f"sprechstunde: Die Sprechstunde in Telgte am {loc.format_date(tue, 'de', 'medium')} fällt aus: Fortbildung")
    assert _changes(store_dir) == before
    r = run("today", *st, "--office", "TEL", "--date", str(tue))
    assert r.stdout.splitlines()[0].endswith("fällt aus: Fortbildung"), r.stdout
    r = run("today", *st, "--office", "TEL", "--date", str(tue), "--json")
    assert json.loads(r.stdout)["cancelled"][0]["note"] == "Fortbildung"
