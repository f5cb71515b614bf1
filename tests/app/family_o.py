"""Family O. from the Mülheim chronicle (2017), registered through the household service."""

import datetime as dt

from app.households import save_household

ARRIVAL = dt.date(2017, 6, 26)
MEMBERS = [
    {"relation": "head", "family_name": "O.", "given_names": "Karim", "family_name_orig": "أو",
     "birth_date": "1985-03-14", "sex": "m", "case": {"rechtskreis": "AsylbLG"}},
    {"relation": "spouse", "family_name": "O.", "given_names": "Layla", "birth_date": "1990", "sex": "f",
     "case": {"rechtskreis": "AsylbLG"}},
    {"relation": "child", "family_name": "O.", "given_names": "Yusuf", "birth_date": "2013-05", "sex": "m"},
    {"relation": "child", "family_name": "O.", "given_names": "Mariam", "birth_date": "2015-11-02", "sex": "f"},
]

INTAKE = {
    "country_of_origin": "iraq", "mother_tongue": "Arabic", "interpreter_needed": True,
    "interpreter_language": "Arabic", "residence_status": "gestattung", "entry_date": "2016-06-10",
    "asylum_application_date": "2016-08-01", "accommodation": "reception",
    "accommodation_address": "Mintarder Straße, Haus 4", "household_size": 4, "children_under_6": 2,
    "referred_by": "sozialamt",
}


def register_family(repo, today: dt.date = ARRIVAL):
    res = save_household(repo, {"office": "AHL", "accommodation": "Erstaufnahme"}, MEMBERS, today=today)
    assert res.ok, res.errors
    return res
