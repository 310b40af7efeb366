"""SMS gateways against a real local HTTP server, and the pure rules (headers, recipients, plan, replies)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from softwhere.comms.backends import DeliveryError, FileSmsBackend, HttpSmsBackend
from softwhere.comms.services.followup import plan
from softwhere.comms.services.headers import mail_header, sms_header
from softwhere.comms.services.inbound import closure_reply_confirms, reference_candidates, strip_quoted
from softwhere.comms.services.recipients import Recipient, contact_recipient, format_recipients, parse_recipients


class Gateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    status = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append({"body": body, "auth": self.headers.get("Authorization")})
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": f"sms-{len(type(self).received)}"}).encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[tuple[str, type[Gateway]]]:
    handler = type("G", (Gateway,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sms", handler
    finally:
        server.shutdown()
        server.server_close()


def test_http_sms_backend_posts_json_with_the_token(gateway: tuple[str, Any]) -> None:
    url, handler = gateway
    backend = HttpSmsBackend(url=url, token="s3cret", sender="SOFTWHERE")
    assert backend.send("+33612345678", "SOFTWHERE INFO INCIDENT 2611000001") == "sms-1"
    assert handler.received == [
        {
            "body": {"to": "+33612345678", "text": "SOFTWHERE INFO INCIDENT 2611000001", "sender": "SOFTWHERE"},
            "auth": "Bearer s3cret",
        }
    ]


def test_http_sms_backend_raises_on_a_refusal(gateway: tuple[str, Any]) -> None:
    url, handler = gateway
    handler.status = 503
    with pytest.raises(DeliveryError, match="HTTP 503"):
        HttpSmsBackend(url=url).send("+33612345678", "x")


def test_file_sms_backend_appends_json_lines(tmp_path: Any) -> None:
    backend = FileSmsBackend(tmp_path / "out.jsonl")
    backend.send("+33612345678", "un")
    backend.send("+33700000000", "deux")
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [(x["to"], x["text"]) for x in lines] == [("+33612345678", "un"), ("+33700000000", "deux")]


def test_headers_follow_seed_004() -> None:
    # « ORANGE INFO INCIDENT 2505057242 / Votre référence : / Site : INU_MOIRA_EVPN_LA1 - Ville : MOIRANS »
    assert mail_header(brand="ORANGE", reference="2505057242", site="INU_MOIRA_EVPN_LA1", city="Moirans") == (
        "ORANGE INFO INCIDENT 2505057242 / Votre référence : / Site : INU_MOIRA_EVPN_LA1 - Ville : MOIRANS"
    )
    assert sms_header(brand="ORANGE", reference="2505057242", site="INU_MOIRA_EVPN_LA1", city="Moirans") == (
        "ORANGE INFO INCIDENT 2505057242 Site INU_MOIRA_EVPN_LA1 Ville : MOIRANS"
    )
    assert "Votre référence : CMD-77 /" in mail_header(brand="S", reference="1", client_reference="CMD-77")


def test_recipients_in_the_seed_notation() -> None:
    text = "DUPONT,06.06.06.06.06; MILLION,christine.million@orange.com;\nToto,07 81 23 45 67,toto.titi@truc.fr;"
    recipients, errors = parse_recipients(text)
    assert errors == []
    assert recipients == [
        Recipient("DUPONT", "", "+33606060606"),
        Recipient("MILLION", "christine.million@orange.com", ""),
        Recipient("Toto", "toto.titi@truc.fr", "+33781234567"),
    ]
    assert parse_recipients(format_recipients(recipients))[0] == recipients
    assert parse_recipients("SIBUT Jean-Baptiste, , pas-une-adresse@;")[1] == [
        "Adresse mail invalide : pas-une-adresse@",
        "Ni mail ni téléphone pour : SIBUT Jean-Baptiste, , pas-une-adresse@",
    ]


@pytest.mark.parametrize(
    ("preferred", "mode", "expected"),
    [
        ("mail", "both", ("a@b.fr", "")),
        ("sms", "both", ("", "+33612345678")),
        ("both", "both", ("a@b.fr", "+33612345678")),
        ("both", "mail", ("a@b.fr", "")),
        ("sms", "mail", ("a@b.fr", "")),  # the template is mail only: the contact's mail rather than nothing
    ],
)
def test_preferred_channel_decides_within_the_template_mode(
    preferred: str, mode: str, expected: tuple[str, str]
) -> None:
    r = contact_recipient(name="X", email="a@b.fr", mobile="+33612345678", preferred=preferred, mode=mode)
    assert r is not None and (r.email, r.phone) == expected
    assert contact_recipient(name="X", email="", mobile="+33612345678", preferred="sms", mode="mail") is None


def test_followup_plan_from_seed_001() -> None:
    client = plan("client_answer", reminder_hours=24, max_reminders=3, auto_close_hours=24)
    assert [(s.action, s.number, s.after) for s in client] == [
        ("reminder", 1, timedelta(hours=24)),
        ("reminder", 2, timedelta(hours=48)),
        ("reminder", 3, timedelta(hours=72)),
        ("notice", 0, timedelta(hours=96)),
        ("close", 0, timedelta(hours=120)),
    ]
    closure = plan("closure", reminder_hours=24, max_reminders=3, auto_close_hours=24)
    assert [(s.action, s.after) for s in closure] == [
        ("reminder", timedelta(hours=24)),
        ("notice", timedelta(hours=48)),
        ("close", timedelta(hours=72)),
    ]


def test_reference_and_reply_reading() -> None:
    assert reference_candidates("RE: SOFTWHERE INFO INCIDENT 2611000042 / Site : X") == ["2611000042"]
    assert reference_candidates("tel 0612345678901 et 2611000042") == ["2611000042"]
    assert reference_candidates("SW2611000042", prefix="SW") == ["SW2611000042"]
    assert strip_quoted("Oui ça marche.\n\nLe 01/12/2026, support a écrit :\n> Relance") == "Oui ça marche."
    assert closure_reply_confirms("Bonjour, tout fonctionne, merci.")
    assert not closure_reply_confirms("Le problème persiste.")
    assert not closure_reply_confirms("Ce n'est pas résolu, ça coupe encore")
    assert closure_reply_confirms("OK pour la clôture.\n> le problème persiste ?")  # the quote is not the answer


def test_spool_order_is_arrival_order() -> None:
    from softwhere.comms.inbound_server import arrival

    keys = ["1796393253.M123456P1Q2.host", "1796393253.M99999P1Q1.host", "1796393252.M999999P1Q9.host"]
    assert sorted(keys, key=arrival) == [keys[2], keys[1], keys[0]]
