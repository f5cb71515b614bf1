"""The case chronicle: dated events per case and per household, flags and free notes.

Every service records what it did here (intake, consent, profiling, measure
status, appointment outcome, Rechtskreiswechsel, conference); staff add free
notes and flags such as "Dublin case". Events are `event` entities, so adding
on two laptops never conflicts.

Events are language-free: what a service records is a `message` (a catalog
msgid with parameters, built with `message`, `plural`, `term`, `day`, `moment`,
`items` and `joined`), stored as JSON; `text` holds only the staff member's
own words (a note, or what they added to a system event). Both are rendered
where they are shown, in the reader's language (app.chronicle_text), so a
chronicle written in English reads in German for a German colleague.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from i18n import N_, _

from .checks import ValidationError, check_date, require
from .schema import RECHTSKREISE

KINDS = {
    "intake": N_("Intake"), "consent": N_("Consent"), "profiling": N_("Profiling"),
    "form": N_("Questionnaire"), "measure": N_("Measure"), "appointment": N_("Appointment"),
    "rechtskreis": N_("Rechtskreiswechsel"), "flag": N_("Flag"), "flag_cleared": N_("Flag removed"),
    "conference": N_("Case conference"), "goal": N_("Will and goals"), "resource": N_("Resource map"),
    "note": N_("Note"),
    "placement": N_("Employer offer"), "work_start": N_("Start of work"), "training_start": N_("Start of training"),
}
FLAGS = {
    "dublin": N_("Dublin case"),
    "vulnerable": N_("Particularly vulnerable"),
    "deportation": N_("Deportation pending"),
    "hardship": N_("Hardship case"),
}


# -- language-free texts (rendered by app.chronicle_text) -----------------------
Message = dict[str, Any]


def message(msgid: str, **params: Any) -> Message:
    """A catalog text with `{placeholders}`; each parameter is a literal (names, codes, staff's words) or one
    of the values below."""
    return {"id": msgid, "params": params} if params else {"id": msgid}


def plural(singular: str, plural_: str, n: int, **params: Any) -> Message:
    """A catalog text with plural forms (marked with `NN_`), the form chosen by `n` in the reader's language."""
    return {"id": singular, "plural": plural_, "n": n, "params": params}


def term(msgid: str) -> Message:
    """A catalog text without parameters (a status, a kind, an agency)."""
    return {"t": msgid}


def day(iso: str | None) -> Message:
    """A date, in the reader's format."""
    return {"date": iso or ""}


def moment(iso: str) -> Message:
    """A date and time of day (`YYYY-MM-DDTHH:MM`), in the reader's format."""
    return {"datetime": iso}


def items(values) -> Message:
    """A list, joined the reader's way (`a, b and c`)."""
    return {"list": list(values)}


def joined(*values: Any, sep: str = " ") -> Message:
    """Values one after another with a fixed separator (`Agency: provider`)."""
    return {"seq": list(values), "sep": sep}


def today_iso() -> str:
    return dt.date.today().isoformat()


def case_row(repo, case_id: str) -> dict:
    row = repo.get("case", case_id) if case_id else None
    if row is None or row.get("deleted"):
        raise ValidationError({"case_id": _("The case does not exist.")})
    return row


def creation_order(repo, ids: list[str], field: str) -> dict[str, str]:
    """The stamp of a never-changed field per id: the order in which entries were made."""
    stamps = repo.log.stamps([(i, field) for i in ids])
    return {i: stamps.get((i, field), "") for i in ids}


class Chronicle:
    def __init__(self, repo):
        self.repo = repo

    def record(self, case_id: str, kind: str, what: Message | str, date: str | None = None, *,
               note: str = "", flag: str | None = None, ref_entity: str | None = None,
               ref_id: str | None = None) -> str:
        """Add one event (joins the caller's transaction): `what` is a `message` (a system event) or the
        staff member's own words (a note); `note` is what staff added to a system event."""
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        if kind not in KINDS:
            errors["kind"] = _("Unknown kind of event.")
        check_date(errors, "date", date or today_iso(), required=True)
        if errors:
            raise ValidationError(errors)
        words = what if isinstance(what, str) else (note or "").strip()
        values = {"household_id": case["household_id"], "case_id": case_id, "date": date or today_iso(),
                  "kind": kind, "text": words or None, "message": None if isinstance(what, str) else what,
                  "flag": flag, "author": self.repo.staff_id, "ref_entity": ref_entity, "ref_id": ref_id}
        return self.repo.save("event", {k: v for k, v in values.items() if v is not None})

    def add_note(self, case_id: str, text: str, date: str | None = None) -> str:
        errors: dict[str, str] = {}
        require(errors, "text", (text or "").strip())
        check_date(errors, "date", date)
        if errors:
            raise ValidationError(errors)
        with self.repo.transaction():
            return self.record(case_id, "note", text.strip(), date)

    def set_flag(self, case_id: str, flag: str, date: str | None = None, text: str = "") -> str:
        errors: dict[str, str] = {}
        if flag not in FLAGS:
            errors["flag"] = _("Unknown flag.")
        check_date(errors, "date", date)
        if errors:
            raise ValidationError(errors)
        with self.repo.transaction():
            return self.record(case_id, "flag", term(FLAGS[flag]), date, note=text, flag=flag)

    def clear_flag(self, case_id: str, flag: str, date: str | None = None, text: str = "") -> str:
        if flag not in self.flags(case_id):
            raise ValidationError({"flag": _("This flag is not set.")})
        with self.repo.transaction():
            return self.record(case_id, "flag_cleared", term(FLAGS[flag]), date, note=text, flag=flag)

    def flags(self, case_id: str) -> list[str]:
        """Flags currently set on the case (set and not cleared since)."""
        state: dict[str, bool] = {}
        for e in self.events(case_id):
            if e["kind"] == "flag":
                state[e["flag"]] = True
            elif e["kind"] == "flag_cleared":
                state[e["flag"]] = False
        return sorted(f for f, on in state.items() if on)

    def change_rechtskreis(self, case_id: str, rechtskreis: str, date: str | None = None, text: str = "") -> str:
        """Record a Rechtskreiswechsel: the case's Rechtskreis changes and the chronicle says so."""
        case = case_row(self.repo, case_id)
        errors: dict[str, str] = {}
        if rechtskreis not in RECHTSKREISE:
            errors["rechtskreis"] = _("Please choose a Rechtskreis.")
        elif rechtskreis == case.get("rechtskreis"):
            errors["rechtskreis"] = _("The case is already in this Rechtskreis.")
        check_date(errors, "date", date)
        if errors:
            raise ValidationError(errors)
        msg = message(N_("Rechtskreiswechsel from {old} to {new}"), old=case.get("rechtskreis") or "–", new=rechtskreis)
        with self.repo.transaction():
            self.repo.save("case", {"rechtskreis": rechtskreis}, case_id)
            return self.record(case_id, "rechtskreis", msg, date, note=text, ref_entity="case", ref_id=case_id)

    def _sorted(self, rows: list[dict]) -> list[dict]:
        order = creation_order(self.repo, [r["id"] for r in rows], "kind")
        return sorted(rows, key=lambda r: (r.get("date") or "", order[r["id"]]))

    def events(self, case_id: str) -> list[dict[str, Any]]:
        """The case's events, oldest first (same day: in the order they were recorded)."""
        return self._sorted(self.repo.find("event", case_id=case_id))

    def household_events(self, household_id: str) -> list[dict[str, Any]]:
        """All events of all cases of a household, oldest first."""
        return self._sorted(self.repo.find("event", household_id=household_id))
