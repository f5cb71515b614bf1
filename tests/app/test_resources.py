"""A session's services use the forms, catalogue and rules the session was given (no module singleton)."""

import shutil

from app.casework import casework_for
from app.resources import Resources
from app.rules import RULES_DIR
from app.session import Session


def test_the_services_of_a_session_use_its_resources(store, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    for extra in rules.glob("*.json"):
        if extra.name != sorted(p.name for p in rules.glob("*.json"))[0]:
            extra.unlink()  # a county that ships only one rules file
    mine = Resources.load(rules_dir=rules)
    session = Session(store.path, mine)
    session.attach(store)
    cw = casework_for(session)
    assert cw.forms is mine.forms and cw.catalogue is mine.catalogue and cw.rules is mine.rules
    shipped = Resources.load()
    assert len(cw.rules.rules) < len(shipped.rules.rules)
    worker = session.worker()
    try:
        assert worker.resources is mine
    finally:
        worker.lock()
