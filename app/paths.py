"""Where stores live: the platform's user data folder unless told otherwise.

Order: an explicit `--store DIR`, then the environment variable
SPRECHSTUNDE_STORE, then `<user data dir>/sprechstunde/store` (Linux:
~/.local/share/sprechstunde/store; Windows: %LOCALAPPDATA%\\sprechstunde\\store).
The demo store is `<user data dir>/sprechstunde/demo`.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DEMO_PASSPHRASE = "sprechstunde-demo"  # fictional demo data only
DEMO_LOGIN = "demo"


def data_root() -> Path:
    return Path(user_data_dir("sprechstunde", appauthor=False))


def default_store_dir() -> Path:
    env = os.environ.get("SPRECHSTUNDE_STORE")
    return Path(env) if env else data_root() / "store"


def demo_store_dir() -> Path:
    return data_root() / "demo"


def resolve_store_dir(explicit: str | os.PathLike | None) -> Path:
    return Path(explicit).expanduser() if explicit else default_store_dir()


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (temporary file, fsync, rename)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
