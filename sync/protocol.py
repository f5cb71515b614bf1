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
import math
import os
import re
from typing import Any, TypeGuard

from cryptography.exceptions import InvalidSignature
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app import schema
from app.replica.changelog import PULL_ROW_SQL, PUSH_ROW_SQL, Change  # noqa: F401  (the wire rows, re-exported)
from app.replica.merge import PREV_SEP

PROTOCOL = 1
PREFIX = "/v1"
MAX_SKEW_MS = 5 * 60 * 1000  # signed request timestamps must be this close to hub time
MAX_BODY = 16 * 1024 * 1024  # bytes of one request body
MAX_ROWS = 50_000  # changes in one push
PUSH_BATCH = 50_000  # changes the client sends per push (fewer, larger hub transactions)
PUSH_BYTES = 12 * 1024 * 1024  # ... and at most this many bytes (UTF-8) of rows: under MAX_BODY
PULL_PAGE = 5000  # changes the hub returns per pull page
MAX_ID = 64  # longest id / field name we accept
MAX_VALUE = 256 * 1024  # longest JSON value of one field (bytes, encoded)
MAX_PREV = 4096  # prev_hlc may list several stamps (a resolved conflict), see app.replica.merge
MAX_SEQ = 2 ** 63 - 1  # cursors and seqs are SQLite integers
MAX_JSON_DEPTH = 16  # nesting of a JSON-kind field value (answers, language lists)
# Stamps ahead of hub time: the hub refuses a pushed change stamped more than STAMP_MARGIN_MS past
# the device's own clock (which the push declares, as measured against hub time), and never more
# than MAX_CLOCK_AHEAD_MS past hub time whatever the device declares; laptops hold back pulled
# stamps beyond the same bound (the hub announces its settings in /hello).
STAMP_MARGIN_MS = 5 * 60 * 1000
MAX_CLOCK_AHEAD_MS = 30 * 86_400_000

PUSH_COLS = ("hlc", "entity", "entity_id", "field", "value", "prev_hlc", "staff_id", "root_id")
PULL_COLS = ("hlc", "entity", "entity_id", "field", "value", "prev_hlc", "device_id", "staff_id", "root_id")

H_DEVICE, H_TIME, H_NONCE, H_SIG = "x-sp-device", "x-sp-time", "x-sp-nonce", "x-sp-signature"


class ProtocolError(ValueError):
    """Malformed input; the message is the reason sent back with a 400."""


