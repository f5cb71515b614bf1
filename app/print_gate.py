"""Printed documents through the access check: the level each document needs, and health left out.

The appointment slip and the consent declaration (to be signed) need only what a
booking needs; the profiling summary, resource map, seat offer and handover sheet need the case in
full and the `print` permission; the Art. 15 export needs the case in full and the
`export` permission. Without the health permission, answers marked sensitive are left
out of every document. Each print, and each refusal, is an audit entry.
"""

from __future__ import annotations

import dataclasses

from .access import BOOKING, FULL, Access, AccessDenied

NEEDS = {"slip": BOOKING, "consent": BOOKING, "profiling": FULL, "resources": FULL, "handover": FULL,
         "offer": FULL, "export": FULL}


def render(access: Access, repo, document: str, case_number: str, lang: str, **options) -> bytes:
    from . import documents  # reportlab and fonts load only when something is printed

    data = documents.load_case(repo, case_number)  # CaseNotFound when there is none
    action = f"print:{document}"
    permission = "export" if document == "export" else "print"
    if not access.may(permission) and not (document in ("slip", "consent") and access.may("appointments")):
        access.log(action, data.case["id"], case_number, "refused")
        raise AccessDenied(_role_refusal(access))
    decision = access.require(data.case["id"], action, NEEDS.get(document, FULL), case_number)
    if not decision.health:
        sensitive = {f.key for r in data.responses if r.form for f in r.form.fields() if f.sensitive}
        data.responses = [dataclasses.replace(r, answers={k: v for k, v in r.answers.items() if k not in sensitive})
                          for r in data.responses]
    return documents.render_data(document, data, lang, **options)


def _role_refusal(access: Access) -> str:
    from i18n import _

    return _("Your role ({role}) may not print this document.").format(role=_(access.actor.role.label))


__all__ = ["render", "NEEDS", "AccessDenied"]
