"""State changes of the catalogue: supervisor edits and reloads from the data file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from softwhere.accounts.choices import CATALOGUE_EDITORS
from softwhere.core.models import record_audit

from .models import EDITABLE_FIELDS, CatalogueLoad, ResolutionCase
from .services.loader import sync_catalogue


def _clean_lines(value: Any, field: str) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({field: ["Une liste de lignes de texte est attendue."]})
    return [v.strip() for v in value if v.strip()]


def edit_case(case: ResolutionCase, *, actor: Any, **changes: Any) -> ResolutionCase:
    """Supervisor edit of a case's texts. The file version stays in ``file_data`` for comparison."""
    if not (actor.is_superuser or actor.role in CATALOGUE_EDITORS):
        raise PermissionDenied("Seul un superviseur peut modifier le catalogue.")
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"is_active"}
    if unknown:
        raise ValidationError({f: ["Champ non modifiable."] for f in unknown})
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "title":
            if not str(value).strip():
                raise ValidationError({"title": ["Le titre est obligatoire."]})
            cleaned[field] = str(value).strip()
        elif field == "is_active":
            cleaned[field] = bool(value)
        else:
            cleaned[field] = _clean_lines(value, field)
    if "n1_checks" in cleaned and not cleaned["n1_checks"]:
        raise ValidationError({"n1_checks": ["Un cas doit garder au moins une vérification N1."]})
    with transaction.atomic():
        case = ResolutionCase.objects.select_for_update().get(pk=case.pk)
        diff = {f: [getattr(case, f), v] for f, v in cleaned.items() if getattr(case, f) != v}
        if not diff:
            return case
        for f, v in cleaned.items():
            setattr(case, f, v)
        case.revision += 1
        case.edited_at = timezone.now()
        case.edited_by = actor
        case.save()
        record_audit(actor, "catalogue.edit", case, diff)
    return case


def reset_case_to_file(case: ResolutionCase, *, actor: Any) -> ResolutionCase:
    return edit_case(case, actor=actor, **{f: case.file_data[f] for f in EDITABLE_FIELDS})


def load_catalogue() -> CatalogueLoad:
    with transaction.atomic():
        load: CatalogueLoad = sync_catalogue(ResolutionCase, CatalogueLoad)
    return load
