"""The Art. 15 answer: besides the data, every section Art. 15 asks for, in German and in the client's
language (Arabic, Farsi): purposes, recipients and handovers with dates, retention periods, source,
the access log, the rights (with the supervisory authority of NRW) and the controller."""

import pytest

import i18n
from app.session import Session
from app.documents.sample import make_case

from .test_documents import _read, _words_in

SECTIONS = ("Purposes of the processing", "Recipients: consent per agency", "Recipients: handovers made",
            "How long your data is kept", "Source of the data", "Who accessed your data", "Your rights",
            "Controller", "Data protection officer")


@pytest.fixture
def session(store):
    s = Session(store.path)
    s.attach(store)
    return s


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_export_holds_every_art15_section_in_german_and_the_clients_language(session, repo, lang):
    number = make_case(repo, events=3)
    session.render_document("handover", number, "de", to_agency="JC")
    session.case_access(repo.find("case", case_number=number)[0]["id"])  # the case view opens it (a view)
    _reader, text = _read(session.render_document("export", number, lang))
    for msgid in SECTIONS:
        assert i18n.translate(msgid, "de") in text, msgid
        assert _words_in(i18n.translate(msgid, lang), text), (lang, msgid)
    assert "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen" in text
    assert "Kreis Warendorf" in text
    # the handover with its recipient, the accesses with their kind, the periods from the rules file
    assert "Jobcenter" in text.split(i18n.translate("Recipients: handovers made", "de"))[1]
    assert "gedruckt: Übergabebogen" in text and "angesehen" in text
    assert "36 Monate nach Abschluss des Falls" in text
    assert _words_in(i18n.translate("Your rights", lang), text)


def test_export_without_handovers_or_accesses_says_so(session, repo):
    number = make_case(repo, events=1)
    from app.documents import render

    _reader, text = _read(render(repo, "export", number, "ar"))
    assert "Es wurden keine Daten an eine andere Stelle übergeben." in text
    assert "Es ist kein Zugriff verzeichnet." in text
