"""The wire protocol between laptops and the hub: versioned JSON over HTTPS.

Endpoints (all under /v1, bodies are compact UTF-8 JSON):

* ``GET  /v1/health`` (unsigned): ``{"status": "ok", "protocol": 1, "time": ms}``;
  the client also derives its clock offset from ``time``.
* ``POST /v1/enroll`` (unsigned, protected by the one-time code):
  ``{"code", "public_key", "replica_id", "name", "proof"}`` ->
  ``{"device_id", "office", "name", "hub_id"}``. ``proof`` is the device key's
  signature over ``enroll|code|replica_id`` (proves possession of the key).
* ``POST /v1/hello`` (signed): ``{}`` -> device, office, hub time, hub max seq.
* ``POST /v1/push`` (signed): ``{"v": 1, "rows": [[...PUSH_COLS...], ...]}``
  -> ``{"received", "new", "seq"}``. Rows are the device's own changes; the
  device id is implied by the signature (a device only authors its own changes).
* ``POST /v1/pull`` (signed): ``{"v": 1, "cursor": seq, "limit": n}`` ->
  ``{"rows": [[...PULL_COLS...]], "cursor": seq, "more": bool, "removed": [root ids]}``.

Signed requests carry the headers ``x-sp-device``, ``x-sp-time`` (ms, hub time
as the client estimates it), ``x-sp-nonce`` (random hex) and ``x-sp-signature``
(base64 Ed25519 over `signing_input`). The hub rejects a bad signature,
a timestamp outside ``MAX_SKEW_MS`` and any nonce it has seen.

Errors are ``{"error": code, "reason": text}`` with a 4xx status.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app import schema
from app.changelog import Change
from app.hlc import Stamp

PROTOCOL = 1
PREFIX = "/v1"
MAX_SKEW_MS = 5 * 60 * 1000  # signed request timestamps must be this close to hub time
MAX_BODY = 16 * 1024 * 1024  # bytes of one request body
MAX_ROWS = 20_000  # changes in one push
PUSH_BATCH = 5000  # changes the client sends per push
PULL_PAGE = 5000  # changes the hub returns per pull page
MAX_ID = 64  # longest id / field name we accept
MAX_VALUE = 256 * 1024  # longest JSON value of one field (bytes, encoded)
MAX_PREV = 4096  # prev_hlc may list several stamps (a resolved conflict), see sync.merge
PREV_SEP = ","

PUSH_COLS = ("hlc", "entity", "entity_id", "field", "value", "prev_hlc", "staff_id", "root_id")
PULL_COLS = ("hlc", "entity", "entity_id", "field", "value", "prev_hlc", "device_id", "staff_id", "root_id")

H_DEVICE, H_TIME, H_NONCE, H_SIG = "x-sp-device", "x-sp-time", "x-sp-nonce", "x-sp-signature"


class ProtocolError(ValueError):
    """Malformed input; the message is the reason sent back with a 400."""


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("body is not JSON") from None


# -- keys and signatures -------------------------------------------------------
def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise ProtocolError("bad base64") from None


def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_private(raw: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(raw)


def signing_input(method: str, path: str, body: bytes, time_ms: int | str, nonce: str, device: str) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"sprechstunde/{PROTOCOL}\n{method.upper()}\n{path}\n{digest}\n{time_ms}\n{nonce}\n{device}".encode()


def sign_headers(key: Ed25519PrivateKey, device: str, method: str, path: str, body: bytes,
                 time_ms: int) -> dict[str, str]:
    nonce = os.urandom(16).hex()
    sig = key.sign(signing_input(method, path, body, time_ms, nonce, device))
    return {H_DEVICE: device, H_TIME: str(time_ms), H_NONCE: nonce, H_SIG: b64(sig)}


def verify(public_key: bytes, signature: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(unb64(signature), message)
        return True
    except (InvalidSignature, ValueError, ProtocolError):
        return False


def enroll_proof_input(code: str, replica_id: str) -> bytes:
    return f"sprechstunde/{PROTOCOL}\nenroll\n{code}\n{replica_id}".encode()


# -- change rows -----------------------------------------------------------------
def push_row(c: Change) -> list:
    return [c.hlc, c.entity, c.entity_id, c.field, c.value, c.prev_hlc, c.staff_id, c.root_id]


def pull_row(c: Change) -> list:
    return [c.hlc, c.entity, c.entity_id, c.field, c.value, c.prev_hlc, c.device_id, c.staff_id, c.root_id]


def change_from_pull_row(row: list) -> Change:
    return _checked(row, len(PULL_COLS), device=None)


def change_from_push_row(row: list, device: str) -> Change:
    """A pushed row as a Change authored by `device` (the replica id of the signer)."""
    return _checked([*row[:6], device, *row[6:]] if isinstance(row, list) and len(row) == 8 else row,
                    len(PULL_COLS), device=device)


def _ident(value: Any, what: str, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise ProtocolError(f"bad {what}")


def _checked(row: Any, width: int, device: str | None) -> Change:
    if not isinstance(row, list) or len(row) != width:
        raise ProtocolError("a change row has the wrong shape")
    hlc, ent_name, entity_id, field, value, prev_hlc, device_id, staff_id, root_id = row
    ent = schema.ENTITIES.get(ent_name) if isinstance(ent_name, str) else None
    if ent is None:
        raise ProtocolError(f"unknown entity {str(ent_name)[:40]!r}")
    _ident(entity_id, "entity id")
    f = ent.field_map.get(field) if isinstance(field, str) else None
    if f is None:
        raise ProtocolError(f"unknown field {ent_name}.{str(field)[:40]}")
    stamp = _stamp(hlc)
    if prev_hlc is not None:
        if not isinstance(prev_hlc, str) or len(prev_hlc) > MAX_PREV:
            raise ProtocolError("bad previous stamp")
        for p in prev_hlc.split(PREV_SEP):
            _stamp(p)
    _ident(device_id, "device id")
    if stamp.device != device_id:
        raise ProtocolError("stamp and device do not match")
    if device is not None and device_id != device:
        raise ProtocolError("a device may only push its own changes")
    _ident(staff_id, "staff id", optional=True)
    _ident(root_id, "root id", optional=True)
    if ent.root is None and root_id is not None:
        raise ProtocolError("global entity with a root")
    if ent.root == "id" and root_id != entity_id:
        raise ProtocolError("household root must be its own id")
    _check_value(f, value)
    return Change(hlc, ent_name, entity_id, field, value, prev_hlc, device_id, staff_id, root_id)


def _stamp(text: Any) -> Stamp:
    if not isinstance(text, str) or len(text) > 13 + 1 + 4 + 1 + MAX_ID:
        raise ProtocolError("bad stamp")
    try:
        return Stamp.parse(text)
    except ValueError:
        raise ProtocolError("bad stamp") from None


_TEXT_KINDS = (schema.TEXT, schema.DATE, schema.PDATE, schema.DATETIME, schema.REF)


def _check_value(f: schema.Field, value: Any) -> None:
    if value is None:
        return
    kind = f.kind
    if kind in _TEXT_KINDS:
        ok = isinstance(value, str) and len(value) <= MAX_VALUE
    elif kind == schema.INT:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == schema.BOOL:
        ok = isinstance(value, bool)
    else:  # JSON
        ok = isinstance(value, (list, dict, str, int, float, bool)) and len(dumps(value)) <= MAX_VALUE
    if not ok:
        raise ProtocolError(f"bad value for {f.name}")
