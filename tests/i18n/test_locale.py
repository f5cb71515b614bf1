"""Locale helpers: text direction from Babel, the language list, Babel date/number formatting."""

import datetime as dt

import pytest
from babel import Locale

from i18n import locale as loc

DAY = dt.date(2026, 3, 14)


def test_direction_comes_from_babel():
    assert loc.is_rtl("ar") and loc.is_rtl("fa") and loc.is_rtl("prs") and loc.is_rtl("ckb")
    for code in ("de", "en", "ti", "ku", "kmr", "uk", "tr", "fr", "ru"):
        assert loc.text_direction(code) == "ltr", code


def test_every_configured_language_is_known_to_babel_with_a_native_name():
    for lang in loc.languages():
        assert Locale.parse(lang.code).text_direction == lang.direction
        assert lang.native and lang.english
    assert [lang.code for lang in loc.ui_languages()] == ["de", "en"]


def test_aliases():
    assert loc.normalize("kmr") == "ku"
    assert loc.normalize("prs") == "fa_AF"  # Dari is its own language (falls back to the Farsi catalog)
    assert loc.normalize("fa-AF") == "fa_AF" and loc.normalize("fa_IR") == "fa" and loc.normalize("pbt") == "ps"
    assert loc.normalize("ti_ER") == "ti"
    assert loc.normalize("DE") == "de"
    assert loc.normalize("xx") is None
    with pytest.raises(KeyError):
        loc.language("xx")


@pytest.mark.parametrize("lang, expected", [
    ("de", "14. März 2026"),
    ("ar", "14 مارس 2026"),
    ("fa", "۱۴ مارس ۲۰۲۶"),  # Persian digits, as the Farsi catalog writes them
    ("ti", "14 መጋቢት 2026"),  # day first (resources/languages.json date_formats)
    ("uk", "14 березня 2026 р."),
    ("ru", "14 марта 2026 г."),
    ("tr", "14 Mart 2026"),
])
def test_long_dates(lang, expected):
    # CLDR puts a narrow no-break space (U+202F) before the uk/ru year abbreviation
    assert loc.format_date(DAY, lang, "long").replace("\u202f", " ") == expected
    assert loc.format_date("2026-03-14", lang, "long").replace("\u202f", " ") == expected


def test_dates_and_times_in_several_languages():
    assert loc.format_date(DAY, "ar", "full").startswith("السبت")
    assert "ቀዳም" in loc.format_date(DAY, "ti", "full")
    assert loc.format_date(DAY, "uk", "full").startswith("субота")
    assert loc.format_time("2026-03-24T09:30", "de") == "09:30"
    assert loc.format_partial_date("1990-05", "uk") == "трав. 1990\u202fр."
    assert loc.format_partial_date("1990", "de") == "1990"
    assert loc.format_date(None, "de") == ""


def test_numbers_and_plurals():
    assert loc.format_number(1234567.5, "de") == "1.234.567,5"
    assert loc.format_number(1234567.5, "ar") == "1,234,567.5"  # plain ar: Latin digits (TECH-NOTES)
    assert loc.format_number(1234567.5, "ar", numbering="arab") == "١٬٢٣٤٬٥٦٧٫٥"  # Arabic digits and separators
    assert loc.format_number(1234567.5, "fa") == "۱٬۲۳۴٬۵۶۷٫۵"  # Farsi: Persian digits by default (CLDR arabext)
    assert loc.plural_category(3, "ar") == "few"
    assert loc.plural_category(11, "ar") == "many"
    assert loc.plural_category(2, "uk") == "few"
    assert loc.plural_category(5, "ru") == "many"
    assert loc.list_join(["AA", "JC", "Sozialamt"], "de") == "AA, JC und Sozialamt"


@pytest.mark.parametrize("lang, short, medium", [
    ("de", "11.01.27", "11.01.2027"),
    ("ar", "11/1/2027", "11/01/2027"),
    ("fa", "۲۰۲۷/۱/۱۱", "۱۱ ژانویه ۲۰۲۷"),
    ("ti", "11/01/2027", "11 ጥሪ 2027"),  # Babel's ti gives 1/11/27: read as 1 November in Eritrea
    ("uk", "11.01.27", "11 січ. 2027 р."),
])
def test_dates_in_the_readers_order_and_digits(lang, short, medium):
    def clean(text):
        return text.replace("\u200f", "").replace("\u202f", " ")
    assert clean(loc.format_date("2027-01-11", lang, "short")) == short
    assert clean(loc.format_date("2027-01-11", lang, "medium")) == medium


def test_separators_of_the_language():
    assert loc.comma("de") == ", " and loc.comma("ar") == "، " and loc.comma("fa") == "، "
    assert loc.comma("ti") == "፣ " and loc.semicolon("fa") == "؛ " and loc.semicolon("uk") == "; "
    assert loc.localize_digits("12.11", "fa") == "۱۲.۱۱" and loc.localize_digits("12", "ar") == "12"
    assert loc.format_datetime("2027-01-11T09:30", "ti", "short") == "11/01/2027 9:30 ቅ.ቀ."
