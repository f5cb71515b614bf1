"""What runs after every merge of received changes, on laptops and at the hub, in the merge's
transaction: records left pointing at a merged-away person or household are re-pointed to the
survivor (app.duplicates.repair_references). Returns how many records it changed; the
repairs are ordinary changes of this replica and replicate."""

from __future__ import annotations

from typing import Sequence

from .duplicates import repair_references
from .replica.changelog import Change
from .repository import Repository


def after_merge(store, changes: Sequence[Change]) -> int:
    repo = Repository(store)
    repaired = repair_references(repo, list(changes))
    if repaired:  # inside the caller's transaction: the repository did not save its clock
        store.set_meta("hlc_last", repo.clock.last)
    return repaired
