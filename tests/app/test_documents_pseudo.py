"""Every document in the pseudo locales (i18n.pseudo: texts about 40 % longer, and mirrored): no line leaves
its column, its box or the page margins, and no two lines on one baseline overlap."""

from collections import defaultdict

import pytest

from app.documents import DOCUMENTS, render
from app.documents.layout import MARGIN
from app.documents.sample import make_case
from app.documents.text import drawn_lines

SLACK = 0.5  # points


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    from app.repository import Repository
    from app.store import Store
    from tests.conftest import PASSPHRASE

    store, _recovery = Store.create(tmp_path_factory.mktemp("pseudo") / "store", PASSPHRASE, login="anna", name="Anna")
    repo = Repository(store)
    yield repo, make_case(repo, events=30)
    store.close()


def outside(line) -> bool:
    if line.box and (line.left < line.box[0] - SLACK or line.right > line.box[1] + SLACK):
        return True
    return line.left < MARGIN - SLACK or line.right > line.page_width - MARGIN + SLACK


def overlaps(lines) -> list[tuple[str, str]]:
    rows = defaultdict(list)
    for line in lines:
        if line.right > line.left:
            rows[(line.page, round(line.baseline, 1))].append(line)
    out = []
    for row in rows.values():
        row.sort(key=lambda x: x.left)
        out += [(a.text, b.text) for a, b in zip(row, row[1:], strict=False) if a.right > b.left + SLACK]
    return out


@pytest.mark.parametrize("lang", ["x-pseudo", "x-pseudo-rtl"])
@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_every_document_keeps_the_longer_pseudo_text_inside_its_columns(case, document, lang):
    repo, number = case
    with drawn_lines() as lines:
        pdf = render(repo, document, number, lang)
    assert pdf.startswith(b"%PDF")
    assert any("~" in line.text for line in lines)  # the client column is in the pseudo language
    assert [line.text for line in lines if outside(line)] == []
    assert overlaps(lines) == []
