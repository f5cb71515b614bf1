"""The hub's self-signed TLS certificate and its fingerprint.

The certificate is what laptops pin at enrollment, so its SHA-256 fingerprint
(of the DER encoding) is printed by ``sprechstunde-hub init`` for the admin to
compare. The private key is written PEM-encrypted (PKCS#8, AES-256) with a
random password that lives only inside the hub's encrypted store, and the
file is created with mode 0600; uvicorn decrypts it with that password.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.paths import write_private
from sync.protocol import fingerprint_der, fingerprint_pem, normalize_fingerprint  # noqa: F401 (re-exported)

CERT_NAME = "hub-cert.pem"
KEY_NAME = "hub-key.pem"
VALID_DAYS = 3650


def create_certificate(folder: Path, names: list[str] | None = None,
                       now: dt.datetime | None = None) -> tuple[str, str]:
    """Write a new key and self-signed certificate into `folder`; returns (key password, fingerprint).

    Laptops pin it by fingerprint and do not check its dates; it still claims validity from a year
    before `now` (default: the current time), for other tools that look at it."""
    folder = Path(folder)
    key = ec.generate_private_key(ec.SECP256R1())
    hosts = list(dict.fromkeys((names or []) + ["localhost", socket.gethostname(), "127.0.0.1", "::1"]))
    alt: list[x509.GeneralName] = []
    for h in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            alt.append(x509.DNSName(h))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sprechstunde hub"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Integration Point Kreis Warendorf")])
    now = now or dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=365))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(32)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode()),
    )
    write_private(folder / KEY_NAME, key_pem)
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    (folder / CERT_NAME).write_bytes(cert_pem)
    return password, fingerprint_pem(cert_pem)
