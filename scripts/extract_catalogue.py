"""One-off extraction of the 69 resolution cases from seed 000 into cases.yaml.

Kept for provenance: the YAML file under softwhere/catalogue/data/ is the
versioned source of truth; re-run this only to re-derive it from the seed.
Usage: python scripts/extract_catalogue.py ../shared/seeds/000_*.txt > softwhere/catalogue/data/cases.yaml
"""

from __future__ import annotations

import re
import sys

import yaml

FAMILIES = {
    "incident": "incident",
    "parametrage": "parametrage",
    "sav": "sav",
    "administratif": "administratif",
    "commande": "commande",
}
SECTION_KEYS = {
    "Symptômes fréquents": "symptoms",
    "Vérifications / Actions N1": "n1_checks",
    "Actions / Résolutions N2": "n2_actions",
    "Exemples (anonymisés)": "examples",
}
HEADING = re.compile(r"^(\d{1,2}) (.+?) – (.+)$")
GLOSSARY = re.compile(r"^(\d{1,2})\. ([a-z0-9_]+)$")


def domain_of(case_id: str) -> str:
    family, rest = case_id.split("_", 1)
    if family == "administratif":
        return "administratif"
    return rest.split("_", 1)[0]


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        lines = [ln.replace("\u2003", " ").rstrip() for ln in fh]
    ids: dict[int, str] = {}
    for ln in lines:
        m = GLOSSARY.match(ln.strip())
        if m:
            ids[int(m.group(1))] = m.group(2)
    cases: list[dict] = []
    current: dict | None = None
    section: str | None = None
    started = False
    for raw in lines:
        ln = raw.strip()
        if not ln:
            continue
        m = HEADING.match(ln)
        if m and int(m.group(1)) in ids and "/" in m.group(2) or (m and m.group(2) == "Administratif"):
            number = int(m.group(1))
            started = True
            case_id = ids[number]
            current = {
                "id": case_id,
                "number": number,
                "family": FAMILIES[case_id.split("_", 1)[0]],
                "domain": domain_of(case_id),
                "heading": f"{m.group(2)} – {m.group(3)}",
                "title": m.group(3).strip(),
                "symptoms": [],
                "n1_checks": [],
                "n2_actions": [],
                "examples": [],
            }
            cases.append(current)
            section = None
            continue
        if not started or current is None:
            continue
        key = next((v for k, v in SECTION_KEYS.items() if ln.startswith(k)), None)
        if key:
            section = key
            continue
        if ln.isupper() and len(ln) < 40:  # family banner such as "SAV / MOBILE"
            section = None
            continue
        if section is None:
            continue
        text = re.sub(r"^(☐|–|•|-)\s*", "", ln).strip()
        if section == "n1_checks" and not ln.startswith("☐") and current[section]:
            # Case 18 details "Vérifier état voyants :" with dash sub-items (the expected
            # LED states): they belong to that one check box (docs/decisions.md).
            parent = current[section][-1]
            sep = " " if parent.endswith(":") else " ; "
            current[section][-1] = f"{parent}{sep}{text}"
            continue
        current[section].append(text)
    assert len(cases) == 69, len(cases)
    assert [c["number"] for c in cases] == list(range(1, 70))
    doc = {
        "version": "seed000-1",
        "source": "FICHES DE RÉSOLUTIONS N1 & N2 — SoftWhere (Version papier pour tests terrain)",
        "cases": cases,
    }
    yaml.safe_dump(doc, sys.stdout, allow_unicode=True, sort_keys=False, width=200)


if __name__ == "__main__":
    main(sys.argv[1])
