"""The hub's self-signed TLS certificate and its fingerprint.

The certificate is what laptops pin at enrollment, so its SHA-256 fingerprint
(of the DER encoding) is printed by ``sprechstunde-hub init`` for the admin to
compare. The private key is written PEM-encrypted (PKCS#8, AES-256) with a
random password that lives only inside the hub's encrypted store, and the
file is created with mode 0600; uvicorn decrypts it with that password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import secrets
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CERT_NAME = "hub-cert.pem"
KEY_NAME = "hub-key.pem"
VALID_DAYS = 3650


def fingerprint_der(der: bytes) -> str:
    """SHA-256 of the DER certificate as colon-separated upper-case hex."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def fingerprint_pem(pem: bytes) -> str:
    return fingerprint_der(x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER))


def normalize_fingerprint(text: str) -> str:
    hexits = "".join(c for c in text.upper() if c in "0123456789ABCDEF")
    return ":".join(hexits[i:i + 2] for i in range(0, len(hexits), 2))


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


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (temporary file, fsync, rename)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
