"""SSH through a real bastion to real (in-process) routers, and every fault the desk must survive."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from softwhere.diagnostics import actions
from softwhere.diagnostics.adapters import transport
from softwhere.diagnostics.adapters.vendors import get_vendor
from softwhere.diagnostics.choices import Verdict
from softwhere.diagnostics.models import DiagnosticRun, KnownHost
from softwhere.tickets.choices import TimelineKind

from .conftest import DATA, DEVICE_PASSWORD, assert_no_secret, make_ticket
from .sshd import FakeDevice, LoopThread, SilentTcp, closed_port

pytestmark = pytest.mark.django_db

#: connect + login + command timeouts of the test settings, plus slack for a loaded machine.
BOUND = 2 + 2 + 3 + 4


@pytest.fixture
def ticket(world: SimpleNamespace, p2p: SimpleNamespace) -> Any:
    return make_ticket(world, p2p)


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)


def _timeline(ticket: Any) -> list[Any]:
    return list(ticket.timeline.filter(kind=TimelineKind.DIAGNOSTIC).order_by("id"))


def _no_secret_anywhere(caplog: pytest.LogCaptureFixture, ticket: Any) -> None:
    assert_no_secret(caplog.text)
    for entry in ticket.timeline.all():
        assert_no_secret(entry.body, entry.data)
    for run in DiagnosticRun.objects.all():
        assert_no_secret(run.raw_output, run.parsed, run.message, run.command)


def test_alarm_log_read_through_the_bastion(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace, caplog: Any
) -> None:
    run = actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1)
    assert run.verdict == Verdict.STABLE
    assert run.message.startswith("stable depuis le 16/06/2025")
    assert "journal tronqué" in run.message  # the seed's copy stops mid-entry
    assert run.via == "bastion oc4rebond1"
    assert run.command == "show configure reporting alarm-log"
    # The device was reached through the bastion's direct-tcpip channel, not directly.
    assert ("127.0.0.1", p2p.dev_a.port) in p2p.fake_bastion.forwards
    assert p2p.dev_a.commands == ["configure terminal length 0", "show configure reporting alarm-log"]
    # Raw output kept whole: the device's own text with its prompt and echo.
    assert "9      Remote defect indication (RDI)" in run.raw_output
    assert "ETX203AM.RTE-INU_C0*# show configure reporting alarm-log" in run.raw_output
    assert run.parsed["analysis"]["last_alarm"] == "2025-06-16T16:10:44+02:00"
    [entry] = _timeline(ticket)
    assert entry.data["diagnostic_run"] == run.pk and entry.data["raw_output"] == run.raw_output
    assert "stable depuis le 16/06/2025" in entry.body and entry.author == world.n1
    _no_secret_anywhere(caplog, ticket)


def test_ping_from_the_bastion(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    run = actions.run_ping(p2p.sheet_b, ticket=ticket, actor=world.n1)
    assert run.verdict == Verdict.REACHABLE
    assert p2p.fake_bastion.execs == ["ping -n -c 3 -i 0.2 -W 1 127.0.0.1"]
    assert (run.parsed["transmitted"], run.parsed["received"], run.parsed["loss_percent"]) == (3, 3, 0.0)
    p2p.fake_bastion.down.add("127.0.0.1")
    down = actions.run_ping(p2p.sheet_b, ticket=ticket, actor=world.n1)
    assert down.verdict == Verdict.UNREACHABLE and down.message.startswith("injoignable")


def test_traceroute_from_the_bastion(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    run = actions.run_traceroute(p2p.sheet_a, ticket=ticket, actor=world.n1)
    assert run.verdict == Verdict.REACHABLE and run.parsed["reached"]
    assert p2p.fake_bastion.execs[0].startswith("traceroute -n")


def test_direct_connection_without_bastion(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    actions.save_bastion(actor=world.admin, bastion=p2p.bastion, enabled=False)
    run = actions.read_alarm_log(p2p.sheet_b, ticket=ticket, actor=world.n1)
    assert run.verdict == Verdict.STABLE and run.via == "desk (connexion directe)"
    assert p2p.fake_bastion.forwards == []


# --- Faults: clear French message, bounded time, no secret -------------------------------------------------------


def _timed(call: Callable[[], DiagnosticRun]) -> tuple[DiagnosticRun, float]:
    started = time.monotonic()
    run = call()
    return run, time.monotonic() - started


def test_wrong_host_key_is_refused(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace, caplog: Any) -> None:
    impostor = FakeDevice(username="x", password="y")  # only for its (different) key
    KnownHost.objects.filter(port=p2p.dev_a.port).delete()
    actions.add_known_host(actor=world.admin, host="127.0.0.1", port=p2p.dev_a.port, public_key=impostor.public_key())
    run, _ = _timed(lambda: actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1))
    assert (run.verdict, run.error_code) == (Verdict.ERROR, "host_key_mismatch")
    assert "ne correspond pas à la clé enregistrée" in run.message
    assert p2p.dev_a.commands == [] and p2p.dev_a.failed_logins == 0  # no password was offered
    assert "ne correspond pas" in _timeline(ticket)[-1].body
    _no_secret_anywhere(caplog, ticket)


def test_unknown_host_key_is_refused(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    KnownHost.objects.filter(port=p2p.dev_b.port).delete()
    run = actions.read_alarm_log(p2p.sheet_b, ticket=ticket, actor=world.n1)
    assert (run.verdict, run.error_code) == (Verdict.ERROR, "host_key_unknown")
    assert "clé d'hôte SSH de 127.0.0.1:" in run.message and "inconnue" in run.message


def test_wrong_password(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace, caplog: Any) -> None:
    actions.save_credential(
        actor=world.admin,
        credential=p2p.device_cred,
        name="routeurs RTE",
        username="jmartial",
        secret="not-the-right-one",
    )
    run, elapsed = _timed(lambda: actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1))
    assert (run.verdict, run.error_code) == (Verdict.ERROR, "auth_failed")
    assert "authentification refusée" in run.message and "jmartial" in run.message
    assert "not-the-right-one" not in run.message + caplog.text + _timeline(ticket)[-1].body
    assert p2p.dev_a.failed_logins >= 1 and elapsed < BOUND
    _no_secret_anywhere(caplog, ticket)


def test_wrong_bastion_password(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    actions.save_credential(
        actor=world.admin, credential=p2p.bastion_cred, name="rebond", username="jmartial", secret="bad-bastion-pw"
    )
    run = actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1)
    assert run.verdict == Verdict.ERROR  # the desk could not check: not the equipment's fault
    assert run.message.startswith("Bastion oc4rebond1 : authentification refusée")


def test_unreachable_host_through_the_bastion(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace, caplog: Any
) -> None:
    actions.save_service_sheet(p2p.router_a, actor=world.admin, ssh_port=closed_port())
    p2p.sheet_a.refresh_from_db()
    run, elapsed = _timed(lambda: actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1))
    assert (run.verdict, run.error_code) == (Verdict.UNREACHABLE, "bastion_forward_failed")
    assert "Le bastion n'a pas pu ouvrir la connexion vers 127.0.0.1:" in run.message
    assert elapsed < BOUND
    _no_secret_anywhere(caplog, ticket)


def test_unreachable_host_direct(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    actions.save_bastion(actor=world.admin, bastion=p2p.bastion, enabled=False)
    actions.save_service_sheet(p2p.router_a, actor=world.admin, ssh_port=closed_port())
    p2p.sheet_a.refresh_from_db()
    run, elapsed = _timed(lambda: actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1))
    assert (run.verdict, run.error_code) == (Verdict.UNREACHABLE, "connection_refused")
    assert "connexion refusée par 127.0.0.1:" in run.message and elapsed < BOUND


def test_device_that_never_sends_a_banner_times_out(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace, sshd_loop: LoopThread, caplog: Any
) -> None:
    silent = SilentTcp()
    sshd_loop.run(silent.start())
    try:
        actions.save_service_sheet(p2p.router_a, actor=world.admin, ssh_port=silent.port)
        p2p.sheet_a.refresh_from_db()
        run, elapsed = _timed(lambda: actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1))
    finally:
        sshd_loop.run(silent.stop())
    assert (run.verdict, run.error_code) == (Verdict.UNREACHABLE, "timeout")
    assert "pas de réponse de 127.0.0.1:" in run.message and "délai dépassé" in run.message
    assert elapsed < BOUND
    _no_secret_anywhere(caplog, ticket)


def test_device_that_logs_in_but_never_prompts(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace, make_device: Callable[..., FakeDevice]
) -> None:
    hung = make_device(silent=True)
    actions.add_known_host(actor=world.admin, host="127.0.0.1", port=hung.port, public_key=hung.public_key())
    actions.save_service_sheet(p2p.router_a, actor=world.admin, ssh_port=hung.port)
    p2p.sheet_a.refresh_from_db()
    run, elapsed = _timed(lambda: actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1))
    assert (run.verdict, run.error_code) == (Verdict.UNREACHABLE, "no_prompt")
    assert "ne répond plus" in run.message and "délai dépassé" in run.message
    assert hung.connects == 1 and elapsed < BOUND


def test_unknown_log_format_is_kept_raw(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    garbage = (DATA / "garbage.txt").read_text()
    p2p.dev_b.alarm_override = garbage
    run = actions.read_alarm_log(p2p.sheet_b, ticket=ticket, actor=world.n1)
    assert (run.verdict, run.error_code) == (Verdict.UNKNOWN, "unknown_format")
    assert run.message.startswith("format non reconnu")
    assert "lorem ipsum dolor sit amet" in run.raw_output
    assert "format non reconnu" in _timeline(ticket)[-1].body


def test_cli_error_of_the_device_is_not_read_as_an_empty_log(
    p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace
) -> None:
    p2p.dev_b.alarm_override = "cli error: Command not allowed\n"
    run = actions.read_alarm_log(p2p.sheet_b, ticket=ticket, actor=world.n1)
    assert run.verdict == Verdict.UNKNOWN


def test_missing_credential(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    actions.save_service_sheet(p2p.router_a, actor=world.admin, credential=None)
    p2p.sheet_a.refresh_from_db()
    run = actions.read_alarm_log(p2p.sheet_a, ticket=ticket, actor=world.n1)
    assert (run.verdict, run.error_code) == (Verdict.ERROR, "no_credential")
    assert run.message.startswith("Aucun identifiant enregistré pour l'équipement")


def test_transport_refuses_commands_outside_the_allow_list(p2p: SimpleNamespace) -> None:
    device = transport.Endpoint("127.0.0.1", p2p.dev_a.port, "jmartial", DEVICE_PASSWORD)
    with pytest.raises(transport.TransportError) as err:
        transport.run_sync(
            lambda: transport.read_commands(device, get_vendor("rad-etx"), [("reboot", {})], known_hosts=[])
        )
    assert err.value.code == "command_refused"
    assert p2p.dev_a.connects == 0
    assert "secret='" not in repr(device) and DEVICE_PASSWORD not in repr(device)


def test_desk_side_ping_uses_the_system_binary(p2p: SimpleNamespace, ticket: Any, world: SimpleNamespace) -> None:
    import shutil

    if shutil.which("ping") is None:
        pytest.skip("iputils-ping absent (apt-get install iputils-ping)")
    run = actions.run_ping(p2p.sheet_a, ticket=ticket, actor=world.n1, source="desk")
    assert run.via == "desk" and run.command.startswith("ping -n -c 3")
    assert run.verdict == Verdict.REACHABLE, run.raw_output
    assert run.parsed["format"] == "iputils" and run.parsed["received"] == 3
