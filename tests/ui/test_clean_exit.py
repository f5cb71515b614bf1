"""The app ends cleanly (exit code 0) after interpreter views and previews were opened, locked and closed.

Each scenario runs in its own Python process: a crash at interpreter shutdown
(a window still owned by Python when Qt goes away) shows only as the process's
exit code. Several processes run because such crashes depend on collection order.
"""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCENARIO = r"""
import sys
from pathlib import Path
from app.repository import Repository
from app.session import Session
from app.store import Store
from tests.app.family_o import register_family
from ui.main import build_app
from ui.main import build_main_window

app = build_app()
store, _ = Store.create(Path(sys.argv[1]), "richtig-geheim", login="anna", name="Anna")
res = register_family(Repository(store))
session = Session(store.path)
session.attach(store)
win = build_main_window(session)
win.show()
view = win.case_view
view.show_case(res.household_id, res.case_ids[0])
view.tabs.setCurrentIndex(0)
opened = [view.open_interpreter()]         # feeds the open questionnaire
view.tabs.setCurrentIndex(1)
opened.append(view.open_interpreter())     # questions only
opened.append(view.print_document("consent"))  # preview
if sys.argv[2] == "lock":
    win.lock()
win.close()
app.processEvents()
del opened  # as a user's session ends: no references but Qt's own
sys.exit(0)
"""


@pytest.mark.parametrize("ending", ["lock", "lock", "close", "close"])
def test_app_exits_cleanly_after_interpreter_views(tmp_path, ending):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", SCENARIO, str(tmp_path / "store"), ending], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
