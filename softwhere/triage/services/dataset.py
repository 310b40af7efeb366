"""Training and evaluation samples: the versioned JSONL files and the catalogue texts.

``data/train.jsonl`` and ``data/eval.jsonl`` hold one ``{"text", "case"}`` per
line. The evaluation split is never used for training. The catalogue's own
wording (titles, symptoms, examples) is added to the training samples so the
model also knows the words of the resolution sheets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from softwhere.catalogue.services.loader import read_catalogue

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TRAIN_FILE = DATA_DIR / "train.jsonl"
EVAL_FILE = DATA_DIR / "eval.jsonl"


@dataclass(frozen=True)
class Sample:
    text: str
    case: str
    weight: float = 1.0
    source: str = "data"


class DatasetError(ValueError):
    pass


def read_jsonl(path: Path, *, known_cases: Iterable[str] | None = None) -> list[Sample]:
    """Read ``{"text", "case"}`` lines; blank lines are skipped, anything else malformed is an error."""
    known = set(known_cases) if known_cases is not None else None
    samples: list[Sample] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row: Any = json.loads(line)
            text, case = str(row["text"]).strip(), str(row["case"]).strip()
        except (ValueError, KeyError, TypeError) as exc:
            raise DatasetError(f"{path.name}:{number}: expected a JSON object with text and case") from exc
        if not text:
            raise DatasetError(f"{path.name}:{number}: empty text")
        if known is not None and case not in known:
            raise DatasetError(f"{path.name}:{number}: unknown case {case!r}")
        samples.append(Sample(text=text, case=case))
    return samples


def catalogue_cases() -> list[dict[str, Any]]:
    return read_catalogue()[2]


def catalogue_samples(cases: Iterable[dict[str, Any]]) -> Iterator[Sample]:
    """The sheets' own words: "title", each symptom and each anonymised example."""
    for case in cases:
        yield Sample(text=f"{case['title']}. {case['heading']}", case=case["id"], source="catalogue")
        for line in (*case["symptoms"], *case["examples"]):
            yield Sample(text=line, case=case["id"], source="catalogue")


def training_samples(extra: Iterable[Sample] = ()) -> list[Sample]:
    """Train file + catalogue texts + ``extra`` (agents' corrections)."""
    cases = catalogue_cases()
    ids = [c["id"] for c in cases]
    return [*read_jsonl(TRAIN_FILE, known_cases=ids), *catalogue_samples(cases), *extra]


def evaluation_samples(path: Path = EVAL_FILE) -> list[Sample]:
    return read_jsonl(path, known_cases=[c["id"] for c in catalogue_cases()])
