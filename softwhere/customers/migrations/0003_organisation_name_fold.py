"""Accent-insensitive company names: ``softwhere_fold(name)`` and its trigram index (PostgreSQL).

``softwhere_fold`` wraps ``unaccent`` in an IMMUTABLE SQL function, as an index expression
requires (``unaccent`` itself is only STABLE: its dictionary could change). It lowercases
and strips accents and ligatures like ``softwhere.core.text.fold_name``. On SQLite the same
function is registered from Python on every connection (``core.apps``): nothing to create.
"""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # The function must name unaccent's schema: an index expression runs with an empty search_path.
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
        schema = cursor.fetchone()[0]
        q = schema_editor.connection.ops.quote_name(schema)
        cursor.execute(
            "CREATE OR REPLACE FUNCTION softwhere_fold(text) RETURNS text "
            "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
            f"AS $$ SELECT lower({q}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$"
        )
        cursor.execute(
            "CREATE INDEX customers_organisation_name_fold_trgm ON customers_organisation "
            "USING gin (softwhere_fold(name) gin_trgm_ops)"
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS customers_organisation_name_fold_trgm")
        cursor.execute("DROP FUNCTION IF EXISTS softwhere_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_organisation_name_index")]

    operations = [migrations.RunPython(forwards, backwards)]
