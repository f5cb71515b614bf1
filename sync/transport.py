"""The client's HTTPS transport to the hub: certificate pinning, signing, errors people can act on.

The hub's certificate is fetched once at enrollment (and compared with the
fingerprint the administrator printed, when given) and stored in the laptop's
encrypted store. Afterwards TLS trusts exactly that certificate and nothing
else, whatever the laptop's date says (validity dates are not checked: the pin
is the exact certificate, and laptop clocks are wrong), so a different
certificate fails the handshake before any request body leaves the laptop; the
transport then looks at the certificate it was shown and reports "certificate
changed" with both fingerprints. A TLS failure with the pinned certificate
itself is not reported as a changed certificate.

Signed requests use hub time (local time plus the offset measured from
``/v1/health``), so a laptop whose clock is days off can still sync; the
offset is reported as clock skew.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import time
from urllib.parse import urlsplit

import httpx

from i18n import _, current_language
from i18n.locale import format_datetime
from sync import protocol as P

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class SyncError(Exception):
    """A sync problem with a message for people (translated)."""

    code = "error"


class HubUnreachable(SyncError):
    code = "unreachable"


class CertificateChanged(SyncError):
    code = "certificate_changed"


class DeviceRevoked(SyncError):
    code = "revoked"


class Refused(SyncError):
    code = "refused"

    def __init__(self, message: str, status: int, reason_code: str):
        super().__init__(message)
        self.status, self.reason_code = status, reason_code


def split_url(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port  # a ValueError for a port out of range or not a number
    except ValueError:
        raise SyncError(_("The hub address {url} is not valid (for example https://hub.example:8443).").format(
            url=url)) from None
    if parts.scheme != "https" or not parts.hostname:
        raise SyncError(_("The hub address must start with https:// (for example https://hub.example:8443)."))
    return parts.hostname, port or 443


def fetch_certificate(url: str, timeout: float = 5.0) -> str:
    """The PEM certificate the hub at `url` presents (no verification: we pin what we see)."""
    host, port = split_url(url)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            with ctx.wrap_socket(sock, server_hostname=host) as tls_sock:
                der = tls_sock.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError) as exc:
        raise HubUnreachable(_("The hub cannot be reached ({detail}).").format(detail=_short(exc))) from None
    if der is None:  # a TLS server always sends one; None only if the handshake had none
        raise HubUnreachable(_("The hub cannot be reached ({detail}).").format(detail="no certificate presented"))
    return ssl.DER_cert_to_PEM_cert(der)


def pinned_context(cert_pem: str) -> ssl.SSLContext:
    """A TLS context that trusts only this one self-signed certificate."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False  # the pin is the exact certificate, whatever name we dialled
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.verify_flags |= NO_CHECK_TIME  # trusted by fingerprint, whatever the laptop's date
    ctx.load_verify_locations(cadata=cert_pem)
    return ctx


NO_CHECK_TIME = 0x200000  # OpenSSL's X509_V_FLAG_NO_CHECK_TIME (Python's ssl has no name for it)


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:160]


