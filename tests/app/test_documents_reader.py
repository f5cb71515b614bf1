"""Documents as their reader reads them: dates, digits, lists and punctuation of the column's language,
values isolated, no English in a client column, gendered texts (ar), refused consent shown as refused."""

import re
import unicodedata

import pytest

import i18n
from app.documents import DOCUMENTS, render
from app.documents.sample import make_case
from app.responses import answer_id
from i18n import catalogs
from i18n import locale as loc

ARABIC_SCRIPT = "\u0600-\u06ff"
ARABIC_WORD = "\u0620-\u064a\u0671-\u06d3\u06f0-\u06ff"  # letters and Persian digits, no punctuation
PERSIAN_DIGITS = "\u06f0-\u06f9"


def _add_answers(repo, number):
    """An intake (dates, a number, a German note with a full stop) and a social profiling (a list)."""
    case = repo.find("case", case_number=number)[0]
    base = {"household_id": case["household_id"], "case_id": case["id"]}
    answers = {
        "intake": {"country_of_origin": "iraq", "interpreter_needed": True, "interpreter_language": "Arabisch",
                   "residence_status": "gestattung", "entry_date": "2025-08", "asylum_application_date": "2025-09-01",
                   "accommodation": "reception", "household_size": 1234, "referred_by": "sozialamt",
                   "remarks": "Termin beim IFK am 12.11."},
        "profiling_social": {"appeared": "on_time", "impression": ["cooperative", "interested", "open"],
                             "available_for_work": True, "wants_work": True},
    }
    with repo.transaction():
        for form_id, values in answers.items():
            rid = repo.save("form_response", {**base, "form_id": form_id, "form_version": 1, "date": "2026-03-03",
                                              "recorded_by": repo.staff_id, "completed": True})
            for key, value in values.items():
                repo.save("answer", {"household_id": base["household_id"], "response_id": rid, "key": key,
                                     "value": value}, answer_id(rid, key))


@pytest.fixture
def number(repo):
    n = make_case(repo, events=3)
    _add_answers(repo, n)
    return n


