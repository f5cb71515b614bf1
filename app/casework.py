"""The case-work services of one open store, the facts a case offers to rules, and the due list.

`CaseWork(repo)` bundles the small services (responses, consent, profiling,
resource map, goals, measures, conferences, appointments, chronicle) so that
the UI and the CLI get them in one object. `facts(case_id)` collects what the
rules look at; `hints(case_id, today)` evaluates the rule set for one case and
`due_list(today, office)` across all open cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import casefacts
from .appointments import Appointments
from .chronicle import Chronicle, case_row
from .conference import Conferences
from .consent import Consents
from .forms import FormRegistry, default_registry
from .goals import Goals
from .measures import Catalogue, Measures
from .profiling import Profiling
from .resources_map import ResourceMap
from .responses import Responses
from .rules import Hint, RuleSet, default_rules

def default_catalogue() -> Catalogue:
    """The shipped catalogue of measures, freshly loaded; a session holds its own (app.resources)."""
    return Catalogue()


@dataclass(frozen=True, slots=True)  # thousands per due list: no __dict__ each
class DueItem:
    hint: Hint
    case_id: str
    case_number: str
    name: str
    office: str
    household_id: str = ""

    def to_dict(self) -> dict:
        return {**self.hint.to_dict(), "case_number": self.case_number, "name": self.name, "office": self.office}


class CaseWork:
    def __init__(self, repo, forms: FormRegistry | None = None, catalogue: Catalogue | None = None,
                 rules: RuleSet | None = None):
        self.repo = repo
        self.forms = forms or default_registry()
        self.catalogue = catalogue or default_catalogue()
        self.rules = rules or default_rules()
        self.chronicle = Chronicle(repo)
        self.responses = Responses(repo, self.forms, self.chronicle)
        self.consent = Consents(repo, self.responses, self.chronicle)
        self.profiling = Profiling(repo, self.responses)
        self.resources = ResourceMap(repo)
        self.goals = Goals(repo, self.chronicle)
        self.measures = Measures(repo, self.catalogue, self.chronicle)
        self.conferences = Conferences(repo, self.resources, self.goals, self.chronicle)
        self.appointments = Appointments(repo, self.chronicle)

    def save_intake(self, case_id: str, answers: dict, date: str | None = None, response_id: str | None = None) -> str:
        return self.responses.save(case_id, "intake", answers, date=date, response_id=response_id)

    def case(self, case_id: str) -> dict:
        return case_row(self.repo, case_id)

    def staff_name(self, staff_id: str | None) -> str:
        staff = self.repo.get("staff", staff_id) if staff_id else None
        return (staff or {}).get("name") or (staff or {}).get("login") or ""

    def case_label(self, case_id: str) -> str:
        person, case = self.person_of(case_id), case_row(self.repo, case_id)
        name = " ".join(x for x in (person.get("given_names"), person.get("family_name")) if x)
        return f"{name} ({case.get('case_number') or ''})"

    def person_of(self, case_id: str) -> dict:
        case = case_row(self.repo, case_id)
        return (self.repo.get("person", case["person_id"]) if case.get("person_id") else None) or {}

    # -- rules ------------------------------------------------------------------
    def facts(self, case_id: str) -> dict:
        """What the rules may look at for one case (see docs/rules.md for the names)."""
        case_row(self.repo, case_id)
        return casefacts.gather(self.repo.conn, case_id).get(case_id, {})

    def hints(self, case_id: str, today: dt.date | None = None) -> list[Hint]:
        return self.rules.evaluate(self.facts(case_id), today or dt.date.today(), case_id)

    def due_list(self, today: dt.date | None = None, office: str | None = None) -> list[DueItem]:
        """Due and overdue items and hints across all open cases, soonest first."""
        today = today or dt.date.today()
        items = []
        all_facts, labels = casefacts.due_facts(self.repo.conn, office)
        rules = self.rules.on(today, due_list_only=True)
        for case_id, facts in all_facts.items():
            number, household_id, name = labels[case_id]
            for h in rules.hints(facts, case_id):
                items.append(DueItem(h, case_id, number, name, facts.get("office") or "", household_id))
        order = {"overdue": 0, "due_soon": 1, "reached": 2, "info": 3}
        return sorted(items, key=lambda i: (i.hint.due or dt.date.max, order.get(i.hint.state, 9),
                                            i.case_number, i.hint.rule_id))


def casework_for(session) -> CaseWork:
    """The CaseWork of a session's open store, with the session's forms, catalogue and rules (cached per
    repository)."""
    repo = session._need()
    cached = getattr(session, "_casework", None)
    if cached is None or cached.repo is not repo:
        res = getattr(session, "resources", None)
        cached = CaseWork(repo, res.forms, res.catalogue, res.rules) if res is not None else CaseWork(repo)
        session._casework = cached
    return cached
