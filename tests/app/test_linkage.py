"""Record linkage (app.linkage): quality on a fixed labelled set, and each comparison on its own."""

import pytest

from app.linkage import link
from app.linkage.blocking import candidate_pairs
from app.linkage.compare import (CLOSE, DIFFERENT, EXACT, PARTIAL, LEVELS, birth_level, compare, names_level,
                                 prepare, token_level)
from app.linkage.normalise import birth, canon, tokens
from tests.linkage_set import evaluate, generate, true_pairs


@pytest.fixture(scope="module")
def labelled():
    persons, truth = generate(1500, seed=16)
    return persons, truth, link(persons, keep_pairs=True)


def test_precision_and_recall_floor_on_the_labelled_set(labelled):
    _persons, truth, result = labelled
    q = evaluate([(c.person_id, c.other_id) for c in result.candidates], truth)
    print(f"\nlabelled set: P {q['precision']:.3f}  R {q['recall']:.3f}  F1 {q['f1']:.3f}  ({q['tp']}/{q['true']})")
    assert q["precision"] >= 0.9 and q["recall"] >= 0.65 and q["f1"] >= 0.78  # the old search: P 0.05, R 0.72


def test_blocking_covers_the_true_pairs(labelled):
    persons, truth, result = labelled
    real = true_pairs(truth)
    covered = len(real & result.blocked_pairs) / len(real)
    print(f"\nblocking recall {covered:.3f}, {result.compared} candidates for {len(persons)} persons")
    assert covered >= 0.88
    assert result.compared < 10 * len(persons)  # far from the 1.1 million pairs of everyone with everyone


@pytest.mark.parametrize("group", [
    "Schewtschenko Shevchenko", "Tkatschuk Tkachuk", "Mohammed Muhammad Mohamad Mohamed Muhammed",
    "Jussuf Yusuf", "Dschawad Javad Jawad", "Chaled Khaled", "Iwan Ivan", "Olha Olga", "Andrij Andrii Andriy",
    "Julija Yuliia Yulia", "Sainab Zainab Zeinab", "Leila Layla Laila", "Cabdi Abdi", "Xasan Hassan",
    "Faadumo Fadumo", "Ismaaciil Ismail", "Oeztuerk Öztürk Ozturk", "Hüseyin Hueseyin Huseyin Hussein",
])
def test_transliterations_meet_in_one_spelling(group):
    somali = group.startswith("Cabdi")  # a leading C is Somali only for a Somali person (Celik is not)
    assert len({canon(n, somali) for n in group.split()}) == 1


@pytest.mark.parametrize("a, b", [("Abdulla", "Abdullah"), ("Yousef", "Yusuf"),
                                  ("Fatemeh", "Fatima")])
def test_near_spellings_are_close(a, b):
    assert token_level(canon(a), canon(b)) >= 2


@pytest.mark.parametrize("a, b", [("Hassan", "Hussein"), ("Hussein", "Hosseini"), ("Mohammed", "Mahmoud"),
                                  ("Mohammed", "Mohammadi"), ("Ahmad", "Hamid"), ("Ivan", "Ivanna"),
                                  ("Oleksandr", "Oleksandra"), ("Amin", "Amina"), ("Ahmad", "Ahmadi")])
def test_other_names_are_not_spellings(a, b):
    assert token_level(canon(a), canon(b)) < 2


def test_articles_and_prefixes():
    assert tokens("Al-Hassan", True) == tokens("Alhasan", True) == tokens("El-Hassan", True) == ("hasan",)
    assert tokens("Azimi", True) == ("asimi",)  # "Az" is not an article


def test_one_shared_given_name_is_partial_not_a_match():
    assert names_level(tokens("Ahmad Walid"), tokens("Ahmad Mohammed")) == PARTIAL
    assert names_level(tokens("Mohammed"), tokens("Muhammad")) == EXACT


