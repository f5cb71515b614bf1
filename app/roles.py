"""Staff roles and what each may see and do, read from resources/roles.json (data, not code).

A role grants permissions: `case_data` (a case's integration-relevant data, still only
within the client's consent, app.access), `health` (answers marked sensitive),
`appointments` (what is needed to book and hold an appointment), `print`, `export`
(Art. 15 export, interchange export), `manage_staff`, `manage_offices` (edit the offices and their
office-hour schedules: the central office) and `audit` (read the access trail).
Staff records written before roles existed, and the first staff member of a new store,
read as `default_role` / `default_agency`; a member added without a role gets
`default_new_role` and the agency of whoever adds them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROLES_PATH = Path(__file__).resolve().parent.parent / "resources" / "roles.json"
PERMISSIONS = ("case_data", "health", "appointments", "print", "export", "manage_staff", "manage_offices", "audit")
ROLE_CODES = ("intake", "ifk", "pap", "saf", "interpreter", "central", "dpo", "admin")
STAFF_AGENCIES = ("AA", "JC", "SOZ", "ABH", "KI")


class RolesError(ValueError):
    """resources/roles.json is not a valid role table."""


@dataclass(frozen=True)
class Role:
    code: str
    label: str  # an English msgid (staff catalog)
    permissions: frozenset[str]

    def may(self, permission: str) -> bool:
        return permission in self.permissions


@dataclass(frozen=True)
class RoleTable:
    roles: dict[str, Role]
    agencies: tuple[str, ...]
    default_role: str
    default_agency: str
    default_new_role: str
    valid_from: str
    source: str

    def role(self, code: str | None) -> Role:
        """The role of a staff record; an unknown or missing code reads as the default role."""
        return self.roles.get(code or "") or self.roles[self.default_role]

    def agency(self, code: str | None) -> str:
        return code if code in self.agencies else self.default_agency

    @classmethod
    def load(cls, path: Path = ROLES_PATH) -> "RoleTable":
        try:
            doc = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise RolesError(f"{path}: {exc}") from None
        if not isinstance(doc, dict) or doc.get("format") != "sprechstunde-roles" or not isinstance(doc.get("roles"), dict):
            raise RolesError(f"{path}: not a role table")
        roles = {}
        for code, spec in doc["roles"].items():
            unknown = set(spec) - set(PERMISSIONS) - {"label"}
            if unknown or not all(isinstance(spec.get(p, False), bool) for p in PERMISSIONS):
                raise RolesError(f"{path}: role {code}: unknown or non-boolean permissions {sorted(unknown)}")
            roles[code] = Role(code, str(spec.get("label") or code),
                               frozenset(p for p in PERMISSIONS if spec.get(p)))
        if set(roles) != set(ROLE_CODES):
            raise RolesError(f"{path}: the roles must be exactly {', '.join(ROLE_CODES)}")
        agencies = tuple(doc.get("agencies") or STAFF_AGENCIES)
        table = cls(roles, agencies, doc.get("default_role", "admin"), doc.get("default_agency", "KI"),
                    doc.get("default_new_role", "intake"),
                    str(doc.get("valid_from", "")), str(doc.get("source", "")))
        if table.default_role not in roles or table.default_new_role not in roles or table.default_agency not in agencies:
            raise RolesError(f"{path}: the default role or agency is not in the table")
        return table


@lru_cache(maxsize=1)
def default_table() -> RoleTable:
    return RoleTable.load()
