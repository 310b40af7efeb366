"""Reference search by prefix through a B-tree, not a trigram index.

References are ten digits sharing their first four (``YYMM``): every trigram of a
typed prefix is common to hundreds of thousands of tickets, so the trigram GIN read
~1 200 pages (12 ms at a million tickets) to find a hundred rows. The search only
ever asks for a prefix (``istartswith`` → ``UPPER(reference) LIKE 'X%'``), which a
B-tree with ``text_pattern_ops`` answers in a few pages whatever the collation.
"""

from typing import Any

from django.db import migrations

FORWARD = [
    "CREATE INDEX tickets_ticket_reference_prefix ON tickets_ticket ((UPPER(reference::text)) text_pattern_ops)",
    "DROP INDEX IF EXISTS tickets_ticket_reference_trgm",
]
BACKWARD = [
    "CREATE INDEX tickets_ticket_reference_trgm ON tickets_ticket USING gin ((UPPER(reference::text)) gin_trgm_ops)",
    "DROP INDEX IF EXISTS tickets_ticket_reference_prefix",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return  # the embedded SQLite desk is small; its FTS5 search is set up in 0003
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_open_tickets_per_site")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
