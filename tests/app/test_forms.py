"""Form definitions: the shipped ones load, malformed ones are rejected precisely, answers validate and render."""

import datetime as dt
import json
import shutil

import pytest

from app import formvalues
from app.forms import FORMS_DIR, FormDefinitionError, FormRegistry, check_path, load_form, parse_form

TODAY = dt.date(2017, 7, 6)


def minimal(**extra_field):
    field = {"key": "status", "type": "choice", "label": "Status",
             "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}
    return {"format": "sprechstunde-form", "id": "demo", "version": 1, "title": "Demo",
            "sections": [{"key": "main", "title": "Main", "fields": [field, {**extra_field}]}]}


def write(tmp_path, doc, name="demo.v1.json"):
    p = tmp_path / name
    p.write_text(json.dumps(doc, indent=2) if not isinstance(doc, str) else doc, "utf-8")
    return p


def test_shipped_forms_load():
    forms = {f.id: f for f in check_path(FORMS_DIR)}
    assert {"intake", "consent", "profiling_social", "profiling_u25", "profiling_ue25", "resource_map"} <= set(forms)
    ue25 = forms["profiling_ue25"]
    assert ue25.field("health_limits").sensitive and ue25.field("health_limits_text").sensitive
    assert ue25.field("languages").type == "cefr"
    assert [f.key for f in ue25.field("work_experience").fields] == ["occupation", "years", "country", "proof"]


@pytest.mark.parametrize("field, path, reason", [
    ({"key": "x", "type": "choise", "label": "X"}, "sections[0].fields[1].type", "unknown field type 'choise'"),
    ({"key": "x", "type": "text", "label": "X", "requierd": True}, "sections[0].fields[1].requierd", "unknown property"),
    ({"key": "status", "type": "text", "label": "X"}, "sections[0].fields[1].key", "used twice"),
    ({"key": "x", "type": "choice", "label": "X"}, "sections[0].fields[1].options", "non-empty list of options"),
    ({"key": "x", "type": "text", "label": "X", "show_if": {"field": "nope", "equals": "a"}},
     "sections[0].fields[1].show_if.field", "not a field defined above"),
    ({"key": "x", "type": "text", "label": "X", "show_if": {"field": "status", "equals": "c"}},
     "sections[0].fields[1].show_if.equals", "'c' is not an option of 'status'"),
    ({"key": "x", "type": "text", "label": "X", "pattern": "^a"}, "sections[0].fields[1]", "needs a 'pattern_message'"),
    ({"key": "x", "type": "text", "label": "X", "pattern": "(", "pattern_message": "m"},
     "sections[0].fields[1].pattern", "not a valid regular expression"),
    ({"key": "x", "type": "number", "label": "X", "min": "1"}, "sections[0].fields[1].min", "whole number"),
    ({"key": "X-1", "type": "text", "label": "X"}, "sections[0].fields[1].key", "lower-case"),
    ({"key": "x", "type": "text", "label": ""}, "sections[0].fields[1].label", "non-empty text"),
    ({"key": "x", "type": "records", "label": "X", "fields": [{"key": "y", "type": "cefr", "label": "Y"}]},
     "sections[0].fields[1].fields[0].type", "unknown field type 'cefr'"),
])
def test_malformed_field_is_rejected_with_path_and_line(tmp_path, field, path, reason):
    p = write(tmp_path, minimal(**field))
    with pytest.raises(FormDefinitionError) as err:
        load_form(p)
    e = err.value
    assert e.path == path and reason in e.reason and e.file == str(p)
    text = p.read_text("utf-8").splitlines()
    # the reported line is where the offending object or property starts
    first = path.split(".")[-1].split("[")[0]
    assert e.line and (first in text[e.line - 1] or "{" in text[e.line - 1])
    assert str(e).startswith(f"{p}:{e.line}: {path}: ")


def test_invalid_json_reports_line(tmp_path):
    p = write(tmp_path, '{\n "format": "sprechstunde-form",\n "id": "demo"\n "version": 1}')
    with pytest.raises(FormDefinitionError) as err:
        load_form(p)
    assert err.value.line == 4 and "not valid JSON" in err.value.reason


def test_file_name_must_match_id_and_version(tmp_path):
    p = write(tmp_path, minimal(key="x", type="text", label="X"), name="demo.v2.json")
    with pytest.raises(FormDefinitionError, match="file name must be 'demo.v1.json'"):
        load_form(p)


def test_rules_must_name_date_fields():
    doc = minimal(key="d", type="date", label="D")
    doc["rules"] = [{"rule": "date_order", "fields": ["status", "d"], "message": "m"}]
    with pytest.raises(FormDefinitionError) as err:
        parse_form(json.dumps(doc, indent=1))
    assert err.value.path == "rules[0].fields[0]" and "not a date" in err.value.reason


def test_check_folder_stops_at_first_bad_file(tmp_path):
    shutil.copy(FORMS_DIR / "intake.v1.json", tmp_path / "intake.v1.json")
    write(tmp_path, minimal(key="x", type="bogus", label="X"))
    with pytest.raises(FormDefinitionError) as err:
        check_path(tmp_path)
    assert err.value.file.endswith("demo.v1.json")


def test_validation_field_messages_and_conditions():
    intake = load_form(FORMS_DIR / "intake.v1.json")
    base = {"country_of_origin": "iraq", "interpreter_needed": False, "residence_status": "gestattung",
            "entry_date": "2016-06", "accommodation": "reception", "referred_by": "self"}
    assert formvalues.validate(intake, base, TODAY) == {}
    # conditional field becomes required when shown, and is ignored when hidden
    errors = formvalues.validate(intake, {**base, "residence_status": "erlaubnis"}, TODAY)
    assert set(errors) == {"permit_paragraph"}
    assert formvalues.validate(intake, {**base, "residence_status": "erlaubnis",
                                        "permit_paragraph": "§ 25 Abs. 2 AufenthG"}, TODAY) == {}
    assert "permit_paragraph" in formvalues.validate(intake, {**base, "residence_status": "erlaubnis",
                                                              "permit_paragraph": "irgendwas"}, TODAY)
    assert formvalues.clean(intake, {**base, "permit_paragraph": "§ 25 AufenthG"}).get("permit_paragraph") is None
    # partial dates, future dates and date order
    errors = formvalues.validate(intake, {**base, "entry_date": "2016-13", "asylum_application_date": "2099-01-01"}, TODAY)
    assert set(errors) == {"entry_date", "asylum_application_date"}
    errors = formvalues.validate(intake, {**base, "entry_date": "2016-09-01", "asylum_application_date": "2016-08-01"}, TODAY)
    assert set(errors) == {"asylum_application_date"}
    # a number out of range, an unknown option
    errors = formvalues.validate(intake, {**base, "household_size": 0, "accommodation": "tent"}, TODAY)
    assert set(errors) == {"household_size", "accommodation"}


def test_cefr_and_records_validation():
    form = load_form(FORMS_DIR / "profiling_ue25.v1.json")
    ok = {"languages": [{"language": "Arabic", "level": "native"}, {"language": "German", "level": "A1"}],
          "literate": "other_script", "school_years": 9, "wish": "work",
          "work_experience": [{"occupation": "Maler und Lackierer", "years": 7, "proof": False}]}
    assert formvalues.validate(form, ok, TODAY) == {}
    bad = {**ok, "languages": [{"language": "German", "level": "B3"}],
           "work_experience": [{"years": 7}]}
    errors = formvalues.validate(form, bad, TODAY)
    assert set(errors) == {"languages", "work_experience"}
    assert "German" in errors["languages"]


def test_old_answer_renders_after_version_bump(tmp_path, repo):
    """A response recorded with version 1 keeps version 1's labels and fields after version 2 ships."""
    from app.responses import Responses
    from tests.app.family_o import register_family

    v1 = {"format": "sprechstunde-form", "id": "survey", "version": 1, "title": "Survey",
          "sections": [{"key": "s", "title": "Section", "fields": [
              {"key": "job", "type": "text", "label": "Former job"},
              {"key": "car", "type": "yes_no", "label": "Has a car"}]}]}
    write(tmp_path, v1, "survey.v1.json")
    case_id = register_family(repo).case_ids[0]
    responses = Responses(repo, FormRegistry(tmp_path))
    rid = responses.save(case_id, "survey", {"job": "Maler", "car": True}, date="2017-07-06")

    v2 = {**v1, "version": 2, "sections": [{"key": "s", "title": "Section", "fields": [
        {"key": "job", "type": "text", "label": "Occupation before the flight"},
        {"key": "licence", "type": "yes_no", "label": "Driving licence"}]}]}
    write(tmp_path, v2, "survey.v2.json")
    responses = Responses(repo, FormRegistry(tmp_path))
    row, form, answers = responses.get(rid)
    assert (row["form_version"], form.version) == (1, 1)
    assert responses.render(rid, tr=lambda s: s) == [("Section", [("Former job", "Maler", False), ("Has a car", "yes", False)])]
    # a new response uses version 2; an old one stays on version 1 when edited
    rid2 = responses.save(case_id, "survey", {"job": "Maler", "licence": False}, date="2017-08-01")
    assert repo.get("form_response", rid2)["form_version"] == 2
    responses.save(case_id, "survey", {"job": "Maler und Lackierer", "car": True}, response_id=rid)
    assert repo.get("form_response", rid)["form_version"] == 1
    # an answer whose field the version does not know still shows
    orphan = formvalues.display_rows(form_v2 := responses.forms.get("survey", 2), {"car": True}, tr=lambda s: s)
    assert orphan == [("Other answers", [("car", "True", False)])] and form_v2.version == 2
