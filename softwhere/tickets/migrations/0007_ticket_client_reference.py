"""The customer's own reference on a ticket (« Votre référence »), searchable in part like the carrier's.

The column is added with a plain ``ALTER TABLE … ADD COLUMN … DEFAULT '' NOT NULL`` on both
vendors: for a NOT NULL field, Django's SQLite backend rebuilds the whole table, and that
rebuild silently drops what earlier migrations made in raw SQL on it (the FTS5 search
triggers of 0003, the expression indexes). PostgreSQL adds a constant default without
rewriting the table (instant at a million tickets).
"""

from typing import Any

from django.db import migrations, models

ADD = "ALTER TABLE tickets_ticket ADD COLUMN client_reference varchar(60) DEFAULT '' NOT NULL"
DROP = "ALTER TABLE tickets_ticket DROP COLUMN client_reference"
# Partial: most tickets have no client reference, and probing a trigram index over a million empty
# strings cost more than the rest of the identifier search (``search.py`` repeats the predicate).
PG_INDEX = (
    "CREATE INDEX tickets_ticket_client_ref_trgm ON tickets_ticket "
    "USING gin ((UPPER(client_reference::text)) gin_trgm_ops) WHERE client_reference <> ''"
)


def forwards(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(ADD)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INDEX)  # the embedded SQLite desk is small: a scan of its tickets is fine


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS tickets_ticket_client_ref_trgm")
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_reference_prefix_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="ticket",
                    name="client_reference",
                    field=models.CharField(
                        blank=True, db_default="", default="", max_length=60, verbose_name="votre référence"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
