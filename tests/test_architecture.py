"""The boundaries that keep policy in one place: the GUI and the command line reach app/ through the
Session only. They never construct a Store or a Repository, nor open another connection, nor reach
the repository of a session or a service (`.repo`, `._repo`, `._need()`), so nothing they do can
skip what the Session does (the consent and role checks of app.access, the audit trail)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORE_CONSTRUCTORS = {"create", "open", "open_with_recovery", "_open_with"}
# what hands out the repository of an open store (the session's own, a service's): read around the gates
REPOSITORY_ATTRIBUTES = {"repo", "_repo", "_need"}


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom) and node.module in ("app.repository", "app.store"):
            names = {a.name for a in node.names}
            if node.module == "app.repository" or names & {"Store"}:
                found.append(f"{where} imports {sorted(names)} from {node.module}")
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in ("Repository", "Store"):
                found.append(f"{where} constructs {f.id}")
            elif isinstance(f, ast.Attribute):
                if isinstance(f.value, ast.Name) and f.value.id == "Store" and f.attr in STORE_CONSTRUCTORS:
                    found.append(f"{where} calls Store.{f.attr}")
                elif f.attr == "reopen":
                    found.append(f"{where} opens another connection (.reopen)")
        if isinstance(node, ast.Attribute) and node.attr in REPOSITORY_ATTRIBUTES:
            found.append(f"{where} reaches a repository (.{node.attr})")
    return found


def test_ui_and_cli_reach_the_store_only_through_the_session():
    found = [v for pkg in ("ui", "cli") for path in sorted((ROOT / pkg).rglob("*.py")) for v in _violations(path)]
    assert found == []


def test_the_check_sees_what_it_forbids(tmp_path):
    """The scan above is not vacuous: each forbidden form is reported."""
    probe = ROOT / "tests" / "_architecture_probe.py"
    probe.write_text("from app.repository import Repository\nfrom app.store import Store\n"
                     "Repository(x)\nStore.open(p, 'x')\ns.store.reopen()\n"
                     "session._repo.get('case', i)\nsession._repo\nsession._need().conn\n"
                     "services(session).repo.staff_id\n", "utf-8")
    try:
        assert len(_violations(probe)) == 9
    finally:
        probe.unlink()
