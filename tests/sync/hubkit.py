"""Test kit for the hub: a real `sprechstunde-hub serve` process on 127.0.0.1 with TLS, laptops, a cutting proxy.

Its fixtures `hub` (one hub per module) and `laptops` are a pytest plugin registered for the
whole suite in tests/conftest.py (``pytest_plugins``), so tests in tests/sync and tests/ui ask
for them by name; modules import only the helpers (HubProcess, fill, sync, ...).
Nothing is mocked: the hub is the real console-script code in a subprocess with
its own SQLCipher store; laptops are real stores enrolled over HTTPS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
HUB_SECRET = "hub-geheim-123"
PASSPHRASE = "richtig-geheim"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_env(**extra) -> dict:
    env = dict(os.environ, SPRECHSTUNDE_HUB_PASSPHRASE=HUB_SECRET,
               PYTHONPATH=str(ROOT), SPRECHSTUNDE_PASSPHRASE=PASSPHRASE)
    env.update(extra)
    return env


def hub_cli(*args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "sync.hub.cli", *args], env=hub_env(), capture_output=True, text=True,
                          check=check, cwd=ROOT, timeout=60)


class HubProcess:
    """A hub folder and its serving process (start, stop, SIGKILL, restart), with its log lines."""

    def __init__(self, folder: Path):
        self.dir = folder
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.lines: list[str] = []
        self._cv = threading.Condition()
        out = hub_cli("init", "--dir", str(folder)).stdout
        self.fingerprint = next(line.split(": ", 1)[1] for line in out.splitlines()  # in any UI language
                                if line.startswith(("Certificate fingerprint", "Fingerabdruck des Zertifikats")))

    def start(self) -> "HubProcess":
        self.proc = subprocess.Popen(
            [PY, "-m", "sync.hub.cli", "serve", "--dir", str(self.dir), "--port", str(self.port)],
            env=hub_env(), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
        threading.Thread(target=self._read, args=(self.proc,), daemon=True).start()
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                httpx.get(f"{self.url}/v1/health", verify=False, timeout=1.0)
                return self
            except httpx.HTTPError:
                if self.proc.poll() is not None:
                    raise RuntimeError("hub died at start:\n" + "\n".join(self.lines)) from None
                time.sleep(0.1)
        raise RuntimeError("hub did not start")

    def _read(self, proc) -> None:
        for line in proc.stderr:
            with self._cv:
                self.lines.append(line.rstrip("\n"))
                self._cv.notify_all()

    def wait_for(self, text: str, count: int = 1, timeout: float = 30.0) -> None:
        with self._cv:
            ok = self._cv.wait_for(lambda: sum(text in x for x in self.lines) >= count, timeout)
        if not ok:
            raise TimeoutError(f"hub log never showed {text!r} x{count}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def store(self):
        """A second connection to the hub's store (the admin's view), for codes and assertions."""
        from sync.hub import storage

        saved = os.environ.get("SPRECHSTUNDE_HUB_PASSPHRASE")
        os.environ["SPRECHSTUNDE_HUB_PASSPHRASE"] = HUB_SECRET
        try:
            return storage.open_store(self.dir)
        finally:
            if saved is None:
                del os.environ["SPRECHSTUNDE_HUB_PASSPHRASE"]
            else:
                os.environ["SPRECHSTUNDE_HUB_PASSPHRASE"] = saved

    def code(self, office: str, name: str = "laptop", hours: float = 1.0) -> str:
        from sync.hub import storage

        s = self.store()
        try:
            return storage.new_code(s.conn, office, name, hours)[0]
        finally:
            s.close()


def make_laptop(hub: HubProcess, folder: Path, office: str, login: str = "anna"):
    """A new store enrolled at the hub for `office`."""
    from app.store import Store
    from sync.client import enroll

    store, _recovery = Store.create(folder, PASSPHRASE, login=login)
    enroll(store, hub.url, hub.code(office), hub.fingerprint)
    return store


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = HubProcess(tmp_path_factory.mktemp("hub") / "hub").start()
    yield h
    h.stop()


@pytest.fixture
def laptops(hub, tmp_path):
    """laptops("AHL") -> a fresh enrolled store; all closed after the test."""
    made = []

    def make(office: str, login: str = "anna"):
        s = make_laptop(hub, tmp_path / f"laptop{len(made)}", office, login)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


# -- a TCP proxy that cuts the connection after some bytes ----------------------------------
class CuttingProxy:
    """Forwards 127.0.0.1:port -> target; after `cut_up` bytes client->hub or `cut_down`
    bytes hub->client have passed, every connection is closed (once armed)."""

    def __init__(self, target_port: int, cut_up: int | None = None, cut_down: int | None = None):
        self.target_port = target_port
        self.cut_up, self.cut_down = cut_up, cut_down
        self.up = self.down = 0
        self.cut = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, "up"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, "down"), daemon=True).start()

    def _pipe(self, src, dst, direction) -> None:
        try:
            while not self.cut.is_set():
                data = src.recv(65536)
                if not data:
                    break
                with self._lock:
                    if direction == "up":
                        self.up += len(data)
                        over = self.cut_up is not None and self.up > self.cut_up
                    else:
                        self.down += len(data)
                        over = self.cut_down is not None and self.down > self.cut_down
                if over:
                    self.cut.set()
                    break
                dst.sendall(data)
        except OSError:
            pass
        if self.cut.is_set():
            self.close_all()

    def close_all(self) -> None:
        with self._lock:
            conns, self._conns = self._conns, []
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def close(self) -> None:
        self.sock.close()
        self.close_all()


# -- helpers for assertions -----------------------------------------------------------------
def hub_change_count(hub) -> int:
    """How many changes the hub's log holds (through a second connection, as the admin sees it)."""
    s = hub.store()
    try:
        return s.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    finally:
        s.close()


def own_changes(store) -> set[tuple]:
    return set(store.conn.execute("SELECT entity_id, field, hlc FROM changes WHERE device_id = ?",
                                  (store.device_id,)))


def hub_changes_of(hub_store, replica_id: str) -> list[tuple]:
    return hub_store.conn.execute("SELECT entity_id, field, hlc FROM changes WHERE device_id = ?",
                                  (replica_id,)).fetchall()


_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def fill(store, households: int = 10, office: str = "AHL", persons: int = 3, notes: int = 0) -> list[str]:
    """Households with persons written through the repository (each field one change); returns household ids."""
    from app.repository import Repository

    repo = Repository(store)
    ids = []
    with repo.transaction():
        for i in range(households):
            # markup and Arabic in what travels: free text may hold "<b>&amp;", names only letters
            h = repo.save("household", {"office": office, "address": f"Weg {i}",
                                        "accommodation": "ZUE <b>&amp; «مخيم»"})
            ids.append(h)
            for j in range(persons):
                repo.save("person", {"household_id": h, "family_name": f"محمد {_ARABIC[i % 28]}{_ARABIC[j % 28]}",
                                     "given_names": "Ali",
                                     "birth_date": "1990-01-01", "sex": "m", "nationality": "SYR",
                                     "languages": [{"code": "ar", "level": "native"}]})
            for k in range(notes):
                repo.save("household", {"notes": f"note {k}"}, entity_id=h)
    return ids


def sync(store, **kw):
    from sync.client import SyncEngine

    return SyncEngine(store, **kw).sync()