def test_original_script_overrules_a_near_latin_spelling():
    a = prepare({"id": "a", "family_name": "Shevchenko", "family_name_orig": "Шевченко", "given_names": "Olena"})
    b = prepare({"id": "b", "family_name": "Shevchenkko", "family_name_orig": "Савченко", "given_names": "Olena"})
    assert names_level(a.family, b.family) <= CLOSE
    assert compare(a, b).level("family") == LEVELS["family"][DIFFERENT]


@pytest.mark.parametrize("x, y, level", [
    ("1990-07-14", "1990-07-14", "exact"), ("1990-03-07", "1990-07-03", "swapped"),
    ("1990-07-14", "1990-07-19", "digit"), ("1990-01-01", "1990-07-14", "placeholder_year"),
    ("1990", "1990-07-14", "placeholder_year"), ("1991-01-01", "1990-07-14", "placeholder_year1"),
    ("1990-02-10", "1990-07-14", "same_year"), ("1975-07-14", "1990-02-03", "different"),
    (None, "1990-07-14", "missing"),
])
def test_birth_date_levels(x, y, level):
    assert LEVELS["birth"][birth_level(birth(x), birth(y))] == level


def _pair(**b_changes):
    a = {"id": "a", "household_id": "h1", "family_name": "Tesfamariam", "given_names": "Senait",
         "birth_date": "1994-05-17", "sex": "f", "nationality": "ER"}
    return [a, {**a, "id": "b", "household_id": "h2", **b_changes}]


def test_placeholder_dates_are_not_over_weighted(labelled):
    model = labelled[2].model
    w = {lv: model.field_weight("birth", i) for i, lv in enumerate(LEVELS["birth"])}
    assert w["missing"] == 0.0  # neutral, not a match
    assert w["exact"] - w["placeholder_year"] >= 4  # 01.01.YYYY says only "this year, perhaps"
    real = link(_pair(), threshold=0).candidates[0].score
    placeholder = link(_pair(birth_date="1994-01-01"), threshold=0).candidates[0].score
    assert placeholder < real


def test_swapped_names_and_moved_fathers_name_are_found_and_said():
    (c,) = link(_pair(family_name="Senait", given_names="Tesfamariam"), threshold=0.5).candidates
    assert "given and family names swapped" in c.reasons
    rows = [{"id": "a", "family_name": "Tesfay Gebremedhin", "given_names": "Yonas", "birth_date": "1990-03-02",
             "sex": "m"},
            {"id": "b", "family_name": "Gebremedhin", "given_names": "Yonas Tesfay", "birth_date": "1990-03-02",
             "sex": "m"}]
    (c,) = link(rows, threshold=0.5).candidates
    assert "father's name in the given names" in c.reasons


def test_twins_in_one_household_are_not_proposed():
    twins = _pair(given_names="Semhar", household_id="h1")
    assert link(twins).candidates == []
    (c,) = link(twins, threshold=0).candidates
    assert "twins or siblings? same family name and birth date, other given names" in c.reasons


def test_a_missing_birth_date_is_not_a_match_on_names_alone():
    (c,) = link(_pair(birth_date=None), threshold=0).candidates
    full = link(_pair(), threshold=0).candidates[0]
    assert c.score < full.score and "birth date missing on one side" in c.reasons


def test_blocking_finds_swapped_names_and_a_misspelt_family_name():
    people = [prepare(r) for r in _pair(family_name="Senait", given_names="Tesfamariam")]
    assert candidate_pairs(people) == {(0, 1)}
    people = [prepare(r) for r in _pair(family_name="Tesfamraiam")]
    assert candidate_pairs(people) == {(0, 1)}


