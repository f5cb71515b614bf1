"""Towns of the county and the travel time by public transport between them (resources/towns.json).

Offers name the town they are in and how long a candidate may travel; a client's town is the town of
their household's office. The times are data, not a web service, so matching works without a network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "resources" / "towns.json"
CENTRAL_TOWN = {"ZIP": "AHL"}  # the central Integration Point is in Ahlen


class Towns:
    def __init__(self, doc: dict):
        self.names = {t["code"]: t["name"] for t in doc["towns"]}
        self.same_town = int(doc.get("same_town_minutes", 15))
        self._minutes: dict[tuple[str, str], int] = {}
        for key, minutes in doc["minutes"].items():
            a, b = key.split("-")
            self._minutes[(a, b)] = self._minutes[(b, a)] = int(minutes)

    @classmethod
    def load(cls, path: Path = DATA) -> "Towns":
        return cls(json.loads(Path(path).read_text("utf-8")))

    def town(self, office: str | None) -> str | None:
        """The town code of an office code (the central office lies in Ahlen)."""
        code = CENTRAL_TOWN.get(office or "", office)
        return code if code in self.names else None

    def name(self, code: str | None) -> str:
        return self.names.get(self.town(code) or "", code or "")

    def minutes(self, a: str | None, b: str | None) -> int | None:
        """Travel time between two towns (or offices) by bus and train; None if a town is unknown."""
        ta, tb = self.town(a), self.town(b)
        if ta is None or tb is None:
            return None
        if ta == tb:
            return self.same_town
        return self._minutes.get((ta, tb))


@lru_cache(maxsize=1)
def default_towns() -> Towns:
    return Towns.load()
