"""``softwhere diag alarms FILE --vendor rad-etx [--at ISO]`` and the other offline sub-commands."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).parent / "data"


def diag(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("diag", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.mark.parametrize("name", ["rad_etx_site1_alarm_log.txt", "rad_etx_site2_alarm_log.txt"])
def test_seed_outputs_as_of_19_june_are_stable_since_16_june(name: str) -> None:
    data, _ = diag("alarms", str(DATA / name), "--vendor", "rad-etx", "--at", "2025-06-19T10:00")
    assert set(data) == {"alarms", "verdict", "last_alarm", "transitions"}
    assert data["verdict"] == "stable"
    assert data["last_alarm"].startswith("2025-06-16T16:10:")
    assert data["transitions"] == 0
    assert all(a["timestamp"] is None or a["timestamp"].startswith("2025-06-16") for a in data["alarms"])


def test_flapping_log_and_thresholds() -> None:
    path = str(DATA / "rad_etx_flapping.txt")
    data, _ = diag("alarms", path, "--vendor", "rad-etx", "--at", "2025-06-19T12:00:00+02:00")
    assert (data["verdict"], data["transitions"]) == ("flapping", 6)
    assert data["last_alarm"] == "2025-06-19T10:31:12+02:00"
    relaxed, _ = diag("alarms", path, "--vendor", "rad-etx", "--at", "2025-06-19T12:00", "--min-transitions", "10")
    assert relaxed["verdict"] == "stable"


def test_unknown_format_gives_unknown_and_says_so() -> None:
    data, err = diag("alarms", str(DATA / "garbage.txt"), "--vendor", "rad-etx", "--at", "2025-06-19T10:00")
    assert data == {"alarms": [], "verdict": "unknown", "last_alarm": None, "transitions": 0}
    assert "format non reconnu" in err


def test_vendor_detection_without_vendor_flag() -> None:
    data, _ = diag("alarms", str(DATA / "cisco_ios_flapping.txt"), "--at", "2025-06-19T12:00")
    assert data["verdict"] == "flapping" and data["transitions"] == 4


def test_bad_arguments_are_french_errors() -> None:
    with pytest.raises(CommandError, match="date invalide"):
        diag("alarms", str(DATA / "rad_etx_empty.txt"), "--at", "hier")
    with pytest.raises(CommandError, match="lecture impossible"):
        diag("alarms", str(DATA / "absent.txt"))


def test_ping_and_traceroute_subcommands() -> None:
    ping, _ = diag("ping", str(DATA / "rad_etx_ping_site1.txt"))
    assert (ping["transmitted"], ping["received"], ping["rtt_avg_ms"]) == (5, 5, 1.0)
    trace, _ = diag("traceroute", str(DATA / "linux_traceroute.txt"))
    assert trace["reached"] and len(trace["hops"]) == 4


def test_console_script_entry_point() -> None:
    """The real ``softwhere`` entry point (no database needed for a saved log)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from softwhere.cli import main; sys.exit(main(sys.argv[1:]))",
            "diag",
            "alarms",
            str(DATA / "rad_etx_site1_alarm_log.txt"),
            "--vendor",
            "rad-etx",
            "--at",
            "2025-06-19T10:00",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(proc.stdout)["verdict"] == "stable"


@pytest.mark.django_db
def test_known_hosts_add_and_list(world: object) -> None:
    out = StringIO()
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    call_command("diag", "known-hosts", "add", "10.47.1.1", "--port", "2222", "--key", key, stdout=out)
    assert out.getvalue().startswith("ajoutée : 10.47.1.1:2222 ssh-ed25519 SHA256:")
    listing = StringIO()
    call_command("diag", "known-hosts", "list", stdout=listing)
    assert listing.getvalue().startswith("10.47.1.1:2222\tssh-ed25519\tSHA256:")
    with pytest.raises(CommandError, match="Clé publique"):
        call_command("diag", "known-hosts", "add", "10.47.1.1", "--key", "nimportequoi")


@pytest.mark.django_db
def test_run_diagnose_from_the_terminal(world: object, p2p: object) -> None:
    from .conftest import make_ticket

    ticket = make_ticket(world, p2p)  # type: ignore[arg-type]
    data, _ = diag("run", ticket.reference)
    assert [e["verdict"] for e in data["equipment"]] == ["stable", "stable"]
    with pytest.raises(CommandError, match="ticket introuvable"):
        diag("run", "0000000000")
