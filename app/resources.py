"""The data a session works with: the questionnaires, the measure catalogue and the dated rules.

Loaded from resources/ when a session is made (a few milliseconds) and handed to the services
(app.casework.CaseWork) by the session, so nothing reads them from a module-level singleton and
a test or an administrator's tool can give a session other forms or rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .forms import FORMS_DIR, FormRegistry
from .measures import Catalogue
from .rules import RULES_DIR, RuleSet


@dataclass(frozen=True)
class Resources:
    forms: FormRegistry
    catalogue: Catalogue
    rules: RuleSet

    @classmethod
    def load(cls, forms_dir: Path = FORMS_DIR, rules_dir: Path = RULES_DIR) -> "Resources":
        return cls(FormRegistry(forms_dir), Catalogue(), RuleSet.load(rules_dir))
