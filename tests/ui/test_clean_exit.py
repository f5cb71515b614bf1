"""The app ends cleanly (exit code 0) after interpreter views and previews were opened, locked and closed,
also while a document is still being rendered on a pool thread.

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
import time
from pathlib import Path
from app.repository import Repository
from app.session import Session
from app.store import Store
from tests.app.family_o import register_family
from ui.main import build_app
from ui.main import build_main_window
from ui.print_dialog import DocumentDialog

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
view.tabs.setCurrentIndex(view.tabs.count() - 1)  # the chronicle: no questionnaire
opened.append(view.open_interpreter())     # questions only
view.print_document("consent")             # made off the GUI thread, then the preview opens
if not sys.argv[2].endswith("rendering"):  # else the app ends while the document is being made
    deadline = time.monotonic() + 60
    while not any(isinstance(w, DocumentDialog) for w in view.windows):
        assert time.monotonic() < deadline, "the preview did not open"
        app.processEvents()
        time.sleep(0.01)
    opened.append(view.windows[-1])        # preview
if sys.argv[2].startswith("lock"):
    win.lock()
win.close()
app.processEvents()
del opened  # as a user's session ends: no references but Qt's own
sys.exit(0)
"""


@pytest.mark.parametrize("ending", ["lock", "lock", "close", "close", "lock-rendering", "close-rendering"])
def test_app_exits_cleanly_after_interpreter_views(tmp_path, ending):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", SCENARIO, str(tmp_path / "store"), ending], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]


WAITING = r"""
import atexit
import sys
import time
from PySide6.QtWidgets import QApplication
from ui.tasks import run_in_background

app = QApplication([])


def slow():
    time.sleep(0.5)
    import pypdfium2  # a library that registers its own atexit handler, imported on the pool thread
    print("task finished", flush=True)


run_in_background(slow, print, print)
atexit.register(lambda: print("atexit", flush=True))
sys.exit(0)
"""


def test_exit_waits_for_background_tasks_before_atexit_handlers(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", WAITING], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["task", "finished", "atexit"]
