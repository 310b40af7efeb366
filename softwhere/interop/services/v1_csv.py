"""SAV FTTH v1.0a: the normalised CSV files, their names, and the OI's syntactic check.

Pure functions: bytes in, parsed rows and KO reasons out, and back. What we write:
UTF-8 without BOM, « ; » separator, CRLF, one header line, names like
``DEPOTSAV_ABCD_OIXX_20120206153000_0001.csv``. What we read: UTF-8 (BOM or not) or
Windows-1252, separators « ; » « , » tab « | », with or without the header line.
docs/interop.md describes every file; the deposit columns are the seed's, in its order.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..choices import MessageKind
from . import codes, formats
from .codes import Reason, reason

# --- file types ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, reference, pto, date, datetime, phone, slots, nature, preloc, closure, …
    required: bool = False
    max_length: int = 255


@dataclass(frozen=True)
class FileType:
    key: str  # file-name prefix
    kind: str  # MessageKind
    columns: tuple[Column, ...]
    label: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


DEPOSIT = FileType(
    "DEPOTSAV",
    MessageKind.DEPOSIT,
    (
        Column("ReferencePrestationPrise", "reference"),
        Column("ReferencePrise", "pto"),
        Column("ReferenceSigSAVRaccoOC", "reference", required=True),
        Column("DateIncidClientFinal", "date", required=True),
        Column("NatureDefaut", "nature", required=True),
        Column("PrelocDefaut", "preloc", required=True),
        Column("NomClient", "text", required=True, max_length=60),
        Column("PrenomClient", "text", max_length=60),
        Column("ContactClient1", "phone", required=True),
        Column("ContactClient2", "phone"),
        Column("IdRdv", "reference"),
        Column("PropalRdv", "slots"),
        Column("Commentaire", "text", max_length=2000),
    ),
    "Dépôt de signalisation SAV",
)
ACK = FileType(
    "ARSAV",
    MessageKind.ACK,
    (
        Column("ReferenceSigSAVRaccoOC", "reference", required=True),
        Column("ReferencePrestationPrise", "reference"),
        Column("ReferencePrise", "pto"),
        Column("ResultatAR", "result", required=True),
        Column("IdTicketOI", "reference"),
        Column("DatePriseEnCompte", "datetime"),
        Column("MotifRefus", "text", max_length=2000),
    ),
    "Accusé de réception de signalisation",
)
INFORMATION = FileType(
    "INFOSAV",
    MessageKind.INFORMATION,
    (
        Column("ReferenceSigSAVRaccoOC", "reference", required=True),
        Column("IdTicketOI", "reference", required=True),
        Column("DateMessage", "datetime", required=True),
        Column("TypeMessage", "info_type", required=True),
        Column("IdRdv", "reference"),
        Column("PropalRdv", "slots"),
        Column("Commentaire", "text", max_length=2000),
    ),
    "Message d'information SAV",
)
CLOSURE = FileType(
    "CLOTSAV",
    MessageKind.CLOSURE,
    (
        Column("ReferenceSigSAVRaccoOC", "reference", required=True),
        Column("IdTicketOI", "reference", required=True),
        Column("ReferencePrestationPrise", "reference"),
        Column("ReferencePrise", "pto"),
        Column("DateCloture", "datetime", required=True),
        Column("CodeCloture", "closure", required=True),
        Column("Responsabilite", "responsibility", required=True),
        Column("LocalisationDefaut", "preloc"),
        Column("Commentaire", "text", max_length=2000),
    ),
    "Clôture de signalisation",
)
MAINTENANCE = FileType(
    "PREVMAINT",
    MessageKind.MAINTENANCE,
    (
        Column("ReferencePrevenance", "reference", required=True),
        Column("ReferencePM", "reference", required=True),
        Column("DateDebutPrevue", "datetime", required=True),
        Column("DateFinPrevue", "datetime", required=True),
        Column("Adresse", "text", required=True, max_length=200),
        Column("CodePostal", "postal_code", required=True),
        Column("Commune", "text", required=True, max_length=80),
        Column("Commentaire", "text", max_length=2000),
    ),
    "Prévenance de travaux de maintenance",
)
DAMAGE = FileType(
    "PREVDOMMAGE",
    MessageKind.DAMAGE,
    (
        Column("ReferenceDommage", "reference", required=True),
        Column("ReferencePM", "reference", required=True),
        Column("LocalisationDommage", "text", required=True, max_length=200),
        Column("NomContact", "text", required=True, max_length=120),
        Column("TelContact", "phone", required=True),
        Column("DateConstat", "date", required=True),
        Column("Commentaire", "text", max_length=2000),
    ),
    "Prévenance de dommage matériel",
)
DAMAGE_ACK = FileType(
    "ARPREVDOMMAGE",
    MessageKind.DAMAGE_ACK,
    (
        Column("ReferenceDommage", "reference", required=True),
        Column("ResultatAR", "result", required=True),
        Column("IdDommageOI", "reference"),
        Column("DatePriseEnCompte", "datetime"),
        Column("MotifRefus", "text", max_length=2000),
    ),
    "Accusé de réception de prévenance de dommage",
)
FILE_TYPES: dict[str, FileType] = {
    t.key: t for t in (DEPOSIT, ACK, INFORMATION, CLOSURE, MAINTENANCE, DAMAGE, DAMAGE_ACK)
}

# --- file names and mail subject ---------------------------------------------------------------------------

SUBJECT_PREFIX = "SAV FTTH - "
_FILENAME_RE = re.compile(
    r"^(?P<type>[A-Za-z]+)(?:_(?P<sender>[A-Za-z0-9]{4})_(?P<recipient>[A-Za-z0-9]{4})"
    r"(?:_(?P<stamp>\d{14}))?(?:_(?P<seq>\d+))?)?\.csv$"
)
_SUBJECT_RE = re.compile(r"^\s*SAV\s*FTTH\s*[-–—:]\s*(?P<name>\S.*?)\s*$", re.IGNORECASE)


def build_filename(file_type: FileType, sender: str, recipient: str, when: datetime, seq: int) -> str:
    return f"{file_type.key}_{sender.upper()}_{recipient.upper()}_{formats.format_datetime(when)}_{seq:04d}.csv"


def subject_for(filename: str) -> str:
    return f"{SUBJECT_PREFIX}{filename}"


def filename_from_subject(subject: str) -> str | None:
    m = _SUBJECT_RE.match(subject or "")
    return m.group("name") if m else None


def type_from_filename(filename: str | None) -> FileType | None:
    m = _FILENAME_RE.match((filename or "").strip().rsplit("/", 1)[-1])
    return FILE_TYPES.get(m.group("type").upper()) if m else None


# --- reading ------------------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (the BOM is dropped), else Windows-1252 — what spreadsheet exports produce."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", "\t", "|", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


@dataclass
class Row:
    line: int
    raw: list[str]
    values: dict[str, str] = field(default_factory=dict)  # as received, by column name
    data: dict[str, Any] = field(default_factory=dict)  # normalised (dates, codes, slots…)
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass
class ParsedFile:
    file_type: FileType | None
    rows: list[Row] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # file-level (unreadable, unknown type)
    delimiter: str = ";"

    @property
    def ok(self) -> bool:
        return not self.reasons and bool(self.rows) and all(r.ok for r in self.rows)

    def all_reasons(self) -> list[str]:
        return [*self.reasons, *(r for row in self.rows for r in row.reasons)]


def _is_header(cells: list[str], file_type: FileType | None) -> FileType | None:
    """The file type a header line names, if the line is a header (its first cell is a column name)."""
    if len(cells) < 2:
        return None
    first = codes.fold(cells[0])
    names = {codes.fold(c) for c in cells}
    candidates = [file_type] if file_type else list(FILE_TYPES.values())
    # ACK and INFORMATION both start with ReferenceSigSAVRaccoOC: the most column names in common wins.
    scored = [
        (len(names & {codes.fold(n) for n in t.names}), t) for t in candidates if first == codes.fold(t.columns[0].name)
    ]
    if not scored:
        return None
    score, best = max(scored, key=lambda pair: pair[0])
    return best if score * 2 >= len(best.columns) or file_type is not None else None


def parse(data: bytes, filename: str | None = None, expected: FileType | None = None) -> ParsedFile:
    """Read a v1.0a file and run the syntactic check (count, formats, mandatory fields) on every line."""
    file_type = expected or type_from_filename(filename)
    if not data or not data.strip():
        return ParsedFile(file_type, reasons=[reason(Reason.FILE_UNREADABLE, "fichier vide")])
    if b"\x00" in data:
        return ParsedFile(file_type, reasons=[reason(Reason.FILE_UNREADABLE, "fichier binaire, CSV attendu")])
    text = decode(data)
    lines = text.splitlines()
    delimiter = sniff_delimiter(next((line for line in lines if line.strip()), ""))
    records = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
    parsed = ParsedFile(file_type, delimiter=delimiter)
    start_line = 1
    if records:
        header_type = _is_header(records[0], file_type)
        if header_type is not None:
            parsed.file_type = file_type = header_type
            if len(records[0]) != len(header_type.columns):
                parsed.reasons.append(
                    reason(
                        Reason.FIELD_COUNT,
                        f"{len(records[0])} colonnes dans l'en-tête au lieu de {len(header_type.columns)}",
                        1,
                    )
                )
            records = records[1:]
            start_line = 2
    if file_type is None:
        # No name, no header: a deposit is the only file a third party sends us unannounced.
        file_type = parsed.file_type = DEPOSIT if records and len(records[0]) == len(DEPOSIT.columns) else None
    if file_type is None:
        parsed.reasons.append(
            reason(Reason.UNKNOWN_FILE, "type de fichier inconnu (nom normalisé ou ligne d'en-tête attendus)")
        )
        return parsed
    if not records:
        parsed.reasons.append(reason(Reason.FILE_UNREADABLE, "aucune ligne de données"))
    for offset, cells in enumerate(records):
        parsed.rows.append(check_row(file_type, cells, start_line + offset))
    return parsed


_CHECKERS: dict[str, Callable[[str], Any]] = {
    "reference": formats.parse_reference,
    "pto": formats.parse_pto,
    "date": formats.parse_date,
    "datetime": formats.parse_datetime,
    "phone": formats.parse_phone,
    "slots": formats.parse_slots,
}


def check_row(file_type: FileType, cells: list[str], line: int) -> Row:
    row = Row(line=line, raw=list(cells))
    expected = len(file_type.columns)
    if len(cells) != expected:
        row.reasons.append(reason(Reason.FIELD_COUNT, f"{len(cells)} champs au lieu de {expected}", line))
        return row
    for column, cell in zip(file_type.columns, cells, strict=True):
        value = cell.strip()
        row.values[column.name] = value
        if not value:
            if column.required:
                row.reasons.append(reason(Reason.MANDATORY, f"{column.name} absent", line))
            row.data[column.name] = None
            continue
        if len(value) > column.max_length:
            row.reasons.append(reason(Reason.BAD_FORMAT, f"{column.name} dépasse {column.max_length} caractères", line))
            continue
        try:
            row.data[column.name] = _convert(column, value, line, row)
        except formats.FormatError as exc:
            code = Reason.BAD_DATE if column.kind in ("date", "datetime") else Reason.BAD_FORMAT
            row.reasons.append(reason(code, f"{column.name} : {exc}", line))
    if not row.reasons:
        _cross_checks(file_type, row, line)
    return row


def _convert(column: Column, value: str, line: int, row: Row) -> Any:
    if column.kind in _CHECKERS:
        return _CHECKERS[column.kind](value)
    if column.kind == "nature":
        nature = codes.parse_nature(value)
        if nature is None:
            raise formats.FormatError(f"« {value} » hors liste ({', '.join(codes.NATURES)})")
        return nature
    if column.kind == "preloc":
        preloc = codes.parse_preloc(value)
        if preloc is None:
            raise formats.FormatError(f"« {value} » hors liste ({', '.join(codes.PRELOCS)})")
        return preloc
    if column.kind == "closure":
        closure = codes.parse_closure_code(value)
        if closure is None:
            row.reasons.append(reason(Reason.CLOSURE_CODE, f"« {value} » : code de clôture hors RET/ABS/STT/ERR", line))
            return None
        return closure.code
    if column.kind == "responsibility":
        responsibility = codes.parse_responsibility(value)
        if responsibility is None:
            row.reasons.append(reason(Reason.RESPONSIBILITY, f"« {value} » : responsabilité hors OI/OC/Tiers", line))
            return None
        return responsibility
    if column.kind == "result":
        result = codes.fold(value)
        if result not in ("OK", "KO"):
            raise formats.FormatError(f"« {value} » (OK ou KO attendu)")
        return result
    if column.kind == "info_type":
        info = codes.parse_info_type(value)
        if info is None:
            raise formats.FormatError(f"« {value} » hors liste ({', '.join(codes.INFO_TYPES)})")
        return info
    if column.kind == "postal_code":
        if not re.fullmatch(r"\d{5}", value):
            raise formats.FormatError(f"code postal invalide « {value} »")
        return value
    return value


def _cross_checks(file_type: FileType, row: Row, line: int) -> None:
    data = row.data
    if file_type is DEPOSIT:
        if not data["ReferencePrestationPrise"] and not data["ReferencePrise"]:
            row.reasons.append(
                reason(Reason.MANDATORY, "ReferencePrestationPrise ou ReferencePrise : l'un des deux est requis", line)
            )
        incident: date = data["DateIncidClientFinal"]
        if incident > datetime.now(formats.PARIS).date():
            row.reasons.append(reason(Reason.BAD_DATE, "DateIncidClientFinal dans le futur", line))
        needs_home = data["PrelocDefaut"] in codes.PRELOCS_IN_HOME or data["NatureDefaut"] == codes.NATURE_WEAK
        if needs_home and not data["PropalRdv"] and not data["IdRdv"]:
            row.reasons.append(
                reason(
                    Reason.APPOINTMENT_REQUIRED,
                    "défaut chez le client ou affaiblissement : PropalRdv ou IdRdv requis",
                    line,
                )
            )
    elif file_type is CLOSURE:
        code = data["CodeCloture"] or ""
        if data["LocalisationDefaut"] and not code.startswith("RET"):
            row.reasons.append(
                reason(
                    Reason.LOCATION_NOT_RET, f"LocalisationDefaut fournie avec une clôture {code} (RET seulement)", line
                )
            )
        if code.startswith("RET") and not data["LocalisationDefaut"]:
            row.reasons.append(
                reason(Reason.LOCATION_REQUIRED, "LocalisationDefaut requise avec une clôture RET", line)
            )
    elif file_type in (ACK, DAMAGE_ACK):
        key = "IdTicketOI" if file_type is ACK else "IdDommageOI"
        if data["ResultatAR"] == "OK" and not (data[key] and data["DatePriseEnCompte"]):
            row.reasons.append(reason(Reason.MANDATORY, f"AR OK sans {key} ou DatePriseEnCompte", line))
        if data["ResultatAR"] == "KO" and (data[key] or not data["MotifRefus"]):
            row.reasons.append(reason(Reason.BAD_FORMAT, f"AR KO : MotifRefus requis et pas de {key}", line))
    elif file_type is MAINTENANCE and data["DateFinPrevue"] <= data["DateDebutPrevue"]:
        row.reasons.append(reason(Reason.BAD_DATE, "DateFinPrevue avant DateDebutPrevue", line))


# --- writing ------------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return formats.format_datetime(value)
    if isinstance(value, date):
        return formats.format_date(value)
    if isinstance(value, list):
        return formats.format_slots(value)
    return re.sub(r"\s*[\r\n]+\s*", " / ", str(value)).strip()


def write(file_type: FileType, rows: list[dict[str, Any]]) -> bytes:
    """Our canonical form: header line, « ; », CRLF, UTF-8 without BOM, quotes only when needed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(file_type.names)
    for row in rows:
        unknown = set(row) - set(file_type.names)
        if unknown:
            raise KeyError(f"unknown columns for {file_type.key}: {sorted(unknown)}")
        writer.writerow([_cell(row.get(name)) for name in file_type.names])
    return out.getvalue().encode("utf-8")
