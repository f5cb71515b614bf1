"""Deletion orders on the wire: the signed document the hub issues and every laptop applies.

An order is a canonical JSON text (sorted keys, ASCII) signed by the hub with
the private key of its TLS certificate (ECDSA P-256, SHA-256): the
certificate every laptop pinned at enrollment, so a laptop trusts exactly the
hub it enrolled at, and an order stays verifiable wherever it is stored.

    {"format": "sprechstunde-purge-order", "v": 1, "id": ..., "hub_id": ...,
     "issued_at": ms, "basis": "retention" | "erasure",
     "cases": [ids], "persons": [ids], "roots": [household ids], "entities": [ids]}

Only ids travel: no case number, name or reason (those stay in the hub's
deletion register). Endpoints (sync.hub.app): ``POST /v1/orders``
``{"v": 1}`` -> ``{"orders": [{"doc": text, "sig": base64}], "lease_days": n}``:
the orders this device has not confirmed; ``POST /v1/orders/confirm``
``{"v": 1, "ids": [...]}`` -> ``{"confirmed": n}``.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from app.replica.purge import Targets
from sync import protocol as P

FORMAT = "sprechstunde-purge-order"
BASES = ("retention", "erasure")
MAX_ORDER_IDS = 200_000  # ids in one order (1,000 cases are about 30,000)
MAX_ORDER_BYTES = 12 * 1024 * 1024


class OrderError(ValueError):
    """An order that is not well formed or not signed by the pinned hub."""


def canonical(doc: dict) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def make(order_id: str, hub_id: str, issued_at: int, basis: str, t: Targets) -> str:
    return canonical({"format": FORMAT, "v": 1, "id": order_id, "hub_id": hub_id, "issued_at": issued_at,
                      "basis": basis, "cases": sorted(t.cases), "persons": sorted(t.persons),
                      "roots": sorted(t.roots), "entities": sorted(t.entities)})


def sign(private_key, text: str) -> str:
    return P.b64(private_key.sign(text.encode("ascii"), ec.ECDSA(hashes.SHA256())))


def _ids(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_ORDER_IDS:
        raise OrderError("bad id list")
    for v in value:
        if type(v) is not str or not v or len(v) > P.MAX_ID:
            raise OrderError("bad id")
    return value


def verify(cert_pem: str, hub_id: str | None, text: Any, sig: Any) -> tuple[dict, Targets]:
    """Check an order's signature with the pinned certificate and its shape; returns (doc, targets)."""
    if type(text) is not str or type(sig) is not str or len(text) > MAX_ORDER_BYTES or len(sig) > 200:
        raise OrderError("malformed order")
    key = x509.load_pem_x509_certificate(cert_pem.encode()).public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise OrderError("the pinned certificate has no EC key")
    try:
        key.verify(P.unb64(sig), text.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, UnicodeEncodeError, P.ProtocolError):
        raise OrderError("the order is not signed by the hub this laptop enrolled at") from None
    doc = P.loads(text.encode("ascii"))
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("v") != 1:
        raise OrderError("not a deletion order")
    if hub_id and doc.get("hub_id") != hub_id:
        raise OrderError("the order is for another hub")
    if type(doc.get("id")) is not str or not doc["id"] or len(doc["id"]) > P.MAX_ID \
            or doc.get("basis") not in BASES or not P.is_seq(doc.get("issued_at")):
        raise OrderError("malformed order")
    return doc, Targets(_ids(doc.get("cases")), _ids(doc.get("persons")), _ids(doc.get("roots")),
                        _ids(doc.get("entities")))
