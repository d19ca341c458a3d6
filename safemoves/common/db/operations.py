"""Migration operations the project's own migrations use."""

from __future__ import annotations

from typing import Any

from django.db.migrations import AddIndex


class AddIndexOnline(AddIndex):
    """``AddIndex`` that builds the index without blocking writes on PostgreSQL
    (``CREATE INDEX CONCURRENTLY``; the migration must say ``atomic = False``), and plainly
    elsewhere. For indexes on tables every request appends to, such as the audit log: a plain
    build would hold every audited read until it finished."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._apply(schema_editor, to_state.apps.get_model(app_label, self.model_name), "add_index")

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._apply(schema_editor, from_state.apps.get_model(app_label, self.model_name), "remove_index")

    def _apply(self, schema_editor: Any, model: Any, method: str) -> None:
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        online = {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}
        getattr(schema_editor, method)(model, self.index, **online)
