"""Printed documents through the access check: the level each document needs, and health left out.

The appointment slip and the consent declaration (to be signed) need only what a
booking needs; the profiling summary, resource map and seat offer need the `print`
permission and print, at level `own` (no consent for the staff member's agency), only the
records staff of that agency made, with a sentence saying why the rest is missing; the
handover sheet (it passes the whole case on) needs the case in full and `print`; the
Art. 15 export (it must be complete) needs the case in full and the `export` permission.
Without the health permission, answers marked sensitive are left out of every document.
Each print (outcome `ok`, or `restricted` at `own`), and each refusal, is an audit entry.
"""

from __future__ import annotations

import dataclasses

from .access import BOOKING, FULL, OWN, Access, AccessDenied, Decision

NEEDS = {"slip": BOOKING, "consent": BOOKING, "profiling": OWN, "resources": OWN, "handover": FULL,
         "offer": OWN, "export": FULL}
OWN_RECORDS = {"profiling", "resources", "offer"}  # printed at OWN with the agency's own records only


def render(access: Access, repo, document: str, case_number: str, lang: str, **options) -> bytes:
    from . import documents  # reportlab and fonts load only when something is printed

    data = documents.load_case(repo, case_number)  # CaseNotFound when there is none
    action = f"print:{document}"
    permission = "export" if document == "export" else "print"
    if not access.may(permission) and not (document in ("slip", "consent") and access.may("appointments")):
        access.log(action, data.case["id"], case_number, "refused")
        raise AccessDenied(_role_refusal(access))
    decision = access.decide(data.case["id"])
    if decision.level == OWN and document in OWN_RECORDS:
        access.log(action, data.case["id"], case_number, "restricted")
        _own_only(access, repo, data)
    else:
        decision = access.require(data.case["id"], action, NEEDS.get(document, FULL), case_number)
    if not decision.health:
        sensitive = {f.key for r in data.responses if r.form for f in r.form.fields() if f.sensitive}
        data.responses = [dataclasses.replace(r, answers={k: v for k, v in r.answers.items() if k not in sensitive})
                          for r in data.responses]
    return documents.render_data(document, data, lang, **options)


def _own_only(access: Access, repo, data) -> None:
    """Keep in `data` only the records staff of the actor's agency made (seat offers follow their waiting-list
    entry), and note for the document whose they are."""
    entries = repo.find("waitlist_entry", case_id=data.case["id"])
    lists = (data.resources, data.goals, data.measures, data.conferences, data.events, entries)
    own = access.own_records([r.row["id"] for r in data.responses] + [x["id"] for rows in lists for x in rows])
    data.responses = [r for r in data.responses if r.row["id"] in own]
    data.resources = [x for x in data.resources if x["id"] in own]
    data.goals = [x for x in data.goals if x["id"] in own]
    data.measures = [x for x in data.measures if x["id"] in own]
    data.conferences = [x for x in data.conferences if x["id"] in own]
    data.events = [x for x in data.events if x["id"] in own]
    data.offers = [o for o in data.offers if o.get("entry_id") in own]
    data.withheld_for = access.actor.agency or ""


def _role_refusal(access: Access) -> str:
    from i18n import _

    return _("Your role ({role}) may not print this document.").format(role=_(access.actor.role.label))


__all__ = ["render", "NEEDS", "OWN_RECORDS", "AccessDenied", "Decision"]
