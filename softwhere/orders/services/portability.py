"""Number portability rules of seed 001 section III: operator table, cost quote, lead times, window.

Cost (III.D): one « portabilité » per run of consecutive numbers inside a block of ten
(…0 to …9), priced by the donor operator's row of the convention table (III.F): 50 €HT for
France Télécom / Orange numbers attributed to FT, 80 €HT otherwise. Analogue lines are one
portability per number, 08 numbers 150 €HT per number, 09 numbers per the table (some
carriers cannot port them). A postponement or a cancellation costs the whole request again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

import phonenumbers
import yaml

from . import calendar
from .money import Quote, QuoteError, QuoteLine, eur, json_number

DATA_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "operators.yaml"

# III.C and II.E d: « 6 à 11 jours ouvrés » after validation by OpenIP and the donor operator.
LEAD_TIME_BUSINESS_DAYS: Final = (6, 11)
# III.E: « entre 10h00 et 16h00 », « retour arrière possible dans les 2 heures ».
WINDOW_START: Final = time(10, 0)
WINDOW_END: Final = time(16, 0)
ROLLBACK_DELAY: Final = timedelta(hours=2)
# III.D: « jusqu'à 24 heures avant la date confirmée de portabilité ».
CHANGE_NOTICE: Final = timedelta(hours=24)
# III.C: « Obtention d'une convention : 6 semaines environ (si l'opérateur est référencé par l'ARCEP) ».
CONVENTION_WEEKS: Final = 6
MAX_RANGE: Final = 1000

ARCEP_URL: Final = "http://www.arcep.fr/index.php?id=8992"
UNKNOWN_OPERATOR_ADVICE: Final = (
    "La liste n'est pas exhaustive : si l'opérateur est référencé par l'ARCEP, OpenIP peut obtenir une convention "
    "de portabilité (environ 6 semaines). S'il ne l'est pas, le client doit soit contacter son opérateur pour savoir "
    "par quel opérateur référencé par l'ARCEP passe son trafic, soit repasser ses numéros chez France Télécom avant "
    f"de les porter chez OpenIP (vérification de l'attributaire : {ARCEP_URL})."
)
PARTIAL_SDA_ADVICE: Final = (
    "Il n'est en aucun cas possible de porter une partie des SDA : tous les numéros rattachés au NDI sont portés. "
    "Si le client ne souhaite pas porter tous ses numéros, il doit d'abord résilier les SDA non désirées auprès de "
    "FT (agence locale) ou de l'opérateur cédant, avec confirmation écrite de la résiliation. En attendant, OpenIP "
    "peut prêter des SDA pendant la mise en place de l'installation VoIP (renvoi inconditionnel à la charge du client)."
)


@dataclass(frozen=True)
class Operator:
    """One row of the convention table; ``special_09`` is None where the seed says « NON »."""

    name: str
    geographic: Decimal
    special_08: Decimal
    special_09: Decimal | None
    aliases: tuple[str, ...] = ()

    @property
    def main_name(self) -> str:
        return re.sub(r"\s*\(.*\)\s*", " ", self.name).replace("*", "").strip()


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", ascii_only.replace("*", "").replace("’", "'")).strip().lower()


def _money(value: Any) -> Decimal | None:
    return None if value is None else eur(Decimal(str(value)))


@cache
def operators(path: Path = DATA_FILE) -> tuple[Operator, ...]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = []
    for row in doc["operators"]:
        geographic, special_08 = _money(row["geographic"]), _money(row["special_08"])
        assert geographic is not None and special_08 is not None, row
        rows.append(
            Operator(row["name"], geographic, special_08, _money(row["special_09"]), tuple(row.get("aliases") or ()))
        )
    return tuple(rows)


def find_operator(name: str) -> Operator:
    """The table row for ``name``: case, accents and asterisks ignored; the parenthesised part optional
    when that leaves one row (« Orange » alone is ambiguous, « SFR » is the SFR row)."""
    query = _key(name or "")
    if not query:
        raise QuoteError("Opérateur cédant obligatoire.", field="operator")
    table = operators()
    exact = [op for op in table if _key(op.name) == query]
    if exact:
        return exact[0]
    matches = [op for op in table if _key(op.main_name) == query or query in {_key(a) for a in op.aliases}]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = " ou ".join(f"« {op.name.replace('*', '')} »" for op in matches)
        raise QuoteError(f"Opérateur « {name} » ambigu : précisez {names}.", field="operator")
    raise QuoteError(
        f"Opérateur « {name} » absent du tableau des opérateurs ayant une convention de portabilité avec OpenIP. "
        + UNKNOWN_OPERATOR_ADVICE,
        field="operator",
    )


# --- Numbers -------------------------------------------------------------------------------------------


GEOGRAPHIC, SPECIAL_08, NON_GEOGRAPHIC_09 = "geographic", "special_08", "non_geographic_09"
CATEGORY_LABELS: Final = {
    GEOGRAPHIC: "numéros géographiques",
    SPECIAL_08: "numéro 08",
    NON_GEOGRAPHIC_09: "numéros 09",
}


def normalize_number(value: str) -> str:
    """Any usual writing of a French fixed number (04 72…, +33 4 72…, 0033…) to its 10 national digits."""
    text = str(value).strip()
    try:
        parsed = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException as exc:
        raise QuoteError(f"Numéro illisible : « {text} ».", field="numbers") from exc
    if parsed.country_code != 33 or not phonenumbers.is_valid_number(parsed):
        raise QuoteError(f"Numéro invalide : « {text} » (numéro français à 10 chiffres attendu).", field="numbers")
    national = "0" + str(parsed.national_number)
    if national[1] in "67":
        raise QuoteError(
            f"Le numéro {national} est un mobile : seuls les numéros fixes, 08 et 09 sont portés ici.", field="numbers"
        )
    return national


def number_category(national: str) -> str:
    if national.startswith("08"):
        return SPECIAL_08
    if national.startswith("09"):
        return NON_GEOGRAPHIC_09
    return GEOGRAPHIC


def _range_parts(text: str) -> tuple[str, str] | None:
    """« A-B » / « A à B » where both sides are whole numbers (dashes inside a number are separators)."""
    for sep in re.finditer(r"\s*(?:-|–|\bà\b)\s*", text):
        left, right = text[: sep.start()], text[sep.end() :]
        if sum(c.isdigit() for c in left) >= 10 and sum(c.isdigit() for c in right) >= 10:
            return left, right
    return None


def expand_numbers(values: Iterable[str], field: str = "numbers") -> list[str]:
    """Normalise numbers; « 0176710500-0176710509 » is the inclusive range of ten numbers."""
    out: list[str] = []
    for raw in values:
        text = str(raw).strip()
        if not text:
            continue
        parts = _range_parts(text)
        try:
            if parts:
                first, last = normalize_number(parts[0]), normalize_number(parts[1])
                if last < first or int(last) - int(first) >= MAX_RANGE:
                    raise QuoteError(
                        f"Plage « {text} » invalide : croissante, {MAX_RANGE} numéros au plus.", field=field
                    )
                out.extend(f"{n:010d}" for n in range(int(first), int(last) + 1))
            else:
                out.append(normalize_number(text))
        except QuoteError as exc:
            raise QuoteError(exc.message, field=field) from exc
    return out


def runs_in_blocks_of_ten(numbers: Iterable[str]) -> list[list[str]]:
    """Maximal runs of consecutive numbers that stay inside one block of ten (…0 to …9)."""
    values = sorted({int(n) for n in numbers})
    runs: list[list[int]] = []
    for n in values:
        if runs and n == runs[-1][-1] + 1 and n // 10 == runs[-1][-1] // 10:
            runs[-1].append(n)
        else:
            runs.append([n])
    return [[f"{n:010d}" for n in run] for run in runs]


def _spaced(national: str) -> str:
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))


def _describe_run(run: Sequence[str]) -> str:
    if len(run) == 1:
        return _spaced(run[0])
    return f"{_spaced(run[0])} à {run[-1][-2:]}"


# --- Quote ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortabilityRequestData:
    """What a quote needs: the donor operator and every number, as on the carrier invoice."""

    operator: str
    numbers: Sequence[str] = ()
    analog_lines: Sequence[str] = ()
    postpone: bool = False
    cancel: bool = False
    #: Every number attached to the NDI on the donor's invoice; when given, the request must match it.
    invoice_numbers: Sequence[str] | None = None
    #: For the 24-hour rule on postponement / cancellation.
    confirmed_date: date | None = None
    requested_at: datetime | None = None

    @classmethod
    def from_json(cls, data: Any) -> PortabilityRequestData:
        """The CLI / API body: ``{"operator", "numbers", "analog_lines", "postpone", "cancel"}``."""
        if not isinstance(data, dict):
            raise QuoteError("Un objet JSON est attendu.")
        unknown = set(data) - {
            "operator",
            "numbers",
            "analog_lines",
            "postpone",
            "cancel",
            "invoice_numbers",
            "confirmed_date",
            "requested_at",
        }
        if unknown:
            raise QuoteError(f"Champ(s) inconnu(s) : {', '.join(sorted(unknown))}.")
        for key in ("numbers", "analog_lines", "invoice_numbers"):
            value = data.get(key)
            if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
                raise QuoteError(f"« {key} » : une liste de numéros (chaînes) est attendue.", field=key)
        for key in ("postpone", "cancel"):
            if not isinstance(data.get(key, False), bool):
                raise QuoteError(f"« {key} » : true ou false attendu.", field=key)
        try:
            confirmed = date.fromisoformat(data["confirmed_date"]) if data.get("confirmed_date") else None
            requested = datetime.fromisoformat(data["requested_at"]) if data.get("requested_at") else None
        except (TypeError, ValueError) as exc:
            raise QuoteError("Dates attendues au format ISO (AAAA-MM-JJ, AAAA-MM-JJTHH:MM+01:00).") from exc
        if requested is not None and requested.tzinfo is None:
            raise QuoteError("« requested_at » doit préciser le fuseau horaire.", field="requested_at")
        return cls(
            operator=str(data.get("operator") or ""),
            numbers=data.get("numbers") or [],
            analog_lines=data.get("analog_lines") or [],
            postpone=data.get("postpone", False),
            cancel=data.get("cancel", False),
            invoice_numbers=data.get("invoice_numbers"),
            confirmed_date=confirmed,
            requested_at=requested,
        )


def change_deadline(confirmed_date: date) -> datetime:
    """Last moment to postpone or cancel: 24 h before the confirmed day begins (Paris time)."""
    return calendar.at_paris(confirmed_date, time.min) - CHANGE_NOTICE


def _unit_price(operator: Operator, category: str) -> Decimal:
    if category == SPECIAL_08:
        return operator.special_08
    if category == NON_GEOGRAPHIC_09:
        if operator.special_09 is None:
            raise QuoteError(
                f"{operator.main_name} ne permet pas la portabilité des numéros 09 (tableau des conventions).",
                field="numbers",
            )
        return operator.special_09
    return operator.geographic


def check_whole_invoice(requested: Iterable[str], invoice_numbers: Iterable[str]) -> None:
    """Mandate = the invoice: every SDA attached to the NDI, no more and no less (III.A, III.C)."""
    wanted, invoiced = set(requested), set(expand_numbers(invoice_numbers, field="invoice_numbers"))
    missing, extra = sorted(invoiced - wanted), sorted(wanted - invoiced)
    if missing:
        raise QuoteError(
            f"Portabilité partielle refusée : {', '.join(_spaced(n) for n in missing)} rattaché(s) au NDI sur la "
            f"facture de l'opérateur cédant ne figure(nt) pas dans la demande. " + PARTIAL_SDA_ADVICE,
            field="numbers",
        )
    if extra:
        raise QuoteError(
            f"{', '.join(_spaced(n) for n in extra)} ne figure(nt) pas sur la facture de l'opérateur cédant : "
            "le mandat doit reprendre exactement les numéros de la facture (ni SDA en plus, ni en moins).",
            field="numbers",
        )


def quote(request: PortabilityRequestData) -> Quote:
    """Cost of a portability request; raises ``QuoteError`` (French) for an impossible request."""
    operator = find_operator(request.operator)
    numbers = expand_numbers(request.numbers, "numbers")
    analog = expand_numbers(request.analog_lines, "analog_lines")
    seen: set[str] = set()
    for n in [*numbers, *analog]:
        if n in seen:
            raise QuoteError(f"Numéro en double dans la demande : {_spaced(n)}.", field="numbers")
        seen.add(n)
    if not seen:
        raise QuoteError("Aucun numéro à porter.", field="numbers")
    if request.invoice_numbers is not None:
        check_whole_invoice(seen, request.invoice_numbers)

    lines: list[QuoteLine] = []
    for number in sorted(n for n in numbers if number_category(n) == SPECIAL_08):
        unit = _unit_price(operator, SPECIAL_08)
        lines.append(
            QuoteLine(
                f"Numéro 08 {_spaced(number)}",
                unit,
                "III.F",
                "special_08",
                {"numbers": [number], "unit_eur": json_number(unit)},
            )
        )
    for category in (GEOGRAPHIC, NON_GEOGRAPHIC_09):
        members = [n for n in numbers if number_category(n) == category]
        if not members:
            continue
        unit = _unit_price(operator, category)
        for run in runs_in_blocks_of_ten(members):
            lines.append(
                QuoteLine(
                    f"{operator.main_name} : {_describe_run(run)} "
                    + (f"({len(run)} numéros consécutifs, même tranche de 10)" if len(run) > 1 else "(numéro isolé)"),
                    unit,
                    "III.D",
                    "run",
                    {"numbers": run, "unit_eur": json_number(unit), "category": category},
                )
            )
    for number in sorted(analog):
        unit = _unit_price(operator, number_category(number))
        lines.append(
            QuoteLine(
                f"Ligne analogique {_spaced(number)} (1 numéro = 1 portabilité)",
                unit,
                "III.D",
                "analog",
                {"numbers": [number], "unit_eur": json_number(unit)},
            )
        )
    lines.sort(key=lambda line: line.extra["numbers"][0])

    base = sum((line.amount for line in lines), Decimal(0))
    if (request.postpone or request.cancel) and request.confirmed_date and request.requested_at:
        deadline = change_deadline(request.confirmed_date)
        if request.requested_at > deadline:
            raise QuoteError(
                "Report ou annulation impossible moins de 24 heures avant la date confirmée de portabilité "
                f"(limite : {deadline.astimezone(calendar.PARIS):%d/%m/%Y %H:%M}).",
                field="postpone" if request.postpone else "cancel",
            )
    if request.postpone:
        lines.append(
            QuoteLine(
                "Report de la portabilité (coût de la demande globale)", base, "III.D", "postpone", {"numbers": []}
            )
        )
    if request.cancel:
        lines.append(
            QuoteLine(
                "Annulation de la portabilité (coût de la demande globale)", base, "III.D", "cancel", {"numbers": []}
            )
        )
    return Quote(tuple(lines))


def quote_json(data: Any) -> dict[str, Any]:
    """The CLI / API answer: ``{"total_eur": …, "lines": [...]}``."""
    result = quote(PortabilityRequestData.from_json(data))
    return {"total_eur": json_number(result.total), "lines": [line.as_dict() for line in result.lines]}


# --- Dates ---------------------------------------------------------------------------------------------


def expected_porting_dates(validated_on: date) -> tuple[date, date]:
    """Earliest and latest porting day: 6 to 11 business days after validation by OpenIP and the donor."""
    low, high = LEAD_TIME_BUSINESS_DAYS
    return calendar.add_business_days(validated_on, low), calendar.add_business_days(validated_on, high)


def porting_window(day: date) -> tuple[datetime, datetime]:
    """The porting happens between 10:00 and 16:00 (Paris) on a business day."""
    if not calendar.is_business_day(day):
        raise QuoteError(
            f"Le {day:%d/%m/%Y} n'est pas un jour ouvré : pas de portabilité ce jour-là.", field="planned_date"
        )
    return calendar.at_paris(day, WINDOW_START), calendar.at_paris(day, WINDOW_END)


def rollback_deadline(validated_at: datetime) -> datetime:
    """Going back is possible within 2 hours after the porting was validated."""
    return validated_at + ROLLBACK_DELAY
