"""SAV FTTH v2.0 XML documents (schemas/sav-ftth-v2.xsd): build, validate, read.

A ticket is a plain dict keyed by the XSD element names (``OcTicketId``, ``Customer``…),
dates as ``date``/``datetime``, slots as ``formats.Slot``. Parsing refuses external
entities (defusedxml) and validates against the XSD before anything is read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import xmlschema

from . import formats
from .formats import Slot

NS = "urn:softwhere:interop:sav-ftth:v2.0"
XSD_PATH = Path(__file__).resolve().parent.parent / "schemas" / "sav-ftth-v2.xsd"
CONTENT_TYPE = "application/xml; charset=utf-8"

CREATE = "CreateTroubleTicketByValueRequest"
SET = "SetTroubleTicketByValueRequest"
CREATE_RESPONSE = "CreateTroubleTicketByValueResponse"
SET_RESPONSE = "SetTroubleTicketByValueResponse"

TICKET_ORDER = (
    "OcId",
    "OiId",
    "OcTicketId",
    "OiTicketId",
    "SavType",
    "ServiceId",
    "PtoId",
    "TroubleDetectionDate",
    "TroubleNature",
    "TroubleType",
    "TroubleLocation",
    "TroubleDescription",
    "Customer",
    "AppointmentId",
    "AppointmentProposal",
    "Appointment",
    "TroubleState",
    "ResolutionState",
    "Intervention",
    "Message",
    "Closure",
)
_CHILD_ORDER = {
    "Customer": ("LastName", "FirstName", "Contact1", "Contact2"),
    "Intervention": ("Time", "Type"),
    "Message": ("Type", "Time", "Text"),
    "Closure": ("Code", "Responsibility", "DefectLocation", "Description", "Time"),
}
ACK_ORDER = ("Result", "OcTicketId", "OiTicketId", "TroubleState", "AcknowledgementTime", "ErrorCode", "ErrorText")


class V2Error(ValueError):
    """An unreadable or invalid document; ``code`` is one of ``codes.Reason``."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(f"{code} : {text}")
        self.code = code
        self.text = text


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD_PATH))


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _add(parent: ET.Element, name: str, value: Any) -> None:
    if value is None or value == "" or value == []:
        return
    if isinstance(value, list):
        for item in value:
            _add(parent, name, item)
        return
    child = ET.SubElement(parent, _q(name))
    if isinstance(value, Slot):
        ET.SubElement(child, _q("Start")).text = value.start.isoformat()
        ET.SubElement(child, _q("End")).text = value.end.isoformat()
    elif isinstance(value, dict):
        for key in _CHILD_ORDER[name]:
            _add(child, key, value.get(key))
    else:
        child.text = _text(value)


def _serialise(root: ET.Element) -> bytes:
    ET.register_namespace("", NS)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def build_request(ticket: dict[str, Any], transaction: str | None = None) -> bytes:
    root = ET.Element(_q(SET if transaction else CREATE))
    if transaction:
        ET.SubElement(root, _q("Transaction")).text = transaction
    node = ET.SubElement(root, _q("TroubleTicket"))
    unknown = set(ticket) - set(TICKET_ORDER)
    if unknown:
        raise KeyError(f"unknown v2.0 elements: {sorted(unknown)}")
    for name in TICKET_ORDER:
        _add(node, name, ticket.get(name))
    return _serialise(root)


def build_ack(response: str, ack: dict[str, Any]) -> bytes:
    root = ET.Element(_q(response))
    node = ET.SubElement(root, _q("Acknowledgement"))
    for name in ACK_ORDER:
        _add(node, name, ack.get(name))
    return _serialise(root)


def _load(data: bytes) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(data)
    except Exception as exc:  # ParseError, DTD/entity refusals of defusedxml
        raise V2Error("FICHIER_ILLISIBLE", f"XML illisible : {exc}") from None
    errors = list(schema().iter_errors(root))
    if errors:
        first = errors[0]
        where = getattr(first, "path", "") or ""
        raise V2Error("FORMAT_CHAMP", f"document non conforme au XSD ({where}) : {first.reason}")
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_slot(node: ET.Element) -> Slot:
    start = formats.parse_datetime(node.findtext(_q("Start")) or "")
    end = formats.parse_datetime(node.findtext(_q("End")) or "")
    return Slot(start, end)


def _read_ticket(node: ET.Element) -> dict[str, Any]:
    ticket: dict[str, Any] = {"AppointmentProposal": [], "Message": []}
    for child in node:
        name = _local(child.tag)
        if name in ("AppointmentProposal", "Appointment"):
            slot = _read_slot(child)
            if name == "Appointment":
                ticket[name] = slot
            else:
                ticket[name].append(slot)
        elif name in _CHILD_ORDER:
            value: dict[str, Any] = {_local(c.tag): (c.text or "").strip() for c in child}
            for key in ("Time",):
                if key in value:
                    value[key] = formats.parse_datetime(value[key])
            if name == "Message":
                ticket["Message"].append(value)
            else:
                ticket[name] = value
        elif name == "TroubleDetectionDate":
            ticket[name] = date.fromisoformat((child.text or "").strip())
        else:
            ticket[name] = (child.text or "").strip()
    return ticket


def parse_request(data: bytes) -> tuple[str, str | None, dict[str, Any]]:
    """(root element, transaction or None, ticket dict); raises V2Error when invalid."""
    root = _load(data)
    name = _local(root.tag)
    if name not in (CREATE, SET):
        raise V2Error("TYPE_FICHIER_INCONNU", f"requête attendue, reçu {name}")
    transaction = root.findtext(_q("Transaction"))
    node = root.find(_q("TroubleTicket"))
    assert node is not None  # guaranteed by the XSD
    return name, transaction, _read_ticket(node)


def parse_ack(data: bytes) -> dict[str, Any]:
    root = _load(data)
    node = root.find(_q("Acknowledgement"))
    if node is None:
        raise V2Error("TYPE_FICHIER_INCONNU", "accusé de réception attendu")
    ack: dict[str, Any] = {_local(c.tag): (c.text or "").strip() for c in node}
    ack["AcknowledgementTime"] = formats.parse_datetime(ack["AcknowledgementTime"])
    return ack
