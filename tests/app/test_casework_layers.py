"""The layering of the case-work code: app/ has no Qt, ui/casework runs no SQL."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ["appointments", "casefacts", "casework", "checks", "chronicle", "conference", "consent", "formvalues",
       "forms", "goals", "measures", "profiling", "resources_map", "responses", "rules"]


def imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            out.add("." * node.level + (node.module or ""))
    return out


def test_case_work_services_do_not_import_qt_ui_or_sync():
    for name in APP:
        for mod in imports(ROOT / "app" / f"{name}.py"):
            assert not mod.startswith(("PySide6", "ui", "sync", "httpx", "starlette")), (name, mod)


def test_case_work_widgets_run_no_sql():
    for path in (ROOT / "ui" / "casework").glob("*.py"):
        text = path.read_text("utf-8")
        assert not re.search(r"\.execute\(|\.conn\b|\.repo\.(find|get|save|delete)\(", text), path.name
        assert not any(m.startswith(("sqlite", "sqlcipher")) for m in imports(path)), path.name
