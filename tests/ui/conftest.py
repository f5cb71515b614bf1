"""Qt test fixtures: isolated QSettings, inline background tasks."""

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings("Sprechstunde", "Sprechstunde").clear()
    yield


@pytest.fixture
def inline_tasks(monkeypatch):
    from ui import tasks

    monkeypatch.setattr(tasks, "INLINE", True)
