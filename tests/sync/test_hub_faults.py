"""Faults: the connection drops mid-push and mid-pull, the client and the hub are SIGKILLed mid-sync.

Afterwards a sync completes; the hub holds each of the laptop's changes exactly
once, the laptops hold what they should, and SQLCipher's integrity checks pass.
"""

from __future__ import annotations

import signal
import subprocess
import threading

import pytest

from app.store import Store
from sync.client import K_URL, SyncEngine
from tests.sync.hubkit import PASSPHRASE, PY, ROOT, CuttingProxy, fill, hub_changes_of, hub_env, own_changes, sync


def _hub_has_exactly(hub, store) -> None:
    hs = hub.store()
    try:
        got = hub_changes_of(hs, store.device_id)
        assert len(got) == len(set(got)) == len(own_changes(store))
        assert set(got) == own_changes(store)
        assert hs.integrity_problems() == []
    finally:
        hs.close()


def _root_changes(store, roots) -> set:
    marks = ",".join("?" * len(roots))
    return set(store.conn.execute(f"SELECT entity_id, field, hlc FROM changes WHERE root_id IN ({marks})", roots))


def test_connection_drops_mid_push_and_mid_pull_then_resumes(hub, laptops):
    a, b = laptops("AHL"), laptops("AHL")
    roots = fill(a, 150, "AHL")
    proxy = CuttingProxy(hub.port, cut_up=150_000)
    try:
        a.set_meta(K_URL, f"https://127.0.0.1:{proxy.port}")  # same certificate behind the proxy
        s = SyncEngine(a, push_batch=500).sync()
        assert not s.ok and s.error_code == "unreachable" and 0 < s.pushed < len(own_changes(a))
    finally:
        proxy.close()
    a.set_meta(K_URL, hub.url)
    s = SyncEngine(a, push_batch=500).sync()
    assert s.ok
    _hub_has_exactly(hub, a)

    proxy = CuttingProxy(hub.port, cut_down=120_000)
    try:
        b.set_meta(K_URL, f"https://127.0.0.1:{proxy.port}")
        s = SyncEngine(b, pull_page=300).sync()
        assert not s.ok and s.error_code == "unreachable" and 0 < s.applied
    finally:
        proxy.close()
    b.set_meta(K_URL, hub.url)
    assert SyncEngine(b, pull_page=300).sync().ok
    assert _root_changes(b, roots) == _root_changes(a, roots)
    assert b.integrity_problems() == []


def _cli_sync(store_dir) -> subprocess.Popen:
    env = hub_env(SPRECHSTUNDE_SYNC_BATCH="4000")
    return subprocess.Popen([PY, "-m", "cli.main", "sync", "--store", str(store_dir)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_client_killed_during_push_and_during_pull(hub, laptops):
    a, b = laptops("AHL"), laptops("AHL")
    roots = fill(a, 700, "AHL")  # about 19,000 changes: five push batches, four pull pages
    a_dir, b_dir, a_dev, b_dev = a.path, b.path, a.meta("sync.device_id"), b.meta("sync.device_id")
    a.close()
    proc = _cli_sync(a_dir)
    hub.wait_for(f'"event":"push","device":"{a_dev}"')
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    a = Store.open(a_dir, PASSPHRASE)
    try:
        assert a.integrity_problems() == []
        s = sync(a)
        assert s.ok and s.pushed > 0  # it was interrupted: there was something left to send
        _hub_has_exactly(hub, a)

        b.close()
        proc = _cli_sync(b_dir)
        hub.wait_for(f'"event":"pull","device":"{b_dev}"')
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
        b = Store.open(b_dir, PASSPHRASE)
        try:
            assert b.integrity_problems() == []
            assert sync(b).ok
            assert _root_changes(b, roots) == _root_changes(a, roots)
            assert sum(b.conn.execute("SELECT count(*) FROM person WHERE household_id = ?", (r,)).fetchone()[0]
                       for r in roots) == 700 * 3
        finally:
            b.close()
    finally:
        a.close()


@pytest.mark.slow
def test_hub_killed_during_push(hub, laptops):
    a = laptops("AHL")
    fill(a, 500, "AHL")
    result = {}
    dev = a.meta("sync.device_id")
    pushes_before = sum(f'"event":"push","device":"{dev}"' in x for x in hub.lines)
    worker = threading.Thread(target=lambda: result.update(s=SyncEngine(a.reopen(), push_batch=1000).sync()))
    worker.start()
    hub.wait_for(f'"event":"push","device":"{dev}"', pushes_before + 1)
    hub.kill()
    worker.join(60)
    assert not result["s"].ok and result["s"].error_code == "unreachable"
    hub.start()
    s = sync(a)
    assert s.ok and s.pushed > 0
    _hub_has_exactly(hub, a)
    assert a.integrity_problems() == []
