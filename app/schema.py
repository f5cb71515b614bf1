"""The replicated entities: their tables, fields and field kinds.

This is the one contract shared by storage, the change log, the interchange
format, sync and the UI. Every entity is a table with a UUID primary key `id`
and the fields below; every field is merged on its own (DESIGN.md). Lists such
as resource-map entries are entities of their own, so adding on two laptops
never conflicts. `deleted` is the tombstone; `merged_into` points a duplicate
to the record that survives.

`root` names the field that holds the household id an entity belongs to (or
"id" for the household itself, or None for global entities such as staff):
the household is the unit that sync scopes by office.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field as dc_field

# Field kinds. Values in the change log are JSON; in the tables they are
# stored natively (text/int/bool) or as JSON text (json).
TEXT = "text"
INT = "int"
BOOL = "bool"
DATE = "date"  # ISO date YYYY-MM-DD
PDATE = "pdate"  # partial date: YYYY, YYYY-MM or YYYY-MM-DD
DATETIME = "datetime"  # ISO date and time YYYY-MM-DDTHH:MM
JSON = "json"  # lists / dicts, stored as JSON text
REF = "ref"  # id of another entity

OFFICE_CODES = (
    "ZIP", "AHL", "BEC", "BEE", "DRE", "ENN", "EVE", "OEL", "OST", "SAS",
    "SEN", "TEL", "WAD", "WAF",
)
RECHTSKREISE = ("AsylbLG", "SGB II", "SGB III")
CASE_STATUSES = ("new", "active", "dormant", "closed")
SEXES = ("f", "m", "x", "u")
RELATIONS = (
    "head", "spouse", "partner", "child", "parent", "sibling", "grandchild",
    "other",
)
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
AGENCIES = ("AA", "JC", "SOZ", "ABH", "KI", "PROVIDER", "EMPLOYER")
CONSENT_STATES = ("given", "refused", "withdrawn")
STAFF_ROLES = ("intake", "ifk", "pap", "saf", "interpreter", "central", "dpo", "admin")  # resources/roles.json
QUADRANTS = ("persoenlich", "sozial", "materiell", "infrastrukturell")
MEASURE_STATUSES = (
    "proposed", "registered", "waiting", "started", "interrupted", "completed",
    "cancelled",
)
APPOINTMENT_OUTCOMES = ("planned", "arrived", "kept", "missed", "cancelled", "rescheduled")  # planned: booked
HOURS_CHANGES = ("cancelled", "moved", "extra")
GOAL_KINDS = ("wille", "focus", "goal")
COURSE_LEVELS = ("alpha", "A1", "A2", "B1", "B2", "C1", "C2")  # app.courses
OFFER_STATES = ("offered", "allocated", "declined", "expired", "released")  # app.allocation
HANDOVER_STATES = ("planned", "sent", "accepted", "returned")  # app.handover
OFFER_KINDS = ("job", "internship", "eq", "apprenticeship", "fim")  # app.employers
OFFER_STATUSES = ("open", "filled", "closed")
PLACEMENT_STATUSES = ("proposed", "accepted", "declined", "sent", "invited", "hired", "rejected", "started",
                      "withdrawn")
LICENCE_CLASSES = ("B", "BE", "C1", "C", "CE", "D", "L", "T")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = TEXT
    choices: tuple[str, ...] | None = None
    ref: str | None = None  # entity name for REF fields


@dataclass(frozen=True)
class Entity:
    name: str
    fields: tuple[Field, ...]
    root: str | None = "household_id"
    indexes: tuple[tuple[str, ...], ...] = ()
    field_map: dict[str, Field] = dc_field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_map", {f.name: f for f in self.fields})

    @property
    def table(self) -> str:
        return self.name

    def column_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _f(name: str, kind: str = TEXT, choices=None, ref=None) -> Field:
    return Field(name, kind, tuple(choices) if choices else None, ref)


_COMMON = (_f("deleted", BOOL),)
_IN_CASE = (_f("household_id", REF, ref="household"), _f("case_id", REF, ref="case"))

ENTITIES: dict[str, Entity] = {}


def _entity(name: str, *fields: Field, root="household_id", indexes=()) -> Entity:
    e = Entity(name, tuple(fields) + _COMMON, root, tuple(indexes))
    ENTITIES[name] = e
    return e


_entity(
    "staff",
    _f("name"), _f("login"), _f("agency", choices=AGENCIES), _f("office", choices=OFFICE_CODES),
    _f("role", choices=STAFF_ROLES), root=None,
)
_entity(
    "household",
    _f("office", choices=OFFICE_CODES), _f("address"), _f("accommodation"),
    _f("arrival_date", DATE), _f("notes"), _f("merged_into", REF, ref="household"),
    root="id", indexes=(("office",),),
)
_entity(
    "person",
    _f("household_id", REF, ref="household"), _f("relation", choices=RELATIONS),
    _f("family_name"), _f("given_names"), _f("family_name_orig"), _f("given_names_orig"),
    _f("birth_date", PDATE), _f("sex", choices=SEXES), _f("nationality"),
    _f("country_of_origin"), _f("languages", JSON), _f("interpreter_language"),
    _f("phone"), _f("merged_into", REF, ref="person"),
    _f("email"), _f("contact_language"),  # guided intake: how the person wants to be reached
    # other spellings of the names, kept by a merge (app.merge_preview): [{"family_name": ..., "given_names": ...,
    # "family_name_orig": ..., "given_names_orig": ...}, ...], each with the parts it has; searched like the names
    _f("aliases", JSON),
    indexes=(("household_id",),),
)
_entity(
    "case",
    _f("household_id", REF, ref="household"), _f("person_id", REF, ref="person"),
    _f("case_number"), _f("office", choices=OFFICE_CODES),
    _f("rechtskreis", choices=RECHTSKREISE), _f("status", choices=CASE_STATUSES),
    _f("staff"), _f("opened", DATE), _f("closed", DATE),
    indexes=(("household_id",), ("person_id",), ("office", "status")),
)
_entity(
    "consent",
    *_IN_CASE, _f("agency", choices=AGENCIES), _f("provider_name"),
    _f("state", choices=CONSENT_STATES), _f("date", DATE), _f("form_id"),
    _f("form_version", INT), _f("recorded_by"),
    indexes=(("case_id",),),
)
# A filled questionnaire; its answers are `answer` entities with the
# deterministic id answer_id(response_id, key), so two laptops answering the
# same question merge per question.
_entity(
    "form_response",
    *_IN_CASE, _f("form_id"), _f("form_version", INT), _f("date", DATE),
    _f("recorded_by"), _f("completed", BOOL),
    indexes=(("case_id",),),
)
_entity(
    "answer",
    _f("household_id", REF, ref="household"),
    _f("response_id", REF, ref="form_response"), _f("key"), _f("value", JSON),
    indexes=(("response_id",),),
)
_entity(
    "resource_entry",
    *_IN_CASE, _f("quadrant", choices=QUADRANTS), _f("text"), _f("source"),
    _f("author"), _f("date", DATE),
    indexes=(("household_id",),),
)
_entity(
    "goal",
    *_IN_CASE, _f("kind", choices=GOAL_KINDS), _f("text"), _f("target_date", DATE),
    _f("author"), _f("date", DATE),
    indexes=(("case_id",),),
)
_entity(
    "measure",
    *_IN_CASE, _f("catalogue_id"), _f("provider"), _f("status", choices=MEASURE_STATUSES),
    _f("proposed_on", DATE), _f("registered_on", DATE), _f("start_date", DATE),
    _f("end_date", DATE), _f("notes"), _f("course_id", REF, ref="course"),
    indexes=(("case_id",),),
)
_entity(
    "conference",
    *_IN_CASE, _f("date", DATE), _f("agencies", JSON), _f("participants", JSON),
    _f("resource_snapshot", JSON), _f("proposals", JSON), _f("focus"),
    _f("next_steps"),
    indexes=(("household_id",),),
)
_entity(
    "event",
    *_IN_CASE, _f("date", DATE), _f("kind"), _f("text"), _f("flag"), _f("author"),
    _f("ref_entity"), _f("ref_id"),
    _f("message", JSON),  # what a service recorded, language-free (app.chronicle); text: staff's own words
    indexes=(("household_id",), ("case_id",), ("kind", "date")),  # kind, date: the steering figures' transitions
)
_entity(
    "appointment",
    *_IN_CASE, _f("starts_at", DATETIME), _f("office", choices=OFFICE_CODES),
    _f("place"), _f("directions"), _f("purpose"), _f("interpreter_language"),
    _f("staff"), _f("outcome", choices=APPOINTMENT_OUTCOMES),
    # office hours (app.booking): the desk and slots taken, what to bring, a walk-in's arrival
    _f("ends_at", DATETIME), _f("desk", INT), _f("agency", choices=AGENCIES), _f("bring", JSON),
    _f("walk_in", BOOL), _f("arrived_at", DATETIME), _f("moved_to", REF, ref="appointment"),
    indexes=(("case_id",), ("starts_at",)),
)
# Course seats and waiting lists (app.courses, app.waitlist, app.allocation; docs/courses.md): providers
# and courses are global (the central office edits them); `taken` is written by the hub's allocation.
_entity("provider", _f("name"), _f("towns", JSON), _f("contact"), _f("phone"), _f("email"), _f("notes"),
        root=None)
_entity(
    "course",
    _f("provider_id", REF, ref="provider"), _f("catalogue_id"), _f("level", choices=COURSE_LEVELS),
    _f("title"), _f("office", choices=OFFICE_CODES), _f("place"), _f("start_date", DATE), _f("end_date", DATE),
    _f("schedule"), _f("seats", INT), _f("childcare", BOOL), _f("accessible", BOOL), _f("modules", JSON),
    _f("notes"), _f("taken", INT),
    root=None,
)
# One entry per person and kind of course (id from app.waitlist.entry_id): a person is on a list once.
_entity(
    "waitlist_entry",
    *_IN_CASE, _f("catalogue_id"), _f("level", choices=COURSE_LEVELS), _f("registered_on", DATE),
    _f("obligated", BOOL), _f("obligated_since", DATE), _f("level_assessed", BOOL),
    _f("childcare_needed", BOOL), _f("towns", JSON), _f("measure_id", REF, ref="measure"),
    _f("proposed_course_id", REF, ref="course"), _f("withdrawn_on", DATE), _f("notice"),
    indexes=(("catalogue_id", "level"),),
)
# A seat offered by the hub (id from app.allocation.offer_id); the laptop writes only accepted_on/declined_on.
_entity(
    "seat_offer",
    *_IN_CASE, _f("entry_id", REF, ref="waitlist_entry"), _f("course_id", REF, ref="course"),
    _f("state", choices=OFFER_STATES), _f("offered_on", DATE), _f("hold_until", DATE),
    _f("accepted_on", DATE), _f("declined_on", DATE), _f("decided_on", DATE), _f("notice"),
    indexes=(("course_id",), ("entry_id",)),
)
# Übergabemanagement at the Rechtskreiswechsel (app.handover)
_entity(
    "handover",
    *_IN_CASE, _f("from_rechtskreis", choices=RECHTSKREISE), _f("to_rechtskreis", choices=RECHTSKREISE),
    _f("agency", choices=AGENCIES), _f("reason"), _f("expected_on", DATE), _f("state", choices=HANDOVER_STATES),
    _f("sent_on", DATE), _f("decided_on", DATE), _f("return_reason"), _f("contact"), _f("measures", JSON),
    _f("shared", JSON),
    indexes=(("case_id",),),
)
# What statistics keep of a case deleted for retention or erasure (app.retention): no id, name,
# date of birth or address of the person, only coarse facts (SORMAS keeps the same kind).
_entity(
    "anonymised_case",
    _f("office", choices=OFFICE_CODES), _f("sex", choices=SEXES), _f("birth_month"), _f("nationality"),
    _f("postcode_prefix"), _f("rechtskreis", choices=RECHTSKREISE), _f("status", choices=CASE_STATUSES),
    _f("opened_month"), _f("closed_month"), _f("basis"), _f("deleted_month"),
    root=None,
)
# The employer service (app.employers): employers and their offers are shared by every laptop; a placement
# is one offer proposed to one client, with what was sent and the outcome.
_entity(
    "employer",
    _f("name"), _f("town", choices=OFFICE_CODES), _f("sector"), _f("contact_person"), _f("phone"), _f("email"),
    _f("notes"), root=None,
)
_entity(
    "offer",
    _f("employer_id", REF, ref="employer"), _f("kind", choices=OFFER_KINDS), _f("title"), _f("occupation"),
    _f("german_level", choices=CEFR_LEVELS), _f("languages", JSON), _f("driving_licence", choices=LICENCE_CLASSES),
    _f("work_permit_needed", BOOL), _f("hours", INT), _f("start_date", DATE), _f("town", choices=OFFICE_CODES),
    _f("max_travel_minutes", INT), _f("places", INT), _f("status", choices=OFFER_STATUSES), _f("notes"),
    root=None, indexes=(("employer_id",),),
)
_entity(
    "placement",
    *_IN_CASE, _f("offer_id", REF, ref="offer"), _f("status", choices=PLACEMENT_STATUSES), _f("proposed_on", DATE),
    _f("reason"), _f("missing"), _f("sent_on", DATE), _f("sent_fields", JSON), _f("consent_id", REF, ref="consent"),
    _f("outcome_on", DATE), _f("notes"),
    _f("match", JSON),  # why it fits, what is missing: facts (app.match_reasons); reason, missing: older text
    indexes=(("case_id",), ("offer_id",)),
)
# Office hours (docs/office-hours.md): global records the central office edits; the shipped
# resources/offices.json is their seed, a stored record with the same id overrides it field by field.
_entity("office", _f("code", choices=OFFICE_CODES), _f("name"), _f("address"), _f("phone"), _f("rooms", JSON),
        _f("directions", JSON), _f("accessibility"), _f("agencies", JSON), root=None)
_entity("office_hours", _f("office", choices=OFFICE_CODES), _f("weekday", INT), _f("starts"), _f("ends"),
        _f("slot_minutes", INT), _f("desks", JSON), _f("staff", JSON), _f("room"), _f("valid_from", DATE),
        _f("valid_to", DATE), root=None)
_entity("office_hours_change", _f("office", choices=OFFICE_CODES), _f("date", DATE),
        _f("kind", choices=HOURS_CHANGES), _f("template_id"), _f("to_date", DATE), _f("starts"), _f("ends"),
        _f("slot_minutes", INT), _f("desks", JSON), _f("room"), _f("note"), root=None)
# One desk at one slot start: its id is a function of (office, start, desk), so two laptops that book
# the same desk offline write the same field and the merge keeps the other booking as an open conflict.
_entity("slot_claim", _f("office", choices=OFFICE_CODES), _f("starts_at", DATETIME), _f("desk", INT),
        _f("appointment_id", REF, ref="appointment"), root=None, indexes=(("appointment_id",),))
# An explicit share of one household with another office (sync scope).
_entity("share", _f("household_id", REF, ref="household"), _f("office", choices=OFFICE_CODES))


def entity(name: str) -> Entity:
    try:
        return ENTITIES[name]
    except KeyError:
        raise KeyError(f"unknown entity {name!r}") from None


def to_column(f: Field, value):
    """A JSON value from the change log as stored in a table column."""
    if value is None:
        return None
    if f.kind == JSON:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if f.kind == BOOL:
        return 1 if value else 0
    return value


def from_column(f: Field, value):
    """A table column value back to its JSON value."""
    if value is None:
        return None
    if f.kind == JSON:
        return json.loads(value)
    if f.kind == BOOL:
        return bool(value)
    return value


def sql_type(f: Field) -> str:
    return {INT: "INTEGER", BOOL: "INTEGER"}.get(f.kind, "TEXT")


# The records of a case that the consent gate judges one by one (app.access): whose each is tells the
# first write of its `case_id` (no stamp overwritten), which a partial index of the change log keeps
# (migration 7), so which cases hold another agency's records is an index scan, not a scan of the log.
CONSENT_GATED = ("form_response", "resource_entry", "goal", "measure", "conference", "event")
MADE_WHERE = ("field = 'case_id' AND prev_hlc IS NULL AND entity IN ("
              + ", ".join(f"'{e}'" for e in CONSENT_GATED) + ")")
