"""Database objects behind ticket search, created by migrations (both PostgreSQL and SQLite).

The search text lives outside the Django models on purpose: a ``Ticket.save()`` of a
stale instance must never overwrite what the database accumulated from comments
and mails, so the columns (PostgreSQL) or the FTS5 table (SQLite) are written by
triggers only.

PostgreSQL: ``tickets_ticket.search_vector`` (tsvector, ``softwhere_fr`` configuration =
French stemming + unaccent, GIN-indexed) is recomputed by a BEFORE trigger from the
subject (weight A), description (B), resolution and alerts (C) and ``search_extra``
(D), the accumulated text of comments and inbound mails. Trigram indexes serve
references, carrier references and serials typed in part.

SQLite: the FTS5 table ``tickets_ticket_search`` (rowid = ticket id, accents folded
by the ``unicode61`` tokenizer) is kept in step by triggers.

A new text source (e.g. inbound mails) is one migration operation in its app:
``AddSearchSource("comms_message", text="body", ticket="ticket_id", when="NEW.direction = 'in'")``.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

#: Text search configuration used on both sides (column and query).
TS_CONFIG = "softwhere_fr"
FTS_TABLE = "tickets_ticket_search"
#: Set to 'on' (SET LOCAL) by bulk loaders that fill ``search_extra`` themselves.
BULK_GUC = "softwhere.search_bulk"

_PG_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TS_CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG}
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
    "ALTER TABLE tickets_ticket ADD COLUMN search_extra tsvector, ADD COLUMN search_vector tsvector",
    f"""
    CREATE FUNCTION tickets_ticket_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('{TS_CONFIG}', coalesce(NEW.subject, '')), 'A')
        || setweight(to_tsvector('{TS_CONFIG}', coalesce(NEW.description, '')), 'B')
        || setweight(to_tsvector('{TS_CONFIG}', coalesce(NEW.resolution, '') || ' ' || coalesce(NEW.alerts, '')), 'C')
        || coalesce(NEW.search_extra, ''::tsvector);
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER tickets_ticket_search_insert BEFORE INSERT ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_ticket_search_vector()
    """,
    """
    CREATE TRIGGER tickets_ticket_search_update BEFORE UPDATE ON tickets_ticket
    FOR EACH ROW WHEN (
      OLD.subject IS DISTINCT FROM NEW.subject OR OLD.description IS DISTINCT FROM NEW.description
      OR OLD.resolution IS DISTINCT FROM NEW.resolution OR OLD.alerts IS DISTINCT FROM NEW.alerts
      OR OLD.search_extra IS DISTINCT FROM NEW.search_extra
    ) EXECUTE FUNCTION tickets_ticket_search_vector()
    """,
    # Appends one row's text to its ticket; arguments: text column, ticket id column.
    f"""
    CREATE FUNCTION tickets_search_append() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE row jsonb := to_jsonb(NEW);
    BEGIN
      IF coalesce(current_setting('{BULK_GUC}', true), '') = 'on' THEN RETURN NULL; END IF;
      UPDATE tickets_ticket
         SET search_extra = coalesce(search_extra, ''::tsvector)
                            || to_tsvector('{TS_CONFIG}', coalesce(row ->> TG_ARGV[0], ''))
       WHERE id = (row ->> TG_ARGV[1])::bigint;
      RETURN NULL;
    END $$
    """,
    "UPDATE tickets_ticket SET subject = subject",  # existing rows: the BEFORE trigger fills the vector
    "CREATE INDEX tickets_ticket_search_gin ON tickets_ticket USING gin (search_vector)",
    # Identifiers typed in part (icontains / istartswith compile to UPPER(col::text) LIKE UPPER(...)).
    # (The reference's trigram index was replaced by a prefix B-tree in migration 0006.)
    "CREATE INDEX tickets_ticket_reference_trgm ON tickets_ticket USING gin ((UPPER(reference::text)) gin_trgm_ops)",
    "CREATE INDEX tickets_ticket_carrier_ref_trgm ON tickets_ticket "
    "USING gin ((UPPER(carrier_ticket_reference::text)) gin_trgm_ops)",
    "CREATE INDEX inventory_service_carrier_ref_trgm ON inventory_service "
    "USING gin ((UPPER(carrier_reference::text)) gin_trgm_ops)",
    "CREATE INDEX inventory_equipment_serial_trgm ON inventory_equipment "
    "USING gin ((UPPER(serial_number::text)) gin_trgm_ops)",
    "CREATE INDEX customers_organisation_name_trgm ON customers_organisation "
    "USING gin ((UPPER(name::text)) gin_trgm_ops)",
    # Phone numbers are stored in E.164, so an exact match is enough.
    "CREATE INDEX customers_contact_phone ON customers_contact (phone) WHERE phone <> ''",
    "CREATE INDEX customers_contact_mobile ON customers_contact (mobile) WHERE mobile <> ''",
]
_PG_TEARDOWN = [
    "DROP INDEX IF EXISTS customers_contact_mobile",
    "DROP INDEX IF EXISTS customers_contact_phone",
    "DROP INDEX IF EXISTS customers_organisation_name_trgm",
    "DROP INDEX IF EXISTS inventory_equipment_serial_trgm",
    "DROP INDEX IF EXISTS inventory_service_carrier_ref_trgm",
    "DROP TRIGGER IF EXISTS tickets_ticket_search_update ON tickets_ticket",
    "DROP TRIGGER IF EXISTS tickets_ticket_search_insert ON tickets_ticket",
    "DROP FUNCTION IF EXISTS tickets_search_append() CASCADE",
    "DROP FUNCTION IF EXISTS tickets_ticket_search_vector()",
    "ALTER TABLE tickets_ticket DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS search_extra",
]

_SQLITE_SETUP = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        subject, description, extra, tokenize = 'unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER tickets_ticket_search_insert AFTER INSERT ON tickets_ticket BEGIN
        INSERT INTO {FTS_TABLE} (rowid, subject, description, extra)
        VALUES (NEW.id, NEW.subject, NEW.description || ' ' || NEW.resolution || ' ' || NEW.alerts, '');
    END""",
    f"""CREATE TRIGGER tickets_ticket_search_update
        AFTER UPDATE OF subject, description, resolution, alerts ON tickets_ticket BEGIN
        UPDATE {FTS_TABLE} SET subject = NEW.subject,
               description = NEW.description || ' ' || NEW.resolution || ' ' || NEW.alerts
         WHERE rowid = NEW.id;
    END""",
    f"""CREATE TRIGGER tickets_ticket_search_delete AFTER DELETE ON tickets_ticket BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id;
    END""",
    f"""INSERT INTO {FTS_TABLE} (rowid, subject, description, extra)
        SELECT id, subject, description || ' ' || resolution || ' ' || alerts, '' FROM tickets_ticket""",
]
_SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS tickets_ticket_search_delete",
    "DROP TRIGGER IF EXISTS tickets_ticket_search_update",
    "DROP TRIGGER IF EXISTS tickets_ticket_search_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class CreateTicketSearch(migrations.operations.base.Operation):
    """Full-text and identifier search objects for the current database vendor."""

    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # no model state: these objects are invisible to the ORM on purpose

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        vendor = schema_editor.connection.vendor
        _run(schema_editor, _PG_SETUP if vendor == "postgresql" else _SQLITE_SETUP if vendor == "sqlite" else [])

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        vendor = schema_editor.connection.vendor
        _run(schema_editor, _PG_TEARDOWN if vendor == "postgresql" else _SQLITE_TEARDOWN if vendor == "sqlite" else [])

    def describe(self) -> str:
        return "Create ticket full-text search (tsvector + GIN on PostgreSQL, FTS5 on SQLite)"


