"""v1.0a files: the seed's columns in order, our written form, the variants we read, the syntactic check."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from softwhere.interop.services import codes, formats, v1_csv
from softwhere.interop.services.codes import Reason

SEED_COLUMNS = [
    "ReferencePrestationPrise",
    "ReferencePrise",
    "ReferenceSigSAVRaccoOC",
    "DateIncidClientFinal",
    "NatureDefaut",
    "PrelocDefaut",
    "NomClient",
    "PrenomClient",
    "ContactClient1",
    "ContactClient2",
    "IdRdv",
    "PropalRdv",
    "Commentaire",
]
# The seed's example row (slide 13), comment and all.
SEED_ROW = [
    "VIA0A0000000BBBBBBBB",
    "FI-XXXX-YYYY",
    "BTGP-MG-OI-XXXXXX-ZZZZ",
    "20120206",
    "Pas de signal",
    "COL MONTANTE",
    "DUPONT",
    "PAUL",
    "0600000001",
    "0600000002",
    "",
    "",
    "Pas de signal chez notre cliente…. Signal au PM : -19.43 dBm",
]


def deposit(rows: list[list[str]], *, sep: str = ";", header: bool = True, encoding: str = "utf-8") -> bytes:
    lines = ([sep.join(SEED_COLUMNS)] if header else []) + [sep.join(r) for r in rows]
    return "\r\n".join(lines).encode(encoding)


def reasons_of(parsed: v1_csv.ParsedFile) -> list[str]:
    return parsed.all_reasons()


def test_deposit_columns_are_the_seeds_in_order():
    assert list(v1_csv.DEPOSIT.names) == SEED_COLUMNS


def test_the_seed_example_passes_the_check_and_is_normalised():
    parsed = v1_csv.parse(deposit([SEED_ROW]), "DEPOTSAV_SWDK_OIFI_20120206153000_0001.csv")
    assert parsed.ok, reasons_of(parsed)
    data = parsed.rows[0].data
    assert data["DateIncidClientFinal"] == date(2012, 2, 6)
    assert (data["NatureDefaut"], data["PrelocDefaut"]) == ("COUPURE", "COL MONTANTE")
    assert data["ReferencePrise"] == "FI-XXXX-YYYY" and data["ContactClient2"] == "0600000002"


def test_written_form_round_trips_with_header_semicolons_crlf_utf8():
    row = dict(zip(SEED_COLUMNS, SEED_ROW, strict=True))
    row["PropalRdv"] = [formats.parse_slot("201202081400-1700"), formats.parse_slot("201202090900-1200")]
    content = v1_csv.write(v1_csv.DEPOSIT, [row])
    text = content.decode("utf-8")
    assert not content.startswith(b"\xef\xbb\xbf")
    assert text.split("\r\n")[0] == ";".join(SEED_COLUMNS)
    assert "201202081400-1700|201202090900-1200" in text
    again = v1_csv.parse(content, "x.csv", v1_csv.DEPOSIT)
    assert again.ok and [s.to_v1() for s in again.rows[0].data["PropalRdv"]] == [
        "201202081400-1700",
        "201202090900-1200",
    ]


@pytest.mark.parametrize(
    ("sep", "header", "encoding", "bom"),
    [
        (",", True, "utf-8", False),
        ("\t", True, "utf-8", True),
        ("|", False, "utf-8", False),
        (";", True, "cp1252", False),
    ],
)
def test_common_variants_are_accepted(sep, header, encoding, bom):
    row = [*SEED_ROW[:-1], "Signal dégradé au PM"]
    row[3] = "06/02/2012"
    row[8] = "+33 6 00 00 00 01"
    content = deposit([row], sep=sep, header=header, encoding=encoding)
    if bom:
        content = b"\xef\xbb\xbf" + content
    parsed = v1_csv.parse(content, None)
    assert parsed.file_type is v1_csv.DEPOSIT and parsed.ok, reasons_of(parsed)
    assert parsed.rows[0].data["ContactClient1"] == "0600000001"
    assert parsed.rows[0].data["Commentaire"] == "Signal dégradé au PM"
    assert parsed.rows[0].data["DateIncidClientFinal"] == date(2012, 2, 6)


def test_filename_and_subject():
    when = datetime(2012, 2, 6, 15, 30, tzinfo=formats.PARIS)
    name = v1_csv.build_filename(v1_csv.CLOSURE, "oifi", "SWDK", when, 7)
    assert name == "CLOTSAV_OIFI_SWDK_20120206153000_0007.csv"
    assert v1_csv.subject_for(name) == "SAV FTTH - CLOTSAV_OIFI_SWDK_20120206153000_0007.csv"
    assert v1_csv.filename_from_subject("sav ftth – " + name) == name
    assert v1_csv.type_from_filename(name) is v1_csv.CLOSURE
    assert v1_csv.type_from_filename("arsav_oifi_swdk.csv") is v1_csv.ACK


# --- rejections: each has its documented reason code ------------------------------------------------------


def test_wrong_column_count():
    parsed = v1_csv.parse(deposit([SEED_ROW[:12]]), "DEPOTSAV_SWDK_OIFI_20120206153000_0001.csv")
    assert not parsed.ok
    assert reasons_of(parsed) == [f"{Reason.FIELD_COUNT} : ligne 2 : 12 champs au lieu de 13"]


@pytest.mark.parametrize("column", ["ReferenceSigSAVRaccoOC", "DateIncidClientFinal", "NomClient", "ContactClient1"])
def test_missing_mandatory_field(column):
    row = list(SEED_ROW)
    row[SEED_COLUMNS.index(column)] = ""
    parsed = v1_csv.parse(deposit([row]), "DEPOTSAV.csv")
    assert reasons_of(parsed) == [f"{Reason.MANDATORY} : ligne 2 : {column} absent"]


def test_access_needs_one_of_the_two_references():
    row = ["", "", *SEED_ROW[2:]]
    assert reasons_of(v1_csv.parse(deposit([row]), "DEPOTSAV.csv"))[0].startswith(Reason.MANDATORY)


@pytest.mark.parametrize("value", ["20120231", "2012-13-01", "hier", "06022012"])
def test_bad_date(value):
    row = list(SEED_ROW)
    row[3] = value
    found = reasons_of(v1_csv.parse(deposit([row]), "DEPOTSAV.csv"))
    assert len(found) == 1 and found[0].startswith(f"{Reason.BAD_DATE} : ligne 2 : DateIncidClientFinal")


def test_future_incident_date_is_refused():
    row = list(SEED_ROW)
    row[3] = "20991231"
    assert reasons_of(v1_csv.parse(deposit([row]), "DEPOTSAV.csv")) == [
        f"{Reason.BAD_DATE} : ligne 2 : DateIncidClientFinal dans le futur"
    ]


def test_values_outside_the_lists_and_bad_formats():
    row = list(SEED_ROW)
    row[4], row[5], row[8], row[1] = "Coupure partielle", "CAVE", "12", "FI-123"
    found = reasons_of(v1_csv.parse(deposit([row]), "DEPOTSAV.csv"))
    assert [r.split(" : ")[2] for r in found] == ["ReferencePrise", "NatureDefaut", "PrelocDefaut", "ContactClient1"]
    assert all(r.startswith(Reason.BAD_FORMAT) for r in found)


def test_a_defect_in_the_home_needs_an_appointment_proposal():
    row = list(SEED_ROW)
    row[5] = "PTO"
    assert reasons_of(v1_csv.parse(deposit([row]), "DEPOTSAV.csv"))[0].startswith(Reason.APPOINTMENT_REQUIRED)
    row[11] = "201202081400-1700"
    assert v1_csv.parse(deposit([row]), "DEPOTSAV.csv").ok


CLOSURE_HEADER = ";".join(v1_csv.CLOSURE.names)


def closure(code: str, responsibility: str = "OI", location: str = "") -> bytes:
    row = ["BTGP-1", "OIFI1202060001", "", "FI-XXXX-YYYY", "20120207100000", code, responsibility, location, "ok"]
    return f"{CLOSURE_HEADER}\r\n{';'.join(row)}\r\n".encode()


@pytest.mark.parametrize(("code", "canonical"), [("RET01", "RET01"), ("ret-2", "RET02"), ("RET", "RET00")])
def test_closure_codes_with_sub_codes(code, canonical):
    parsed = v1_csv.parse(closure(code, location="PBO"), "CLOTSAV.csv")
    assert parsed.ok and parsed.rows[0].data["CodeCloture"] == canonical


@pytest.mark.parametrize("code", ["ANN01", "OK", "RETOUR"])
def test_closure_code_outside_ret_abs_stt_err(code):
    found = reasons_of(v1_csv.parse(closure(code), "CLOTSAV.csv"))
    assert found == [f"{Reason.CLOSURE_CODE} : ligne 2 : « {code} » : code de clôture hors RET/ABS/STT/ERR"]


@pytest.mark.parametrize("code", ["ABS01", "STT01", "ERR02"])
def test_localisation_only_with_ret(code):
    found = reasons_of(v1_csv.parse(closure(code, location="PBO"), "CLOTSAV.csv"))
    assert found == [
        f"{Reason.LOCATION_NOT_RET} : ligne 2 : LocalisationDefaut fournie avec une clôture {code} (RET seulement)"
    ]
    assert v1_csv.parse(closure(code), "CLOTSAV.csv").ok


def test_ret_needs_a_location_and_responsibility_is_oi_oc_tiers():
    assert reasons_of(v1_csv.parse(closure("RET01"), "CLOTSAV.csv"))[0].startswith(Reason.LOCATION_REQUIRED)
    assert v1_csv.parse(closure("ABS01", "tiers"), "CLOTSAV.csv").rows[0].data["Responsabilite"] == "TIERS"
    assert reasons_of(v1_csv.parse(closure("ABS01", "Client"), "CLOTSAV.csv"))[0].startswith(Reason.RESPONSIBILITY)


def test_unreadable_inputs():
    assert reasons_of(v1_csv.parse(b"", "x.csv"))[0].startswith(Reason.FILE_UNREADABLE)
    assert reasons_of(v1_csv.parse(b"\x00\x01PK", "x.csv"))[0].startswith(Reason.FILE_UNREADABLE)
    assert reasons_of(v1_csv.parse(b"a;b;c\r\n", "notes.csv"))[0].startswith(Reason.UNKNOWN_FILE)


def test_ack_ok_needs_id_and_date_ack_ko_a_reason_and_no_id():
    header = ";".join(v1_csv.ACK.names)
    ok = v1_csv.parse(f"{header}\r\nBTGP-1;;FI-XXXX-YYYY;OK;OIFI1;20120206153000;\r\n".encode(), "ARSAV.csv")
    assert ok.ok
    no_id = v1_csv.parse(f"{header}\r\nBTGP-1;;FI-XXXX-YYYY;OK;;20120206153000;\r\n".encode(), "ARSAV.csv")
    assert not no_id.ok
    ko_with_id = v1_csv.parse(f"{header}\r\nBTGP-1;;;KO;OIFI1;;ACCES_INCONNU\r\n".encode(), "ARSAV.csv")
    assert not ko_with_id.ok


def test_code_lists_accept_common_spellings():
    assert codes.parse_preloc("colonne_montante") == "COL MONTANTE"
    assert codes.parse_preloc("Raccordement palier") == "RACCO PALIER"
    assert codes.parse_nature("coupure franche") == "COUPURE"
    assert codes.parse_responsibility("Tiers") == "TIERS"
    assert codes.parse_closure_code("abs 1").code == "ABS01"  # type: ignore[union-attr]
    assert codes.parse_closure_code("XYZ01") is None


def test_maintenance_notice_one_line_per_address():
    header = ";".join(v1_csv.MAINTENANCE.names)
    lines = [
        "PREV-1;PM-75-001;201202101000;201202101400;12 rue de la Paix;75002;Paris;Remplacement coupleur",
        "PREV-1;PM-75-001;201202101000;201202101400;14 rue de la Paix;75002;Paris;Remplacement coupleur",
    ]
    parsed = v1_csv.parse(("\r\n".join([header, *lines]) + "\r\n").encode(), "PREVMAINT_OIFI_SWDK.csv")
    assert parsed.ok and len(parsed.rows) == 2
    bad = lines[0].replace("201202101400", "201202100900")
    assert reasons_of(v1_csv.parse(f"{header}\r\n{bad}\r\n".encode(), "PREVMAINT.csv"))[0].startswith(Reason.BAD_DATE)