class RawRows(list):
    """Change rows already encoded as JSON texts (SQLite's json_array builds them without Python objects).

    An item may also be several such texts joined by "," (the client's push batch is one text)."""


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON; a dict whose "rows" is RawRows gets them spliced in as they are."""
    if isinstance(obj, dict) and isinstance(obj.get("rows"), RawRows):
        rest = {k: v for k, v in obj.items() if k != "rows"}
        head = json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[:-1]
        return f'{head}{"," if rest else ""}"rows":[{",".join(obj["rows"])}]}}'.encode("utf-8")
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")




def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):  # 1e400: JSON allows the text, but it cannot be served again
        raise ValueError("number out of range")
    return value


def loads(body: bytes) -> Any:
    """Strict JSON: no NaN or Infinity (neither written nor overflowing like 1e400), bounded nesting.

    Integers longer than Python's digit limit (4,300) are refused as well."""
    try:
        return json.loads(body, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError("body is not JSON") from None


def is_seq(x: Any) -> TypeGuard[int]:
    """A change-log seq or cursor: an int (not a bool) in 0 .. MAX_SEQ."""
    return type(x) is int and 0 <= x <= MAX_SEQ


def json_value_ok(value: Any, depth: int = 0) -> bool:
    """A JSON-kind field value: finite numbers, integers in SQLite's range, bounded nesting and text."""
    t = type(value)
    if t is str:
        return len(value) <= MAX_VALUE
    if t is bool or value is None:
        return True
    if t is int:
        return -(2 ** 63) <= value < 2 ** 63
    if t is float:
        return math.isfinite(value)
    if depth >= MAX_JSON_DEPTH:
        return False
    if t is list:
        return len(value) <= MAX_ROWS and all(json_value_ok(v, depth + 1) for v in value)
    if t is dict:
        return len(value) <= MAX_ROWS and all(
            len(k) <= MAX_ID * 4 and json_value_ok(v, depth + 1) for k, v in value.items())
    return False


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


# -- the hub's certificate: what laptops pin -------------------------------------
def fingerprint_der(der: bytes) -> str:
    """SHA-256 of the DER certificate as colon-separated upper-case hex."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def fingerprint_pem(pem: bytes) -> str:
    return fingerprint_der(x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER))


def normalize_fingerprint(text: str) -> str:
    hexits = "".join(c for c in text.upper() if c in "0123456789ABCDEF")
    return ":".join(hexits[i:i + 2] for i in range(0, len(hexits), 2))


# -- change rows -----------------------------------------------------------------
def push_row(c: Change) -> list:
    return [c.hlc, c.entity, c.entity_id, c.field, c.value, c.prev_hlc, c.staff_id, c.root_id]


def pull_row(c: Change) -> list:
    return [c.hlc, c.entity, c.entity_id, c.field, c.value, c.prev_hlc, c.device_id, c.staff_id, c.root_id]


def change_from_pull_row(row: list) -> Change:
    return changes_from_rows([row], None)[0]


def change_from_push_row(row: list, device: str) -> Change:
    """A pushed row as a Change authored by `device` (the replica id of the signer)."""
    return changes_from_rows([row], device)[0]


_STAMP_RE = re.compile(r"\d{13}-[0-9a-f]{4}-([^,\s]{1,%d})" % MAX_ID)


def changes_from_rows(rows: Any, device: str | None) -> list[Change]:
    """Check change rows and make Changes; raises ProtocolError naming the first problem.

    With `device` (a push) rows have PUSH_COLS and are authored by that device;
    without it (a pull) rows have PULL_COLS. Hot path of the hub: keep it lean.
    """
    if not isinstance(rows, list):
        raise ProtocolError("rows must be a list")
    out: list[Change] = []
    append = out.append
    width = len(PUSH_COLS) if device is not None else len(PULL_COLS)
    fields = _FIELDS
    match = _STAMP_RE.fullmatch
    new = tuple.__new__  # a Change without the NamedTuple constructor's Python-level call
    for row in rows:
        if type(row) is not list or len(row) != width:
            raise ProtocolError("a change row has the wrong shape")
        if device is not None:
            hlc, ent_name, entity_id, field, value, prev_hlc, staff_id, root_id = row
            device_id = device
        else:
            hlc, ent_name, entity_id, field, value, prev_hlc, device_id, staff_id, root_id = row
        try:
            value_ok, root = fields[(ent_name, field)]
        except (KeyError, TypeError):
            raise ProtocolError(f"unknown field {str(ent_name)[:40]}.{str(field)[:40]}") from None
        m = match(hlc) if type(hlc) is str else None
        if m is None:
            raise ProtocolError("bad stamp")
        if m.group(1) != device_id:
            raise ProtocolError("a device may only push its own changes" if device is not None
                                else "stamp and device do not match")
        if type(entity_id) is not str or not entity_id or len(entity_id) > MAX_ID:
            raise ProtocolError("bad entity id")
        if prev_hlc is not None:
            if type(prev_hlc) is not str or len(prev_hlc) > MAX_PREV:
                raise ProtocolError("bad previous stamp")
            if PREV_SEP in prev_hlc:
                for p in prev_hlc.split(PREV_SEP):
                    if match(p) is None:
                        raise ProtocolError("bad previous stamp")
            elif match(prev_hlc) is None:
                raise ProtocolError("bad previous stamp")
        if staff_id is not None and (type(staff_id) is not str or len(staff_id) > MAX_ID):
            raise ProtocolError("bad staff id")
        if root is None:
            if root_id is not None:
                raise ProtocolError("global entity with a root")
        elif root == "id":
            if root_id != entity_id:
                raise ProtocolError("household root must be its own id")
        elif root_id is not None and (type(root_id) is not str or not root_id or len(root_id) > MAX_ID):
            raise ProtocolError("bad root id")
        elif field == root and value != root_id and device is not None:
            raise ProtocolError("the root id must be the household the change names")  # the hub scopes by it
        if value is not None and not (type(value) is str and len(value) <= MAX_VALUE
                                      if value_ok is None else value_ok(value)):
            raise ProtocolError(f"bad value for {field}")
        append(new(Change, (hlc, ent_name, entity_id, field, value, prev_hlc, device_id, staff_id, root_id)))
    return out


_TEXT_KINDS = (schema.TEXT, schema.DATE, schema.PDATE, schema.DATETIME, schema.REF)
_VALUE_OK = {
    **{k: (lambda v: type(v) is str and len(v) <= MAX_VALUE) for k in _TEXT_KINDS},
    schema.INT: lambda v: type(v) is int and -(2 ** 63) <= v < 2 ** 63,
    schema.BOOL: lambda v: type(v) is bool,
    # JSON values: finite, in range, nested at most MAX_JSON_DEPTH; their size is bounded by the body limit
    schema.JSON: lambda v: v is not None and json_value_ok(v),
}
_FIELD_KINDS = {(e.name, f.name): (f.kind, e.root) for e in schema.ENTITIES.values() for f in e.fields}
# (entity, field) -> (value check, or None for a text kind: checked inline; root column)
_FIELDS = {k: (None if kind in _TEXT_KINDS else _VALUE_OK[kind], root) for k, (kind, root) in _FIELD_KINDS.items()}
