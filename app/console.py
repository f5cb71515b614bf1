"""What every command line of Sprechstunde shares: running a handler to an exit code.

Both `sprechstunde` (cli/) and `sprechstunde-hub` (sync/hub/cli.py) end every
run here: exit 0 ok, 1 a user error as one line on stderr (never a traceback
for a damaged store, a full disk or a folder that cannot be written), 0 when
the reader of a pipe went away (`... | head`). Pure Python, no Qt, no HTTP.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

from i18n import _

from .store import StoreError


def drop_stdout() -> None:
    """Point stdout at the null device, so that what is still buffered cannot fail again at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # no real stdout (closed, or captured by a test)
        pass


def describe_failure(exc: BaseException) -> str | None:
    """A translated one-line message for errors of the store or the file system; None for anything else."""
    if isinstance(exc, StoreError):
        return str(exc)
    if type(exc).__module__.startswith("sqlcipher3"):
        if (getattr(exc, "sqlite_errorname", None) or "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return _("The store file is damaged ({reason}); run 'sprechstunde check' and restore it "
                     "from a backup or sync.").format(reason=exc)
        return _("The store cannot be read or written ({reason}).").format(reason=exc)
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return f"{exc.filename}: {reason}" if exc.filename else _("input/output error: {reason}").format(reason=reason)
    return None


def run(prog: str, handler: Callable[[Any], Any], args: Any,
        user_errors: tuple[type[BaseException], ...] = ()) -> int:
    """Run a command handler; returns its exit code, turning the failures people can act on into one line."""
    try:
        code = int(handler(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # a closed pipe or a full disk shows here, not at interpreter exit
        return code
    except user_errors as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: " + _("interrupted"), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `sprechstunde due | head`: the reader has what it wanted
        drop_stdout()
        return 0
    except Exception as exc:
        message = describe_failure(exc)
        if message is None:
            raise
        print(f"{prog}: {message}", file=sys.stderr)
        if isinstance(exc, OSError):
            drop_stdout()
        return 1