def test_the_batch_comparison_gives_what_pair_by_pair_gives(labelled):
    """link() compares in batches (integer codes, names once per pair of distinct names, probabilities
    once per pattern): the same levels, model and candidates as comparing pair by pair."""
    from app.linkage import _relatives
    from app.linkage.blocking import pair_ids
    from app.linkage.compare import compare_pairs, decode
    from app.linkage.model import fit

    persons, _truth, result = labelled
    rows = [r for r in persons if not r.get("merged_into")]
    people = [prepare(r) for r in rows]
    _relatives(rows, people)
    n = len(people)
    ids = pair_ids(people)
    assert [divmod(x, n) for x in ids] == sorted(candidate_pairs(people))
    reference = [compare(people[i], people[j]) for i, j in (divmod(x, n) for x in ids)]
    assert [decode(code) for code in compare_pairs(people, ids).codes] == reference
    model = fit(people, reference)
    assert (model.m, model.u, model.log_prior) == (result.model.m, result.model.u, result.model.log_prior)
    expected = {}
    for x, c in zip(ids, reference, strict=True):
        i, j = divmod(x, n)
        prob = model.probability(model.total(c, people[i], people[j]))
        if prob >= 0.8:
            expected[tuple(sorted((people[i].id, people[j].id)))] = round(prob, 3)
    assert {(c.person_id, c.other_id): c.score for c in result.candidates} == expected


def test_a_registration_spelled_like_an_alias_is_found():
    """A merge keeps the other spelling as an alias; a third registration spelled so meets the person
    (blocking) and compares by the best of the name and its aliases."""
    kept = {"id": "k", "household_id": "h1", "family_name": "Tesfamariam", "given_names": "Senait",
            "birth_date": "1994", "sex": "f", "nationality": "ER",
            "aliases": [{"family_name": "Gebremedhin", "given_names": "Senait"}]}
    third = {"id": "t", "household_id": "h3", "family_name": "Gebremedhin", "given_names": "Senait",
             "birth_date": "1994-01-01", "sex": "f", "nationality": "ER"}
    assert candidate_pairs([prepare(kept), prepare(third)]) == {(0, 1)}
    (c,) = link([kept, third]).candidates
    assert (c.person_id, c.other_id) == ("k", "t") and c.score >= 0.8
    assert {f.field: f.level for f in c.fields}["family"] == "exact"
    as_text = {**kept, "aliases": '[{"family_name": "Gebremedhin"}]'}  # as JSON text; the given names its own
    assert [(c.person_id, c.other_id) for c in link([as_text, third]).candidates] == [("k", "t")]
    assert link([{**kept, "aliases": None}, third]).candidates == []  # without the alias: not even compared


def test_blocking_gives_the_pairs_of_plain_blocks_with_a_key_per_window(labelled):
    """pair_ids adds undated persons to every window's block of their names instead of giving them a key per
    window, and numbers pairs as integers: the same pairs as building every block in full."""
    from collections import defaultdict
    from itertools import combinations

    from app.linkage import blocking

    persons = labelled[0] + [{"id": f"u{k}", "family_name": "Tesfamariam", "given_names": "Senait"}
                             for k in range(3)]  # undated, with a name that has dated blocks as well
    # undated, with a name no dated person has: they meet only in the block of the undated
    persons += [{"id": f"w{k}", "family_name": "Wolkenstein", "given_names": "Oswin"} for k in range(2)]
    people = [prepare(r) for r in persons]
    assert sum(p.birth is None for p in people) >= 20
    blocks = defaultdict(list)
    for i, p in enumerate(people):
        for k in blocking.keys(p):
            for key in ([("n", w) + k[2:] for w in blocking._WINDOWS] if k[:2] == ("n", blocking.UNDATED) else [k]):
                blocks[key].append(i)
    expected = set()
    for members in blocks.values():
        if len(members) <= blocking.CAP:
            expected.update(combinations(members, 2))
            continue
        ordered = sorted(members, key=lambda i: blocking._sort_key(people[i]))
        for pos, i in enumerate(ordered):
            expected.update((min(i, j), max(i, j)) for j in ordered[pos + 1:pos + 1 + blocking.WINDOW])
    assert candidate_pairs(people) == expected