class Column:
    """Text of a PDF by column, left and right of the page's middle, as PDFium extracts it
    (pypdf reorders runs of Persian digits by its own heuristics: ۲۰۲۶ came out as ۶۲۰۲)."""

    def __init__(self, pdf: bytes):
        import pypdfium2

        self.left: list[str] = []
        self.right: list[str] = []
        doc = pypdfium2.PdfDocument(pdf)
        for page in doc:
            w, h = page.get_size()
            tp = page.get_textpage()
            for half, (x0, x1) in ((self.left, (0, w / 2 - 5)), (self.right, (w / 2 - 5, w))):
                text = unicodedata.normalize("NFKC", tp.get_text_bounded(left=x0, bottom=0, right=x1, top=h))
                half.extend(" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines())

    @property
    def client(self) -> str:
        return "\n".join(self.right)

    @property
    def german(self) -> str:
        return "\n".join(self.left)


def _plain(text: str) -> str:
    text = text.translate(dict.fromkeys(map(ord, "\u200e\u200f\u2068\u2069\u061c")))
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.mark.parametrize("lang", ["fa", "ar", "ti", "uk"])
def test_a_date_a_number_and_a_list_in_the_readers_format(repo, number, lang):
    cols = Column(render(repo, "export", number, lang))
    client = cols.client
    date = _plain(loc.format_date("2025-09-01", lang, "medium"))
    words = [w for w in re.split(r"[\s/]+", date) if w]
    assert all(w in client for w in words), (date, client[:400])
    assert _plain(loc.format_number(1234, lang).replace("\xa0", " ")) in client
    sep = loc.comma(lang).strip()
    if lang in ("fa", "ar"):
        assert sep == "\u060c" and sep in client
    assert "2025-09-01" not in client and "2025-09-01" not in cols.german
    assert "01.09.2025" in cols.german and "1.234" in cols.german  # German format in the German column


def test_tigrinya_dates_are_day_first():
    assert loc.format_date("2027-01-11", "ti", "short") == "11/01/2027"  # not 1/11/27: read as 1 November
    assert loc.format_date("2027-01-11", "ti", "medium").startswith("11 ")


def test_farsi_has_one_kind_of_digit_in_formatted_values(repo, number):
    client = Column(render(repo, "export", number, "fa")).client
    assert re.search(f"[{PERSIAN_DIGITS}]", client)
    assert not re.search(f"[0-9][{PERSIAN_DIGITS}]|[{PERSIAN_DIGITS}][0-9]", client)
    assert "۱ سپتامبر ۲۰۲۵" in client and "۳ مارس ۲۰۲۶" in client  # dates in Persian digits
    assert "۱٬۲۳۴" in client and "1234" not in client  # a number too
    assert "۷" in client  # years of work experience (a number inside a record)


@pytest.mark.parametrize("lang", ["ar", "fa", "fa_AF", "ps"])
def test_no_latin_comma_between_arabic_script_words(repo, number, lang):
    for document in DOCUMENTS:
        client = Column(render(repo, document, number, lang)).client
        bad = re.findall(f"[{ARABIC_WORD}] ?,|, ?[{ARABIC_WORD}]", client)
        assert not bad, (document, bad)


def test_a_note_keeps_its_full_stop_at_its_end_in_farsi(repo, number):
    client = Column(render(repo, "export", number, "fa")).client
    assert "Termin beim IFK am 12.11." in client and ".Termin" not in client


def _english_sentences() -> list[str]:
    """Msgids of the forms catalog that are English and not also German or a name (two words or more)."""
    out = []
    for msg in catalogs.load_po(catalogs.pot_path("forms")):
        mid = msg.id
        if not mid or isinstance(mid, (list, tuple)) or "{" in mid or len(mid.split()) < 2:
            continue
        if mid == i18n.translate(mid, "de"):
            continue
        out.append(mid)
    return out


@pytest.mark.parametrize("lang", [lang.code for lang in loc.form_languages() if lang.code not in ("en",)])
def test_no_client_column_holds_english(repo, number, lang):
    sentences = _english_sentences()
    for document in DOCUMENTS:
        cols = Column(render(repo, document, number, lang))
        text = _plain(cols.client + "\n" + cols.german)
        found = [s for s in sentences if s in text and s not in i18n.translate(s, lang)]
        assert not found, (document, found[:5])


@pytest.fixture
def pashto_without_title(tmp_path, monkeypatch):
    """The catalogs copied, the Pashto title of the consent form taken out (every form text of Pashto is
    drafted, so a missing one is made here)."""
    import shutil

    target = tmp_path / "locale"
    shutil.copytree(catalogs.LOCALE_DIR, target)
    path = target / "ps" / "LC_MESSAGES" / "forms.po"
    cat = catalogs.load_po(path, "ps")
    cat["Consent declaration"].string = ""
    catalogs.save_po(cat, path)
    monkeypatch.setattr(i18n, "LOCALE_DIR", target)
    i18n.reload()
    yield
    i18n.reload()


def test_a_missing_translation_prints_the_marked_german_text(repo, number, pashto_without_title):
    assert not i18n.has_translation("Consent declaration", "ps")
    client = Column(render(repo, "consent", number, "ps")).client
    assert "Einverständniserklärung" in client and "Consent declaration" not in client
    # "German" in Pashto, in brackets, marks the stand-in (PDFium gives the brackets of an
    # all-Arabic-script line back in either orientation)
    assert re.search(r"[\[\]]الماني[\[\]]", client), client[:300]


def test_dari_reads_farsi_texts_and_its_own_month_names():
    assert i18n.translate("Date", "prs") == i18n.translate("Date", "fa")
    assert "جنوری" in loc.format_date("2027-01-11", "prs", "long")  # Afghan month name, not ژانویه
    assert loc.normalize("prs") == "fa_AF" and loc.native_name("prs") == "دری"


def test_arabic_agrees_with_a_woman_and_a_man(repo, number):
    from app.documents import load_case

    data = load_case(repo, number)
    wife = next(m for m in data.members if m.get("given_names") == "Amira")
    wife_case = repo.find("case", person_id=wife["id"])[0]["case_number"]
    texts = {}
    for who, case_number in (("m", number), ("f", wife_case)):
        texts[who] = Column(render(repo, "consent", case_number, "ar")).client
    assert i18n.translate("Signature of the client", "ar", "f") != i18n.translate("Signature of the client", "ar", "m")
    def bare(text):  # vowel marks aside: the extracted text may place them apart
        return re.sub(r"[\u064b-\u0652\s]", "", text)

    for who in ("f", "m"):  # the client's signature line holds the letters of the form for her or him
        expected = bare(i18n.translate("Signature of the client", "ar", who))
        line = next(bare(line) for line in texts[who].splitlines()
                    if "توقيع" in bare(line) or "عيقوت" in bare(line) if "الموظف" not in line and "المترجم" not in line)
        assert sorted(line) == sorted(expected), who
    assert i18n.translate("Wants to work", "ar") == "الرغبة في العمل"  # neutral for anyone else


@pytest.mark.parametrize("lang", ["ps", "uk"])
def test_language_names_the_form_offers_are_translated(repo, number, lang):
    """The profiling stores a language the form offers by its catalog name ("Arabic"): each column
    names it in its own language; a name staff typed in stays as written."""
    cols = Column(render(repo, "profiling", number, lang))
    german, client = _plain(cols.german), _plain(cols.client)
    assert "Arabisch" in german and "Deutsch" in german
    assert "Arabic" not in german + client and "German" not in german + client
    arabic = i18n.translate("Arabic", lang)
    assert all(w in client for w in arabic.split()), (arabic, client[:300])


def test_pashto_agrees_with_a_woman_and_a_man(repo, number):
    """Pashto past-tense verbs and adjectives agree with the client: راغی / راغله, لېوال / لېواله."""
    assert i18n.translate("came late", "ps", "f") == "ناوخته راغله"
    assert i18n.translate("came late", "ps", "m") == "ناوخته راغی"
    assert i18n.translate("came late", "ps") == "ناوخته راغی / راغله"  # neutral: for anyone else
    assert i18n.translate("interested", "ps", "f") == "لېواله"
    client = Column(render(repo, "consent", number, "ps")).client
    assert "لاسلیک" in client and "Signature" not in client


def test_a_refused_agency_is_shown_refused_in_both_columns(repo, number):
    cols = Column(render(repo, "consent", number, "fa"))
    refused_de = i18n.translate("consent refused", "de")
    refused_fa = i18n.translate("consent refused", "fa")
    german = " ".join(cols.left)
    assert f"Ausländerbehörde — {refused_de}" in german
    assert all(w in cols.client for w in refused_fa.split())
    assert german.count(refused_de) == 1  # the agencies never asked carry no such words


def test_the_appointment_outcome_is_translated(repo, number):
    client = Column(render(repo, "export", number, "uk")).client
    assert "заплановано" in client and "planned" not in client
