"""The parts of the Art. 15 answer beyond the data itself: purposes, recipients and handovers,
retention periods, source, who accessed the data, the rights and the controller's contact.

Everything is bilingual (German and the client's language) like the rest of the export
(app.documents.records.export). The retention periods come from resources/retention.json
(app.retention), the contacts from resources/controller.json, the accesses and handovers from
the access log (app.audit), as loaded into CaseData by app.documents.data.load_case.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from i18n import D_
from i18n import locale as loc

from .. import retention
from .data import AGENCY_FOR_RECHTSKREIS
from .layout import SMALL, Page

CONTROLLER_PATH = Path(__file__).resolve().parent.parent.parent / "resources" / "controller.json"
DOCUMENT_NAMES = {
    "consent": D_("Consent declaration"), "profiling": D_("Profiling summary"), "resources": D_("Resource map"),
    "slip": D_("Appointment"), "handover": D_("Handover sheet (change of Rechtskreis)"),
    "export": D_("Information about your stored data (Art. 15 GDPR)"),
}
RETENTION_TEXT = {
    "case_closed": D_("Case data: kept for {n} months after the case was closed, then deleted; "
                      "only anonymous counts remain."),
    "case_no_contact": D_("Case data without contact: kept for {n} months after the last contact, then deleted."),
    "appointment_past": D_("Appointments: kept for {n} months after the appointment, then deleted."),
}


@lru_cache(maxsize=1)
def controller() -> dict:
    try:
        return json.loads(CONTROLLER_PATH.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _months(period: dict) -> int:
    return 12 * int(period.get("years", 0)) + int(period.get("months", 0)) + round(
        (7 * int(period.get("weeks", 0)) + int(period.get("days", 0))) / 30)


def _when(p: Page, at: str | None) -> tuple[str, str]:
    return loc.format_datetime(at, "de", "short"), loc.format_datetime(at, p.lang, "short")


def purposes(p: Page) -> None:
    p.heading(D_("Purposes of the processing"))
    p.bi(D_("Purpose: advice and placement into language courses, training and work. "
            "Legal basis: SGB II, SGB III, AsylbLG, SGB X and your consent."), size=SMALL)


def handovers(p: Page, data, names: dict[str, tuple[str, str]]) -> None:
    """Recipients beyond the consents: every handover sheet printed for this case, with its date."""
    p.heading(D_("Recipients: handovers made"))
    made = [a for a in data.accesses if (a.get("action") or "").startswith("print:handover")]
    if not made:
        p.bi(D_("No data has been handed over to another agency."), size=SMALL)
    for a in made:
        agency = (a["action"].split(":") + [""])[2] or AGENCY_FOR_RECHTSKREIS.get(
            data.case.get("rechtskreis") or "", "JC")  # printed for the default recipient
        n_de, n_tr = names.get(agency, (agency, agency))
        w_de, w_tr = _when(p, a.get("at"))
        p.pair([f"{w_de}: {n_de}".rstrip(": "), f"{w_tr}: {n_tr}".rstrip(": ")], gap=1)


def retention_periods(p: Page, tr) -> None:
    p.heading(D_("How long your data is kept"))
    for rule in retention.rules_on(retention.load_rules(), dt.date.today()):
        msgid = RETENTION_TEXT.get(rule.id)
        if msgid:
            n = _months(rule.period)
            de, t = tr(msgid)
            p.pair([de.format(n=n), t.format(n=loc.format_number(n, p.lang))], size=SMALL, gap=1)


def source(p: Page) -> None:
    p.heading(D_("Source of the data"))
    p.bi(D_("You gave the data yourself in conversations at the Integration Point, or it was taken from "
            "documents you showed; staff of the agencies named above recorded it."), size=SMALL)


def access_log(p: Page, data, tr) -> None:
    p.heading(D_("Who accessed your data"))
    if not data.accesses:
        p.bi(D_("No access has been recorded."), size=SMALL)
    for a in data.accesses:
        action = a.get("action") or ""
        if action.startswith("print:"):
            doc_de, doc_tr = tr(DOCUMENT_NAMES.get(action.split(":")[1], D_("document")))
            act_de, act_tr = tr(D_("printed"))
            act_de, act_tr = f"{act_de}: {doc_de}", f"{act_tr}: {doc_tr}"
        else:
            act_de, act_tr = tr(D_("viewed"))
        who = data.staff.get(a.get("staff_id") or "", "")
        w_de, w_tr = _when(p, a.get("at"))
        p.pair([f"{w_de}  {who}  {act_de}", f"{w_tr}  {who}  {act_tr}"], size=SMALL, gap=0.5)


def rights(p: Page) -> None:
    p.heading(D_("Your rights"))
    p.bi(D_("You have the right to have wrong data corrected (Art. 16 GDPR), to have your data erased "
            "(Art. 17), to restrict its processing (Art. 18) and to object to it (Art. 21). You can withdraw "
            "a consent at any time; it then no longer applies from that day."), size=SMALL)
    p.bi(D_("You can complain to the supervisory authority:"), size=SMALL)
    for line in controller().get("authority", []):
        p.raw(line, size=SMALL)


def contact(p: Page) -> None:
    p.heading(D_("Controller"))
    for line in controller().get("controller", []):
        p.raw(line, size=SMALL)
    p.bi(D_("Data protection officer"), size=SMALL, bold=True)
    for line in controller().get("data_protection_officer", []):
        p.raw(line, size=SMALL)
