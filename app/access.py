"""The one place that decides what the staff member who unlocked may see of a case, and logs it.

A staff member of agency X sees a case's integration-relevant data (intake answers,
profiling, resource map, will and strategy, measures, chronicle) only while the
client's latest consent decision for X is "given", or when X opened the case itself
(its first change was written by staff of X); answers marked sensitive (health) also
need a role that may read them (resources/roles.json, app.roles). Otherwise the case
shows only what is needed to book and hold an appointment (`booking`), with a sentence
saying why; the interpreter role and roles without case data see nothing of the case
(`none`). The decision is read from the consent records each time, so a withdrawal
takes effect at once, and on other laptops as soon as the withdrawal arrives by sync.

`Access` sits behind the Session (GUI and command line alike); every view, print,
export and refusal it is asked about becomes an entry of the audit trail (app.audit).
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import _

from . import audit
from .consent import agency_label
from .roles import Role, RoleTable, default_table

FULL, BOOKING, NONE = "full", "booking", "none"
_RANK = {NONE: 0, BOOKING: 1, FULL: 2}


class AccessDenied(Exception):
    """A refusal; the message is one translated sentence for the user."""


@dataclass(frozen=True)
class Actor:
    staff_id: str | None
    name: str
    agency: str | None  # None: opened with the recovery key
    role: Role

    def who(self) -> audit.Who:
        return audit.Who(self.staff_id, self.role.code, self.agency)


@dataclass(frozen=True)
class Decision:
    case_id: str
    level: str  # FULL, BOOKING or NONE
    health: bool  # sensitive answers may be shown
    reason: str  # why not more is shown ("" at FULL)

    def allows(self, level: str) -> bool:
        return _RANK[self.level] >= _RANK[level]


def consent_states(conn, agency: str, case_id: str | None = None) -> dict[str, tuple[str, str]]:
    """The latest consent decision for `agency` per case: case id -> (state, date).

    Latest = by date, then by order of recording (the state field's stamp), like app.consent."""
    sql = ("SELECT c.case_id, c.state, coalesce(c.date, ''), coalesce(fs.hlc, '') FROM consent c "
           "LEFT JOIN field_state fs ON fs.entity_id = c.id AND fs.field = 'state' "
           "WHERE c.agency = ? AND c.provider_name IS NULL AND coalesce(c.deleted, 0) = 0")
    params: tuple = (agency,)
    if case_id is not None:
        sql += " AND c.case_id = ?"
        params = (agency, case_id)
    best: dict[str, tuple[str, str, str]] = {}
    for cid, state, date, hlc in conn.execute(sql, params):
        cur = best.get(cid)
        if cur is None or (date, hlc) >= (cur[1], cur[2]):
            best[cid] = (state, date, hlc)
    return {cid: (s, d) for cid, (s, d, _h) in best.items()}


_OPENER_SQL = """SELECT c.id, s.agency, s.id IS NOT NULL FROM "case" c
LEFT JOIN staff s ON s.id = (SELECT ch.staff_id FROM changes ch WHERE ch.entity_id = c.id
                             AND ch.field = 'case_number' ORDER BY ch.hlc LIMIT 1)"""


class Access:
    """The decisions for the staff member of one open repository (`repo.staff_id`)."""

    def __init__(self, repo, roles: RoleTable | None = None):
        self.repo = repo
        self.roles = roles or default_table()
        self._actor: Actor | None = None

    # -- who ------------------------------------------------------------------------
    @property
    def actor(self) -> Actor:
        if self._actor is None:
            sid = self.repo.staff_id
            row = (self.repo.get("staff", sid) if sid else None) or {}
            if sid is None:  # the recovery key opens the store, but belongs to no agency
                self._actor = Actor(None, _("recovery key"), None, self.roles.role("admin"))
            else:
                self._actor = Actor(sid, row.get("name") or row.get("login") or "",
                                    self.roles.agency(row.get("agency")), self.roles.role(row.get("role")))
        return self._actor

    def may(self, permission: str) -> bool:
        return self.actor.role.may(permission)

    def require_permission(self, permission: str, action: str) -> None:
        """Raise AccessDenied (and log the refusal) unless the actor's role has `permission`."""
        if not self.may(permission):
            self.log(action, outcome="refused")
            raise AccessDenied(_("Your role ({role}) may not do this.").format(role=_(self.actor.role.label)))

    # -- cases ----------------------------------------------------------------------
    def decide(self, case_id: str) -> Decision:
        """What the actor may see of one case now (nothing is logged)."""
        actor = self.actor
        role = actor.role
        if not role.may("case_data"):
            if role.code == "interpreter":
                return Decision(case_id, NONE, False, _("Interpreters see the questions, never case data."))
            level = BOOKING if role.may("appointments") else NONE
            return Decision(case_id, level, False, _("Your role ({role}) does not show case data.").format(
                role=_(role.label)))
        if actor.agency is None:
            return Decision(case_id, BOOKING, False,
                            _("Opened with the recovery key: case data is shown only to staff of an agency."))
        state, date = consent_states(self.repo.conn, actor.agency, case_id).get(case_id, (None, ""))
        if state == "given" or self._opened_by_own_agency(case_id):
            return Decision(case_id, FULL, role.may("health"), "")
        return Decision(case_id, BOOKING, False, self.reason(state, date))

    def reason(self, state: str | None, date: str) -> str:
        from i18n import current_language
        from i18n.locale import format_date


        agency = agency_label(self.actor.agency or "")
        if state == "withdrawn":
            text = _("The client withdrew the consent to pass data to {agency} on {date}.")
        elif state == "refused":
            text = _("The client refused the consent to pass data to {agency} on {date}.")
        else:
            text = _("The client has not consented to pass data to {agency}.")
        day = format_date(date, current_language()) if date else ""
        return text.format(agency=agency, date=day) + " " + _(
            "Only what is needed to book and hold an appointment is shown.")

    def _opened_by_own_agency(self, case_id: str) -> bool:
        row = self.repo.conn.execute(_OPENER_SQL + " WHERE c.id = ?", (case_id,)).fetchone()
        return bool(row and row[2] and self.roles.agency(row[1]) == self.actor.agency)

    def levels(self) -> dict[str, str]:
        """The level of every case at once (the case list): two queries, however many cases."""
        role, agency = self.actor.role, self.actor.agency
        conn = self.repo.conn
        if not role.may("case_data") or agency is None:
            level = BOOKING if role.may("appointments") else NONE
            return {r[0]: level for r in conn.execute('SELECT id FROM "case"')}
        given = {cid for cid, (state, _d) in consent_states(conn, agency).items() if state == "given"}
        out = {}
        for cid, opener_agency, known in conn.execute(_OPENER_SQL):
            own = known and self.roles.agency(opener_agency) == agency
            out[cid] = FULL if own or cid in given else BOOKING
        return out

    def view(self, case_id: str, case_number: str | None = None, action: str = "view") -> Decision:
        """Decide and log that the case was opened (outcome: full, booking or refused)."""
        d = self.decide(case_id)
        self.log(action, case_id, case_number, {FULL: "full", BOOKING: "restricted", NONE: "refused"}[d.level])
        return d

    def require(self, case_id: str, action: str, need: str = FULL, case_number: str | None = None) -> Decision:
        """Log `action` on the case; raise AccessDenied with the reason unless its level is at least `need`."""
        d = self.decide(case_id)
        ok = d.allows(need)
        self.log(action, case_id, case_number, "ok" if ok else "refused")
        if not ok:
            raise AccessDenied(d.reason)
        return d

    def log(self, action: str, case_id: str | None = None, case_number: str | None = None,
            outcome: str = "ok") -> None:
        if case_id and not case_number:
            row = self.repo.get("case", case_id)
            case_number = (row or {}).get("case_number")
        audit.append(self.repo.store, self.actor.who(), action, case_id, case_number, outcome)