class AddSearchSource(migrations.operations.base.Operation):
    """Feed the text of new rows of ``table`` into their ticket's search document.

    ``when`` is an SQL condition on ``NEW`` (same syntax on both vendors), e.g.
    ``"NEW.kind = 'comment'"``. Rows are append-only sources: edits and deletions of
    the source row are not replayed (comments and mails are never edited).
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, table: str, *, text: str, ticket: str, when: str = "") -> None:
        self.table, self.text, self.ticket, self.when = table, text, ticket, when

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__name__, [self.table], {"text": self.text, "ticket": self.ticket, "when": self.when})

    @property
    def trigger(self) -> str:
        return f"{self.table}_search_source"

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        vendor = schema_editor.connection.vendor
        when = f"WHEN ({self.when})" if self.when else ""
        if vendor == "postgresql":
            sql = (
                f"CREATE TRIGGER {self.trigger} AFTER INSERT ON {self.table} FOR EACH ROW {when} "
                f"EXECUTE FUNCTION tickets_search_append('{self.text}', '{self.ticket}')"
            )
        elif vendor == "sqlite":
            sql = (
                f"CREATE TRIGGER {self.trigger} AFTER INSERT ON {self.table} FOR EACH ROW {when} BEGIN "
                f"UPDATE {FTS_TABLE} SET extra = extra || ' ' || NEW.{self.text} WHERE rowid = NEW.{self.ticket}; END"
            )
        else:
            return
        _run(schema_editor, [sql, *self._backfill(vendor)])

    def _backfill(self, vendor: str) -> list[str]:
        """Rows that existed before the trigger are appended once, set-based."""
        where = f"WHERE {self.when.replace('NEW.', 'src.')}" if self.when else ""
        if vendor == "postgresql":
            return [
                f"""UPDATE tickets_ticket t
                       SET search_extra = coalesce(t.search_extra, ''::tsvector) || s.v
                      FROM (SELECT src.{self.ticket} AS ticket_id,
                                   to_tsvector('{TS_CONFIG}', string_agg(src.{self.text}, ' ')) AS v
                              FROM {self.table} src {where} GROUP BY src.{self.ticket}) s
                     WHERE t.id = s.ticket_id"""
            ]
        cond = f"AND {self.when.replace('NEW.', 'src.')}" if self.when else ""
        return [
            f"""UPDATE {FTS_TABLE} SET extra = extra || ' ' || (
                    SELECT group_concat(src.{self.text}, ' ') FROM {self.table} src
                     WHERE src.{self.ticket} = {FTS_TABLE}.rowid {cond})
                 WHERE rowid IN (SELECT src.{self.ticket} FROM {self.table} src WHERE 1 = 1 {cond})"""
        ]

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            _run(schema_editor, [f"DROP TRIGGER IF EXISTS {self.trigger} ON {self.table}"])
        elif vendor == "sqlite":
            _run(schema_editor, [f"DROP TRIGGER IF EXISTS {self.trigger}"])

    def describe(self) -> str:
        return f"Index {self.table}.{self.text} in ticket search"
