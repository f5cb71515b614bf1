"""The one place that decides what the staff member who unlocked may see of a case, and logs it.

A staff member of agency X sees a case's integration-relevant data (intake answers,
profiling, resource map, will and strategy, measures, conferences, chronicle) only
while the client's latest consent decision for X is "given" (`full`), or, record by
record, what staff of X recorded themselves (`own`: the record's first change in the
change log was written by a staff member of X; a case whose records were all made by
X is shown in full, as there is nothing of another agency to hide). Answers marked sensitive (health)
also need a role that may read them (resources/roles.json, app.roles). Beyond X's own
records, a case without consent shows only what is needed to book and hold an
appointment, with a sentence saying why; the interpreter role and roles without case
data see nothing of the case (`none`), or only the booking (`booking`). The decision
is read from the consent records each time, so a withdrawal takes effect at once,
and on other laptops as soon as the withdrawal arrives by sync.

`Access` sits behind the Session (GUI and command line alike); every view, print,
export and refusal it is asked about becomes an entry of the audit trail (app.audit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from i18n import _

from . import audit, schema
from .consent import agency_label
from .roles import Role, RoleTable, default_table

FULL, OWN, BOOKING, NONE = "full", "own", "booking", "none"
_RANK = {NONE: 0, BOOKING: 1, OWN: 2, FULL: 3}  # OWN: the booking, and the records of the actor's agency


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
    level: str  # FULL, OWN, BOOKING or NONE
    health: bool  # sensitive answers may be shown (of every record at FULL, of the agency's own at OWN)
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


CASE_RECORDS = schema.CONSENT_GATED  # the case, person and household rows, consents and appointments: a booking's
# the cases (as their case_id in the log) that hold a record made by someone not in the json list of staff
_FOREIGN_SQL = (f"SELECT DISTINCT value FROM changes WHERE {schema.MADE_WHERE} "
                "AND coalesce(staff_id, '') NOT IN (SELECT value FROM json_each(?))")
_MAKER_SQL = ("SELECT entity_id, staff_id FROM changes WHERE entity_id IN ({marks}) AND field = 'household_id' "
              "AND prev_hlc IS NULL")


def recorders(conn, ids) -> dict[str, str | None]:
    """Who made each record: the staff member of its first save (the first write of its household_id, which
    every record of a case has); None when the change log does not say (made with the recovery key)."""
    ids = sorted(set(ids))
    out: dict[str, str | None] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update(conn.execute(_MAKER_SQL.format(marks=",".join("?" * len(chunk))), chunk).fetchall())
    return out


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
        if state == "given" or not self._has_foreign_records(case_id):  # all there is, the agency recorded
            return Decision(case_id, FULL, role.may("health"), "")
        return Decision(case_id, OWN, role.may("health"), self.reason(state, date))

    def _own_staff(self) -> list[str]:
        """The staff ids of the actor's agency (staff records without an agency read as the default one)."""
        agency = self.actor.agency
        return [sid for sid, a in self.repo.conn.execute("SELECT id, agency FROM staff")
                if agency is not None and self.roles.agency(a) == agency]

    def own_records(self, ids) -> set[str]:
        """Those of `ids` that staff of the actor's agency recorded themselves."""
        own = set(self._own_staff())
        return {i for i, staff in recorders(self.repo.conn, ids).items() if staff in own}

    def _has_foreign_records(self, case_id: str) -> bool:
        """Whether the case was given a record (CASE_RECORDS) by staff of another agency. Counted when made: a
        record deleted since still counts (never too little hidden). A record never changes its case (merging
        persons moves their cases, not the cases' records)."""
        sql = _FOREIGN_SQL + " AND value = ? LIMIT 1"
        return self.repo.conn.execute(sql, (json.dumps(self._own_staff()), json.dumps(case_id))).fetchone() is not None

    def own_made(self) -> set[str]:
        """Every record of CASE_RECORDS (questionnaires, resource entries, goals, measures, conferences, events)
        that staff of the actor's agency made, in one scan of the index (for lists over every case)."""
        sql = f"SELECT entity_id FROM changes WHERE {schema.MADE_WHERE} AND staff_id IN (SELECT value FROM json_each(?))"
        return {r[0] for r in self.repo.conn.execute(sql, (json.dumps(self._own_staff()),))}

    def _cases_with_foreign_records(self) -> set[str]:
        """Every case `_has_foreign_records` holds true for, in one scan of the index."""
        return {json.loads(v) for (v,) in self.repo.conn.execute(_FOREIGN_SQL, (json.dumps(self._own_staff()),))}

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
            "Shown is what is needed to book and hold an appointment, and what your agency recorded itself.")

    def gate_key(self) -> tuple:
        """What the levels depend on besides the case's own records and consents: who decides, and which
        staff count as their agency's (app.next_steps.DueCount counts everything again when it changes)."""
        actor = self.actor
        return actor.staff_id, actor.role.code, actor.agency, tuple(sorted(self._own_staff()))

    def levels(self, case_ids: set[str] | None = None) -> dict[str, str]:
        """The level of every case at once (the case list): two queries, however many cases. `case_ids`: of
        these cases only (each decided on its own: for a few)."""
        if case_ids is not None:
            return {cid: self.decide(cid).level for cid in case_ids}
        role, agency = self.actor.role, self.actor.agency
        conn = self.repo.conn
        if not role.may("case_data") or agency is None:
            level = BOOKING if role.may("appointments") else NONE
            return {r[0]: level for r in conn.execute('SELECT id FROM "case"')}
        given = {cid for cid, (state, _d) in consent_states(conn, agency).items() if state == "given"}
        mixed = self._cases_with_foreign_records()
        return {r[0]: FULL if r[0] in given or r[0] not in mixed else OWN for r in conn.execute('SELECT id FROM "case"')}

    def view(self, case_id: str, case_number: str | None = None, action: str = "view") -> Decision:
        """Decide and log that the case was opened (outcome: full, booking or refused)."""
        d = self.decide(case_id)
        self.log(action, case_id, case_number, {FULL: "full", OWN: "restricted", BOOKING: "restricted",
                                                NONE: "refused"}[d.level])
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
