"""Accent- and case-insensitive matching of names, identical in Python, SQLite and PostgreSQL.

``fold_name`` is the Python side. The database side is the SQL function ``softwhere_fold``:
on SQLite it is ``fold_name`` itself, registered on every connection (``register_sqlite_fold``);
on PostgreSQL an immutable wrapper around ``unaccent`` (``customers`` migration 0003), so
that a trigram index can hold ``softwhere_fold(name)``. ``Folded("name")`` calls it from
the ORM: ``.annotate(folded=Folded("name")).filter(folded__contains=fold_name(term))``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import CharField, Func

# Ligatures that Unicode does not decompose but PostgreSQL's unaccent spells out.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def fold_name(text: str) -> str:
    """Lower case without accents or ligatures ("Société Cœur" -> "societe coeur")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Folded(Func):
    """``softwhere_fold(expression)``: the folded form of a text column, for accent-insensitive lookups."""

    function = "softwhere_fold"
    output_field = CharField()


def register_sqlite_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: give each SQLite connection the ``softwhere_fold`` function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "softwhere_fold", 1, lambda value: None if value is None else fold_name(value), deterministic=True
        )
