"""Read ``data/cases.yaml`` and synchronise the ResolutionCase table with it.

Works with historical models too, so the data migration and the
``softwhere catalogue load`` command share one code path. A case edited by a
supervisor keeps its edits; only its file snapshot moves to the new version.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "cases.yaml"
REQUIRED = ("id", "number", "family", "domain", "heading", "title", "symptoms", "n1_checks", "n2_actions", "examples")
CONTENT_FIELDS = ("title", "symptoms", "n1_checks", "n2_actions", "examples")


class CatalogueFileError(ValueError):
    pass


def read_catalogue(path: Path = DATA_FILE) -> tuple[str, str, list[dict[str, Any]]]:
    raw = path.read_bytes()
    doc = yaml.safe_load(raw)
    cases = doc.get("cases") or []
    seen: set[str] = set()
    for i, case in enumerate(cases):
        missing = [k for k in REQUIRED if k not in case]
        if missing:
            raise CatalogueFileError(f"case #{i}: missing {', '.join(missing)}")
        if case["id"] in seen:
            raise CatalogueFileError(f"duplicate case id {case['id']}")
        seen.add(case["id"])
    return str(doc["version"]), hashlib.sha256(raw).hexdigest(), cases


def sync_catalogue(case_model: Any, load_model: Any, path: Path = DATA_FILE) -> Any:
    version, checksum, cases = read_catalogue(path)
    created = updated = 0
    for data in cases:
        snapshot = {k: data[k] for k in CONTENT_FIELDS}
        existing = case_model.objects.filter(pk=data["id"]).first()
        if existing is None:
            case_model.objects.create(
                id=data["id"],
                number=data["number"],
                family=data["family"],
                domain=data["domain"],
                heading=data["heading"],
                file_version=version,
                file_data=snapshot,
                **snapshot,
            )
            created += 1
            continue
        was_edited = any(getattr(existing, f) != existing.file_data.get(f) for f in CONTENT_FIELDS)
        if existing.file_data == snapshot and existing.file_version == version:
            continue
        existing.number = data["number"]
        existing.family = data["family"]
        existing.domain = data["domain"]
        existing.heading = data["heading"]
        existing.file_version = version
        existing.file_data = snapshot
        if not was_edited:
            for f in CONTENT_FIELDS:
                setattr(existing, f, snapshot[f])
        existing.save()
        updated += 1
    return load_model.objects.create(version=version, checksum=checksum, created=created, updated=updated)
