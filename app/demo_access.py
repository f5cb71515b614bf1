"""Staff roles in the demo: varied agencies and roles, and logins that show the consent check at work.

The demo's staff records get a role that fits their agency (app.demo.make_staff);
`add_logins` lets three more fictional staff members unlock the demo store with the
demo passphrase: a job-centre case manager (sees a case in full only where the client
consented to the Jobcenter, the restricted view elsewhere), an interpreter (questions
only) and the data-protection officer (the audit trail, no case data).
"""

from __future__ import annotations

ROLE_BY_AGENCY = {"SOZ": "saf", "JC": "pap", "AA": "ifk", "ABH": "intake", "KI": "intake"}
CENTRAL_ROLES = ("central", "dpo")
LOGINS = (  # login, name, agency, role
    ("demo.jc", "Jana Krüger (Jobcenter)", "JC", "pap"),
    ("demo.dolmetsch", "Samir Haddad (Dolmetscher)", "KI", "interpreter"),
    ("demo.dsb", "Dr. Ute Brandt (Datenschutz)", "KI", "dpo"),
)


def demo_role(office: str, agency: str, index: int) -> str:
    """The role of the index-th demo staff member (of the central office ZIP, or of a town's office)."""
    if office == "ZIP":
        return CENTRAL_ROLES[index % len(CENTRAL_ROLES)]
    return ROLE_BY_AGENCY.get(agency, "intake")


def add_logins(store, passphrase: str) -> None:
    """Let the staff members of LOGINS unlock the demo store (a login that exists already is left alone)."""
    from .store import StoreError

    for login, name, agency, role in LOGINS:
        try:
            store.add_member(login, passphrase, name, agency, role)
        except StoreError:  # the login exists already (the demo store filled twice)
            continue
