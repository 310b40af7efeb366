"""Accent-insensitive names: Python's fold_name and the database's softwhere_fold agree (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from softwhere.core import testing as t
from softwhere.core.text import Folded, fold_name
from softwhere.customers.models import Organisation

NAMES = [
    ("Société Générale", "societe generale"),
    ("ÉLECTRICITÉ DU NORD", "electricite du nord"),
    ("Boulangerie Cœur de Lyon", "boulangerie coeur de lyon"),
    ("Ex Æquo Conseil", "ex aequo conseil"),
    ("Crêperie L'Îlot", "creperie l'ilot"),
    ("Garage Müller & Fils", "garage muller & fils"),
    ("Ça Déménage", "ca demenage"),
]


@pytest.mark.parametrize(("name", "folded"), NAMES)
def test_fold_name(name: str, folded: str) -> None:
    assert fold_name(name) == folded


@pytest.mark.django_db
def test_database_folds_like_python() -> None:
    for name, _ in NAMES:
        t.make_organisation(name)
    rows = Organisation.objects.filter(name__in=[n for n, _ in NAMES]).annotate(folded=Folded("name"))
    assert sorted(rows.values_list("name", "folded")) == sorted(NAMES)
    # Contained in any writing: unaccented, upper case, with the ligature spelled out or not.
    for typed, expected in (("SOCIETE GEN", "Société Générale"), ("cœur de", "Boulangerie Cœur de Lyon"),
                            ("coeur DE", "Boulangerie Cœur de Lyon"), ("ilot", "Crêperie L'Îlot")):  # fmt: skip
        found = rows.filter(folded__contains=fold_name(typed)).values_list("name", flat=True)
        assert list(found) == [expected], typed
