"""Printed documents as PDF (reportlab, pure Python: no Qt here).

    from app.documents import render, file_name
    pdf = render(repo, "consent", case_number, "ar")

DOCUMENTS: consent, profiling, resources, slip, offer (a course seat held for the client),
handover, export. Every one is
bilingual (German + the client language), with Noto fonts embedded and
right-to-left text shaped and reordered (app.documents.text). File names and
PDF metadata never contain personal data: `file_name` uses the document kind,
the language and the date. See docs/documents.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from i18n import locale as loc

from . import builders, records
from .data import CaseData, CaseNotFound, load_case

DOCUMENTS: dict[str, Callable[..., bytes]] = {
    "consent": builders.consent,
    "profiling": builders.profiling,
    "resources": builders.resources,
    "slip": builders.slip,
    "offer": builders.offer,
    "handover": records.handover,
    "export": records.export,
}

__all__ = ["DOCUMENTS", "CaseData", "CaseNotFound", "load_case", "render", "render_data", "file_name"]


def render_data(document: str, data: CaseData, lang: str, **options) -> bytes:
    """PDF bytes of `document` for already loaded case data."""
    try:
        builder = DOCUMENTS[document]
    except KeyError:
        raise ValueError(f"unknown document {document!r}; one of {', '.join(DOCUMENTS)}") from None
    code = lang if lang.startswith(loc.PSEUDO_PREFIX) else loc.normalize(lang)  # pseudo: a layout check
    if code is None:
        raise ValueError(f"unknown language {lang!r}")
    return builder(data, code, **options)


def render(repo, document: str, case_number: str, lang: str, **options) -> bytes:
    """PDF bytes of `document` for the case with `case_number`; CaseNotFound if there is none."""
    return render_data(document, load_case(repo, case_number), lang, **options)


def file_name(document: str, lang: str, day: dt.date | None = None) -> str:
    """A file name without personal data, e.g. `consent_de-ar_2026-03-14.pdf`."""
    code = loc.normalize(lang) or lang
    langs = "de" if code == "de" else f"de-{code}"
    return f"{document}_{langs}_{(day or dt.date.today()).isoformat()}.pdf"
