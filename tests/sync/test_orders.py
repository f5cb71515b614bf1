"""Deletion orders are obeyed only when signed by the hub's certificate the laptop pinned."""

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.replica.purge import Targets
from sync import orders


def _hub_key():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hub")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(dt.datetime(2026, 1, 1)).not_valid_after(dt.datetime(2030, 1, 1))
            .sign(key, hashes.SHA256()))
    return key, cert.public_bytes(serialization.Encoding.PEM).decode()


def test_a_signed_order_verifies_and_gives_its_targets():
    key, pem = _hub_key()
    text = orders.make("o1", "hub-1", 5, "erasure", Targets(["c"], ["p"], ["h"], []))
    doc, t = orders.verify(pem, "hub-1", text, orders.sign(key, text))
    assert doc["basis"] == "erasure" and (t.cases, t.persons, t.roots) == (["c"], ["p"], ["h"])


@pytest.mark.parametrize("attack", ["other_key", "edited", "other_hub", "not_an_order"])
def test_forged_edited_or_misdirected_orders_are_refused(attack):
    key, pem = _hub_key()
    text = orders.make("o1", "hub-1", 5, "retention", Targets(["c"], [], [], []))
    sig = orders.sign(key, text)
    hub_id = "hub-1"
    if attack == "other_key":
        sig = orders.sign(_hub_key()[0], text)
    elif attack == "edited":
        text = text.replace('"c"', '"d"')
    elif attack == "other_hub":
        hub_id = "hub-2"
    else:
        text = orders.canonical({"format": "x", "v": 1})
        sig = orders.sign(key, text)
    with pytest.raises(orders.OrderError):
        orders.verify(pem, hub_id, text, sig)
