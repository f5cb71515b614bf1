"""``sprechstunde-hub duplicates``: likely duplicate persons over all offices, at the central office's hub.

    sprechstunde-hub duplicates --dir DIR [--json] [--person ID] [--threshold SCORE] [--explain]
                                [--merge KEEP AWAY]

The same search (app.linkage) and the same output as `sprechstunde duplicates` on a laptop,
over every household of the county (the hub holds them all). `--merge` merges there as the
hub's own change (sync.hub.local_writes): the laptops of both households get it at their
next sync, like any edit; a laptop can undo it (docs/duplicates.md).
"""

from __future__ import annotations

import json

from app import duplicates
from app.repository import Repository
from i18n import _

from .local_writes import filed
from .storage import HubError


def register(add, with_store) -> None:
    keep, away = _("KEEP"), _("AWAY")
    p = add("duplicates", lambda args: cmd_duplicates(args, with_store),
            _("likely duplicate persons over all offices (or merge two with --merge {keep} {away})").format(
                keep=keep, away=away))
    duplicates.add_options(p, keep, away)


def cmd_duplicates(args, with_store) -> int:
    if not 0 <= args.threshold <= 1:  # also refuses nan
        raise HubError(_("--threshold must be between 0 and 1"))

    def run(store) -> int:
        repo = Repository(store)
        if args.merge:
            keep, away = args.merge
            try:
                moved, _changes = filed(store, repo, lambda: duplicates.merge_persons(
                    repo, keep, away, take_away=tuple(args.take_away)))
            except duplicates.MergeRefused as exc:
                raise HubError(str(exc)) from None
            print(duplicates.merged_line(moved))
            return 0
        rows = duplicates.candidate_rows(repo, person_id=args.person, threshold=args.threshold)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            for line in duplicates.report_lines(rows, args.explain):
                print(line)
        return 0

    return with_store(args, run)
