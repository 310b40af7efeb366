"""Alarm-log, ping and traceroute parsers on the seed's own outputs and on crafted ones."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from softwhere.diagnostics.adapters.vendors import (
    CommandRefused,
    UnknownVendor,
    cisco_ios,
    detect_vendor,
    get_vendor,
    parse_alarm_log,
    rad_etx,
)
from softwhere.diagnostics.services.ping import parse_ping
from softwhere.diagnostics.services.traceroute import parse_traceroute

DATA = Path(__file__).parent / "data"
PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2025, 6, 19, 12, 0, tzinfo=PARIS)


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


# --- RAD ETX-203AM (seed 004) ------------------------------------------------------------------------


def test_rad_site1_transcript_with_spaces_and_redactions() -> None:
    log = rad_etx.parse_alarm_log(read("rad_etx_site1_alarm_log.txt"), PARIS, AT)
    assert log.recognised and log.format == "rad-etx"
    first, second = log.events
    assert (first.index, first.code, first.name) == (9, "RDI", "Remote defect indication (RDI)")
    assert (first.source, first.condition, first.severity, first.state) == (
        "[REDACTED]",
        "defRDICCM",
        "Cleared",
        "Resolved",
    )
    assert first.kind == "clear"
    assert first.timestamp == datetime(2025, 6, 16, 16, 10, 44, tzinfo=PARIS)
    # Entry 10 stops after its date line: kept, dated to the day, flagged incomplete.
    assert (second.index, second.source, second.condition) == (10, "4-2-24.14", "defRDICCM")
    assert second.timestamp is not None and second.timestamp.date().isoformat() == "2025-06-16"
    assert not second.time_known and not second.complete
    assert log.truncated


def test_rad_site2_with_tabs() -> None:
    log = rad_etx.parse_alarm_log(read("rad_etx_site2_alarm_log.txt"), PARIS, AT)
    assert log.recognised
    assert [(e.index, e.code, e.severity, e.state) for e in log.events] == [
        (11, "LOC", "Cleared", "Resolved"),
        (12, "LOC", "Minor", "not-applicable"),
        (14, "RDI", "", ""),
    ]
    loc_clear, loc_raise, rdi = log.events
    assert loc_clear.source == "4.1.24.14" and loc_clear.condition == "defRemoteCCM"
    assert loc_raise.kind == "raise" and loc_raise.timestamp == datetime(2025, 6, 16, 16, 8, 43, tzinfo=PARIS)
    assert rdi.timestamp is None and not rdi.complete
    assert log.truncated


def test_rad_same_log_tabs_or_spaces_gives_same_entries() -> None:
    tabs = read("rad_etx_site2_alarm_log.txt")
    spaces = tabs.replace("\t\t\t", "      ").replace("\t\t", "   ").replace("\t", "  ")
    a = rad_etx.parse_alarm_log(tabs, PARIS, AT)
    b = rad_etx.parse_alarm_log(spaces, PARIS, AT)
    assert [e.to_dict() for e in a.events] == [e.to_dict() for e in b.events]


def test_rad_crlf_and_ansi_are_cleaned() -> None:
    text = read("rad_etx_site2_alarm_log.txt").replace("\n", "\r\n").replace("Cleared", "\x1b[1mCleared\x1b[0m")
    log = rad_etx.parse_alarm_log(text, PARIS, AT)
    assert log.events[0].severity == "Cleared" and log.events[0].state == "Resolved"


def test_rad_empty_log_is_recognised_and_empty() -> None:
    log = rad_etx.parse_alarm_log(read("rad_etx_empty.txt"), PARIS, AT)
    assert log.recognised and log.events == [] and not log.truncated
    assert rad_etx.parse_alarm_log("", PARIS, AT).recognised


def test_rad_garbage_is_kept_raw_as_unrecognised() -> None:
    text = read("garbage.txt")
    log = rad_etx.parse_alarm_log(text, PARIS, AT)
    assert not log.recognised and log.events == []
    assert log.message == "format non reconnu"
    assert log.raw == text


def test_rad_device_clock_zone_comes_from_the_sheet() -> None:
    utc = ZoneInfo("UTC")
    log = rad_etx.parse_alarm_log(read("rad_etx_site2_alarm_log.txt"), utc, AT)
    assert log.events[0].timestamp == datetime(2025, 6, 16, 16, 10, 37, tzinfo=utc)


# --- Cisco IOS ---------------------------------------------------------------------------------------------


def test_cisco_updown_lines_without_year() -> None:
    log = cisco_ios.parse_alarm_log(read("cisco_ios_flapping.txt"), PARIS, AT)
    assert log.recognised and log.format == "cisco-ios"
    updown = [e for e in log.events if e.is_transition]
    assert [(e.code, e.source, e.kind) for e in updown[:2]] == [
        ("LINK-3-UPDOWN", "GigabitEthernet0/1", "raise"),
        ("LINEPROTO-5-UPDOWN", "GigabitEthernet0/1", "raise"),
    ]
    assert updown[0].timestamp == datetime(2025, 6, 19, 8, 1, 10, 123000, tzinfo=PARIS)
    config = [e for e in log.events if e.code == "SYS-5-CONFIG_I"]
    assert config and config[0].kind == "event" and config[0].severity == "notice"


def test_cisco_year_is_the_last_one_not_in_the_future() -> None:
    text = "*Dec 31 23:59:00.000: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down\n"
    log = cisco_ios.parse_alarm_log(text, PARIS, datetime(2026, 1, 2, tzinfo=PARIS))
    assert log.events[0].timestamp is not None and log.events[0].timestamp.year == 2025


def test_cisco_with_year_sequence_and_admin_down() -> None:
    text = read("cisco_ios_stable.txt") + (
        "000046: Jun 17 2025 10:00:00.000 UTC: %LINK-5-CHANGED: Interface Gi0/0/2, changed state to administratively down\n"
        "000047: Jun 17 2025 10:00:01.000 UTC: %LINK-3-UPDOWN: Interface Gi0/0/2, changed state to administratively down\n"
    )
    log = cisco_ios.parse_alarm_log(text, PARIS, AT)
    assert log.events[0].timestamp == datetime(2025, 6, 16, 16, 8, 43, 120000, tzinfo=PARIS)
    admin = log.events[-1]
    assert admin.kind == "admin" and admin.timestamp == datetime(2025, 6, 17, 10, 0, 1, tzinfo=ZoneInfo("UTC"))


def test_cisco_garbage_unrecognised_and_empty_buffer_recognised() -> None:
    assert not cisco_ios.parse_alarm_log(read("garbage.txt"), PARIS, AT).recognised
    empty = "Syslog logging: enabled (0 messages dropped)\n\nLog Buffer (8192 bytes):\n\n"
    log = cisco_ios.parse_alarm_log(empty, PARIS, AT)
    assert log.recognised and log.events == []


# --- Registry ----------------------------------------------------------------------------------------------


def test_detection_and_registry() -> None:
    assert detect_vendor(read("rad_etx_site2_alarm_log.txt")) is rad_etx.PROFILE
    assert detect_vendor(read("cisco_ios_stable.txt")) is cisco_ios.PROFILE
    assert detect_vendor(read("garbage.txt")) is None
    unknown = parse_alarm_log(read("garbage.txt"), None, PARIS, AT)
    assert not unknown.recognised and unknown.message == "format non reconnu"
    with pytest.raises(UnknownVendor):
        get_vendor("juniper")


def test_commands_are_an_allow_list() -> None:
    rad = get_vendor("rad-etx")
    assert rad.command("alarm_log") == "show configure reporting alarm-log"
    assert rad.command("ping", ip="10.47.1.1") == "ping 10.47.1.1"
    with pytest.raises(CommandRefused):
        rad.command("configure", ip="1.1.1.1")
    with pytest.raises(CommandRefused):
        rad.command("ping", ip="10.47.1.1; admin reboot")
    assert "reboot" not in rad.commands.values() and rad.reboot is not None


# --- Ping -------------------------------------------------------------------------------------------------


def test_ping_rad_style_of_the_seed() -> None:
    r = parse_ping(read("rad_etx_ping_site1.txt"))
    assert (r.format, r.transmitted, r.received, r.loss_percent) == ("rad", 5, 5, 0.0)
    assert (r.rtt_min, r.rtt_avg, r.rtt_max) == (1.0, 1.0, 1.0)
    assert r.summary and r.reachable


def test_ping_linux_interrupted_by_ctrl_c_is_summed_from_replies() -> None:
    r = parse_ping(read("linux_ping_site2_interrupted.txt"))
    assert (r.format, r.transmitted, r.received, r.loss_percent, r.summary) == ("iputils", 6, 6, 0.0, False)
    assert (r.rtt_min, r.rtt_max) == (16.1, 18.8)
    assert r.rtt_avg == pytest.approx(16.917, abs=0.001)


def test_ping_linux_with_loss_and_unreachable() -> None:
    r = parse_ping(read("linux_ping_loss.txt"))
    assert (r.transmitted, r.received, r.loss_percent) == (4, 3, 25.0)
    assert (r.rtt_min, r.rtt_avg, r.rtt_max) == (0.045, 0.052, 0.061)
    down = parse_ping(read("linux_ping_unreachable.txt"))
    assert (down.transmitted, down.received, down.errors, down.loss_percent) == (5, 0, 2, 100.0)
    assert not down.reachable and down.rtt_avg is None
    assert down.message.startswith("injoignable")


def test_ping_windows_and_garbage() -> None:
    r = parse_ping(read("windows_ping.txt"))
    assert (r.format, r.transmitted, r.received, r.loss_percent) == ("windows", 4, 3, 25.0)
    assert (r.rtt_min, r.rtt_avg, r.rtt_max) == (0.0, 12.0, 20.0)
    g = parse_ping(read("garbage.txt"))
    assert not g.recognised and not g.reachable


# --- Traceroute -------------------------------------------------------------------------------------------


def test_traceroute() -> None:
    r = parse_traceroute(read("linux_traceroute.txt"))
    assert r.recognised and r.destination_ip == "10.36.0.9"
    assert [(h.number, h.ip, len(h.rtts_ms), h.lost) for h in r.hops] == [
        (1, "10.185.0.1", 3, 0),
        (2, "10.0.3.13", 2, 1),
        (3, "", 0, 3),
        (4, "10.36.0.9", 3, 0),
    ]
    assert r.hops[1].host == "pe-grej2.example.net"
    assert r.reached
    cut = parse_traceroute("traceroute to 10.0.0.9 (10.0.0.9), 30 hops max\n 1  10.185.0.1  0.4 ms\n 2  * * *\n")
    assert not cut.reached and "non atteinte" in cut.message
    assert not parse_traceroute(read("garbage.txt")).recognised


def test_chart_places_transitions_and_escapes_device_text() -> None:
    from datetime import timedelta

    from softwhere.diagnostics.services.chart import Lane, transitions_svg

    lane = Lane("<b>routeur</b>", [(AT - timedelta(days=1), "raise", "<script>alert(1)</script>"), (AT, "clear", "ok")])
    svg = transitions_svg([lane], end=AT, days=7, tz=PARIS)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
    assert svg.count('stroke="#dc3545"') == 1 and svg.count('stroke="#198754"') == 1
    old = Lane("r", [(AT - timedelta(days=30), "raise", "old")])
    assert 'stroke="#dc3545"' not in transitions_svg([old], end=AT, days=7, tz=PARIS)
