"""The ONT and router LED memos of seed 000, loaded from ``data/leds.yaml``.

Pure module: the reading form, the validation of a reading and the report label
("Contrôle ONT : Power __, PON __, LOS __, LAN __, avant/après redémarrage.")
all come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .choices import LedState

DATA_FILE = Path(__file__).parent / "data" / "leds.yaml"

PHASE_LABELS = {"before": "avant redémarrage", "after": "après redémarrage"}


@dataclass(frozen=True)
class LedStateMeaning:
    state: str
    meaning: str

    @property
    def label(self) -> str:
        return LedState(self.state).label


@dataclass(frozen=True)
class Led:
    code: str
    label: str
    states: tuple[LedStateMeaning, ...]

    def allowed(self) -> set[str]:
        return {s.state for s in self.states}


@dataclass(frozen=True)
class LedMemo:
    kind: str
    title: str
    report_label: str
    leds: tuple[Led, ...]

    def led(self, code: str) -> Led:
        return next(led for led in self.leds if led.code == code)


@cache
def load_memos() -> dict[str, LedMemo]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    memos: dict[str, LedMemo] = {}
    for dev in raw["devices"]:
        leds = tuple(
            Led(
                code=led["code"],
                label=led["label"],
                states=tuple(LedStateMeaning(s["state"], s["meaning"]) for s in led["states"]),
            )
            for led in dev["leds"]
        )
        for led in leds:
            for st in led.states:
                LedState(st.state)  # the data file may only use known states
        memos[dev["kind"]] = LedMemo(dev["kind"], dev["title"], dev["report_label"], leds)
    return memos


@cache
def reference_colours() -> tuple[LedStateMeaning, ...]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(LedStateMeaning(c["state"], c["meaning"]) for c in raw["colours"])


def validate_reading(device: str, states: dict[str, Any]) -> dict[str, str]:
    """Field-level errors of a reading: every LED of the memo, each in one of its allowed states."""
    memos = load_memos()
    if device not in memos:
        return {"device": f"Équipement inconnu : {device!r} (ont ou router)."}
    memo = memos[device]
    errors: dict[str, str] = {}
    for led in memo.leds:
        value = states.get(led.code)
        if value in (None, ""):
            errors[led.code] = f"État du voyant {led.label} manquant."
        elif value not in led.allowed():
            allowed = ", ".join(LedState(s).label for s in sorted(led.allowed()))
            errors[led.code] = f"État « {value} » non prévu pour le voyant {led.label} (attendu : {allowed})."
    for extra in set(states) - {led.code for led in memo.leds}:
        errors[extra] = f"Voyant inconnu pour {memo.title} : {extra}."
    return errors


def report_label(device: str, states: dict[str, str], phase: str) -> str:
    """The memo's label with each blank filled, and the phase chosen from "avant/après redémarrage"."""
    memo = load_memos()[device]
    head = memo.report_label.split(":", 1)[0].strip()
    parts = [f"{led.label} {LedState(states[led.code]).label}" for led in memo.leds]
    return f"{head} : {', '.join(parts)}, {PHASE_LABELS[phase]}."


def export_memos() -> dict[str, Any]:
    return {
        "colours": [{"state": c.state, "label": c.label, "meaning": c.meaning} for c in reference_colours()],
        "devices": [
            {
                "kind": m.kind,
                "title": m.title,
                "report_label": m.report_label,
                "leds": [
                    {
                        "code": led.code,
                        "label": led.label,
                        "states": [{"state": s.state, "label": s.label, "meaning": s.meaning} for s in led.states],
                    }
                    for led in m.leds
                ],
            }
            for m in load_memos().values()
        ],
    }
