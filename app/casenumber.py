"""Human-readable case numbers that stay unique across offline laptops.

Format `OFF-YY-DDDD-NNNN`: office code, two-digit year, four characters
derived from the device id (base 32, no look-alike letters) and a per-device
counter kept in the store's meta table. Two laptops never issue the same
number because their device part differs; the number is derived, the case's
UUID stays its identity.
"""

from __future__ import annotations

import datetime as _dt

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def device_part(device_id: str) -> str:
    n = int(device_id[:8], 16)
    return "".join(ALPHABET[(n >> (5 * i)) & 31] for i in range(4))


def format_case_number(office: str, year: int, device_id: str, seq: int) -> str:
    return f"{office}-{year % 100:02d}-{device_part(device_id)}-{seq:04d}"


def next_case_number(store, office: str, today: _dt.date | None = None) -> str:
    """Reserve the next number for this device (call inside the write transaction)."""
    seq = int(store.meta("case_seq", "0")) + 1
    store.set_meta("case_seq", str(seq))
    return format_case_number(office, (today or _dt.date.today()).year, store.device_id, seq)