class Transport:
    """Requests to one hub over a pinned TLS connection (kept alive between requests)."""

    def __init__(self, url: str, cert_pem: str, device_id: str | None = None, key=None,
                 wall=time.time, timeout=TIMEOUT):
        split_url(url)
        self.url = url.rstrip("/")
        self.cert_pem = cert_pem
        self.fingerprint = P.fingerprint_pem(cert_pem.encode())
        self.device_id = device_id
        self.key = key
        self.wall = wall
        self.offset_ms = 0  # hub time minus local time
        self.bytes_sent = 0
        self.bytes_received = 0
        self._client = httpx.Client(base_url=self.url, verify=pinned_context(cert_pem), timeout=timeout,
                                    headers={"content-type": "application/json"})

    def close(self) -> None:
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- requests ------------------------------------------------------------------
    def _send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> httpx.Response:
        try:
            r = self._client.request(method, path, content=body, headers=headers)
        except httpx.ConnectError as exc:
            if _is_cert_error(exc):
                self._raise_cert_error(exc)
            raise HubUnreachable(_("The hub cannot be reached ({detail}).").format(detail=_short(exc))) from None
        except httpx.TransportError as exc:  # timeouts, dropped connections
            raise HubUnreachable(_("The connection to the hub was interrupted ({detail}).").format(
                detail=_short(exc))) from None
        self.bytes_sent += len(body or b"") + 200  # headers: a rough fixed estimate
        self.bytes_received += len(r.content) + 100
        return r

    def _raise_cert_error(self, exc: BaseException):
        try:
            seen = P.fingerprint_pem(fetch_certificate(self.url).encode())
        except SyncError:
            seen = "?"
        raise certificate_error(seen, self.fingerprint, exc, self.wall())

    def _decode(self, r: httpx.Response):
        try:
            doc = r.json()
        except ValueError:
            doc = None
        if r.status_code == 200 and isinstance(doc, dict):
            return doc
        code = doc.get("error", "") if isinstance(doc, dict) else ""
        reason = doc.get("reason", "") if isinstance(doc, dict) else r.text[:200]
        if r.status_code == 403 and code == "revoked":
            raise DeviceRevoked(_("This laptop has been shut out by the hub ({reason}). "
                                  "Ask the central office to enroll it again.").format(reason=reason))
        if r.status_code == 403 and code == "out_of_scope":
            raise Refused(_("The hub refused changes to households of another office that this laptop may not "
                            "change ({reason}). Nothing of this push was saved; ask the central office.").format(
                reason=reason), r.status_code, code)
        if code == "stamp_ahead":
            raise Refused(_("The hub refused changes stamped too far in the future ({reason}). The clock of this "
                            "laptop is probably wrong: please correct date and time and ask the central office; "
                            "nothing of this push was saved.").format(reason=reason), r.status_code, code)
        if code in ("replica_taken", "replica_mismatch"):
            raise Refused(_("The hub refused to enroll this laptop ({reason}). Ask the central office for a "
                            "code that re-enrolls this laptop.").format(reason=reason), r.status_code, code)
        raise Refused(_("The hub refused the request ({status} {code}: {reason}).").format(
            status=r.status_code, code=code, reason=reason), r.status_code, code)

    def health(self) -> dict:
        t0 = self.wall()
        r = self._send("GET", f"{P.PREFIX}/health")
        t1 = self.wall()
        doc = self._decode(r)
        if P.is_seq(doc.get("time")):  # an int of at most 63 bits (not a bool, not 5,000 digits)
            self.offset_ms = int(doc["time"] - (t0 + t1) * 500)
        return doc

    def hub_time_ms(self) -> int:
        return int(self.wall() * 1000) + self.offset_ms

    def post(self, path: str, doc: dict, signed: bool = True) -> dict:
        body = P.dumps(doc)
        full = f"{P.PREFIX}{path}"
        headers = None
        if signed:
            if self.device_id is None or self.key is None:
                raise ValueError("a signed request needs the device id and key of an enrolled laptop")
            headers = P.sign_headers(self.key, self.device_id, "POST", full, body, self.hub_time_ms())
        return self._decode(self._send("POST", full, body, headers))


class ClockWrong(SyncError):
    code = "clock_wrong"


def certificate_error(seen: str, expected: str, exc: BaseException, now: float) -> SyncError:
    """What a failed TLS check of the pinned hub means: a changed certificate only when the hub showed
    another one; a date check failing on the pinned certificate itself means this laptop's clock is off."""
    if seen != expected:
        return CertificateChanged(_(
            "The hub presented a different certificate than at enrollment (seen {seen}, expected {expected}). "
            "Do not sync; ask the central office.").format(seen=seen, expected=expected))
    text = str(exc).lower()
    if "not yet valid" in text or "expired" in text:
        return ClockWrong(_("The clock of this laptop is wrong (it says {date}): the hub's certificate is "
                            "not valid at that date. Please correct date and time.").format(
            date=format_datetime(dt.datetime.fromtimestamp(now), current_language(), "short")))
    return HubUnreachable(_("The secure connection to the hub failed ({detail}); the hub's certificate is "
                            "the one pinned at enrollment.").format(detail=_short(exc)))


def _is_cert_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(cur):
            return True
        cur = cur.__cause__ or cur.__context__
    return False
