"""A person's languages as rows of (language, level) chosen from lists: no typed codes.

`LanguageLevels.value()` gives what `person.languages` stores
(`[{"code": "ar", "level": "native"}, {"code": "de", "level": "A2"}]`, or None),
`set_value` shows it again. The language list names languages in the UI
language (CLDR); a stored code the list lacks (it came by sync) is kept as an
entry of its own. Levels are CEFR A1 to C2 and "native language".
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QToolButton, QVBoxLayout, QWidget

from app import schema
from app.labels import CLIENT_LANGUAGES, label
from i18n import _

# the client languages first, then others heard at the office hours
LANGUAGES = CLIENT_LANGUAGES + ("it", "es", "pl", "ro", "sq", "sr", "bs", "ur", "hi", "bn", "ha", "sw", "om", "ln",
                                "ff", "wo")


def language_combo(with_empty: str | None = None) -> QComboBox:
    box = QComboBox()
    if with_empty is not None:
        box.addItem(with_empty, None)
    for code, name in sorted(((c, label("language", c)) for c in LANGUAGES), key=lambda x: x[1].casefold()):
        box.addItem(name, code)
    return box


def select(box: QComboBox, value) -> None:
    i = box.findData(value)
    if i < 0 and value:
        box.addItem(label("language", str(value)), value)  # a code the list lacks, by its name where CLDR has one
        i = box.count() - 1
    box.setCurrentIndex(max(i, 0))


class LanguageLevels(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[QWidget, QComboBox, QComboBox]] = []
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(2)
        self.add = QPushButton(_("Add language"))
        self.add.setObjectName("addLanguage")
        self.add.clicked.connect(lambda: self.add_row(focus=True))
        self._lay.addWidget(self.add)

    def add_row(self, code: str | None = None, level: str | None = None, focus: bool = False):
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        lang = language_combo()
        lang.setAccessibleName(_("Language"))
        select(lang, code or ("ar" if not self.rows else "de"))
        lev = QComboBox()
        lev.setAccessibleName(_("Level"))
        for c in schema.CEFR_LEVELS:
            lev.addItem(label("level", c), c)
        lev.addItem(_("level not known"), None)
        if code and not level:
            lev.setCurrentIndex(lev.count() - 1)
        else:
            select(lev, level or ("native" if not self.rows else "A1"))
        remove = QToolButton()
        remove.setText("×")
        remove.setToolTip(_("Remove this language"))
        remove.setAccessibleName(_("Remove this language"))
        row.addWidget(lang, 3)
        row.addWidget(lev, 2)
        row.addWidget(remove)
        entry = (holder, lang, lev)
        remove.clicked.connect(lambda: self._remove(entry))
        lang.currentIndexChanged.connect(self.changed)
        lev.currentIndexChanged.connect(self.changed)
        self._lay.insertWidget(len(self.rows), holder)
        self.rows.append(entry)
        if focus:
            lang.setFocus()
        self.changed.emit()
        return entry

    def _remove(self, entry) -> None:
        self.rows.remove(entry)
        entry[0].setParent(None)
        entry[0].deleteLater()
        self.changed.emit()

    def value(self) -> list[dict] | None:
        out = [{"code": lang.currentData(), "level": lev.currentData()} for _h, lang, lev in self.rows]
        return out or None

    def set_value(self, langs) -> None:
        for entry in list(self.rows):
            self._remove(entry)
        for x in langs or []:
            if isinstance(x, dict) and x.get("code"):  # synced data may lack a code: nothing to show
                self.add_row(x["code"], x.get("level"))
