"""The hub's side of sealed change files: decrypt, verify and apply them (`sprechstunde-hub import`).

The format and the laptop's side (export) are in sync.transport_file; see
docs/sync.md, "Offline transport". A file is applied through `Hub.push` in
push batches, so it gets the same checks, scope update and merge as an online
push, each batch all or nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from app.labels import label
from app.replica.merge import MergeError
from i18n import _

from .. import protocol as P
from ..transport_file import SealedFileError, unpack, verify
from . import storage, tls
from .service import Hub, Refused
from .storage import TLS_PASSWORD_META, HubError, hub_dir


@dataclass
class ImportSummary:
    device: str
    device_name: str
    office: str
    received: int = 0
    new: int = 0
    duplicates: int = 0
    conflicts: int = 0
    sha256: str = ""
    errors: list[str] = field(default_factory=list)


def hub_private_key(folder: Path, store):
    """The hub's TLS private key (the one laptops seal to), unlocked with the password in its store."""

    password = store.meta(TLS_PASSWORD_META)
    if not password:
        raise SealedFileError(_("The hub store has no key password (was it made by 'sprechstunde-hub init'?)."))
    try:
        return serialization.load_pem_private_key((Path(folder) / tls.KEY_NAME).read_bytes(), password.encode())
    except (OSError, ValueError):
        raise SealedFileError(_("The hub's private key cannot be read.")) from None


def import_file(hub, private_key, path: Path) -> ImportSummary:
    """Verify and apply a sealed change file at the hub, in push batches (each all or nothing)."""

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SealedFileError(_("The file cannot be read: {reason}").format(reason=exc.strerror)) from None
    doc, doc_bytes, signature = unpack(data, private_key)
    if doc.get("hub") != hub.hub_id:
        raise SealedFileError(_("The file was made for another hub."))
    device_id = doc.get("device")
    device = storage.get_device(hub.conn, device_id) if isinstance(device_id, str) else None
    if device is None:
        raise SealedFileError(_("The file comes from a device that is not enrolled at this hub."))
    if not verify(device.public_key, signature, doc_bytes) or doc.get("replica") != device.replica_id:
        raise SealedFileError(_("The file's signature does not match its device; it was not imported."))
    if device.revoked_at is not None:
        raise SealedFileError(_("The device that wrote the file has been shut out; it was not imported."))
    out = ImportSummary(device.id, device.name, device.office, sha256=hashlib.sha256(data).hexdigest())
    rows = doc["rows"]
    for i in range(0, len(rows), P.PUSH_BATCH):
        try:
            res = hub.push(device, {"v": P.PROTOCOL, "rows": rows[i:i + P.PUSH_BATCH], "clock": doc.get("created")})
        except (P.ProtocolError, Refused, MergeError) as exc:
            raise SealedFileError(_("The file holds a change the hub refuses ({reason}); "
                                    "{done} of {total} changes were imported.").format(
                reason=getattr(exc, "reason", str(exc)), done=out.received, total=len(rows))) from None
        out.received += res["received"]
        out.new += res["new"]
        out.duplicates += res["duplicates"]
        out.conflicts += res["conflicts"]
    return out


# -- the hub's command ------------------------------------------------------------------
def hub_import(folder: Path, files: list[Path]) -> list[ImportSummary]:
    """Open the hub in `folder` (secret from the environment, as `sprechstunde-hub`) and import files."""

    store = storage.open_store(Path(folder))
    try:
        hub = Hub(store)
        key = hub_private_key(folder, store)
        results = []
        for f in files:
            try:
                results.append(import_file(hub, key, Path(f)))
            except SealedFileError as exc:  # name the file; the ones before it are imported
                raise SealedFileError(f"{f}: {exc}") from None
        return results
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    """`sprechstunde-hub import --dir DIR FILE...`: import sealed change files at the hub."""
    parser = argparse.ArgumentParser(
        prog="sprechstunde-hub import",
        description=_("import sealed change files written by 'sprechstunde export-changes'"))
    parser.add_argument("command", choices=["import"], help=argparse.SUPPRESS)
    parser.add_argument("--lang", metavar=_("LANG"), help=_("language of the messages (de, en); default de"))
    parser.add_argument("--dir", metavar=_("DIR"), help=_("hub folder (default: $SPRECHSTUNDE_HUB_DIR)"))
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    parser.add_argument("files", nargs="+", metavar=_("FILE"), help=_("sealed change files"))
    args = parser.parse_args(argv)
    try:
        results = hub_import(hub_dir(args.dir), [Path(f) for f in args.files])
    except (HubError, SealedFileError) as exc:
        print(f"sprechstunde-hub: {exc}", file=sys.stderr)
        return 1
    for r in results:
        if args.json:
            print(json.dumps(r.__dict__))
        else:
            print(_("{device} ({office}, {name}): {received} changes, {new} new, {known} already known, "
                    "{conflicts} conflicts; sha256 {sha}").format(
                device=r.device, office=label("office", r.office), name=r.device_name, received=r.received,
                new=r.new, known=r.duplicates, conflicts=r.conflicts, sha=r.sha256[:16]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
