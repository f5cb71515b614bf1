"""PySide6 widgets, Qt models and dialogs. Calls app/ services only; never SQL."""
