"""Every benchmark in bench/ still runs: each at a tiny size, in its own process, into a temporary folder.

Benchmarks are not run by anything else, so a change of the code they drive (a private
attribute, a new input check) breaks them silently until someone wants the numbers. This
test asserts only that each finishes and prints its result line; the timings themselves are
never asserted (they belong in docs/benchmarks.md).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# (script, arguments, a piece of the output that shows the bench measured something)
BENCHES = [
    ("bench_access.py", ["--cases", "100", "--records", "2", "--repeat", "1", "--open", "5", "--erase", "5"],
     "[caselist]"),
    ("bench_courses.py", ["--people", "60", "--courses", "5", "--cases", "100", "--repeat", "1"], "ms"),
    ("bench_documents.py", ["--events", "5", "--repeat", "1"], "ms"),
    ("bench_due.py", ["--households", "40", "--repeat", "1"], "ms"),
    ("bench_erase.py", ["--households", "40", "--cases", "10"], "s"),
    ("bench_hours.py", ["--cases", "800", "--repeat", "1"], "ms"),
    ("bench_intake.py", ["--repeat", "1", "--demo-households", "10"], "s"),
    ("bench_linkage.py", ["--sizes", "500"], "F1"),
    ("bench_matching.py", ["300"], "match one offer against 300 profiles"),
    ("bench_merge.py", ["--cases", "50", "--batch", "20"], "s"),
    ("bench_steering.py", ["--persons", "300", "--repeat", "1"], "ms"),
    ("bench_store.py", ["--persons", "400", "--cases", "150", "--only", "import,caselist,search"], "[search]"),
    ("bench_sync.py", ["--laptops", "2", "--cases", "10", "--no-baseline"], "round trip"),
]


def test_every_bench_is_listed():
    scripts = {p.name for p in (ROOT / "bench").glob("bench_*.py")}
    assert scripts == {b[0] for b in BENCHES}


@pytest.mark.parametrize(("script", "args", "shows"), BENCHES, ids=[b[0] for b in BENCHES])
def test_the_bench_runs_at_a_tiny_size(tmp_path, script, args, shows):
    if script == "bench_sync.py":
        args = [*args, "--dir", str(tmp_path / "sync"), "--port", str(_free_port())]
    env = {**os.environ, "TMPDIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert shows in done.stdout
