"""What sync needs of a replica, and all it may do to one: the `ReplicaStore` interface.

Two replicas implement it: a laptop's store (`app.replica.local.LocalReplica`) and the hub's
view of its store for one enrolled device (`sync.hub.replica.HubReplica`). The sync engine
and the hub's push and pull speak only these operations, in the spirit of openSM2sync's
`Database` (unsynced changes, apply a log entry, the last synced index):

* `apply_page(changes)`: merge a page of changes from the peer, repair what the merge left
  pointing at merged-away records, all in one transaction; applying the same page twice
  changes nothing the second time.
* `outgoing(after, limit)`: the changes this replica offers its peer after log position
  `after`, in log order, with the position to acknowledge.
* `acknowledged()` / `acknowledge(position)`: how far the peer has everything.

mypy checks both implementations against the protocol (each module ends with a function typed
to return a `ReplicaStore`); tests/sync/test_replica_store.py runs one contract test on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence, runtime_checkable

from .changelog import Change
from .merge import MergeResult


@dataclass
class Applied:
    """What applying one page did: the merge's counts, records re-pointed after it, households removed."""

    merge: MergeResult = field(default_factory=MergeResult)
    repaired: int = 0
    removed: int = 0


@dataclass
class Outgoing:
    """A page of changes to send: `position` is what the peer acknowledges once it has them."""

    changes: list[Change]
    position: int
    more: bool = False


@runtime_checkable
class ReplicaStore(Protocol):
    @property
    def replica_id(self) -> str: ...

    def apply_page(self, changes: Sequence[Change]) -> Applied: ...

    def outgoing(self, after: int, limit: int) -> Outgoing: ...

    def acknowledged(self) -> int: ...

    def acknowledge(self, position: int) -> None: ...
