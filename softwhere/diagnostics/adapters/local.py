"""Ping and traceroute from the desk server itself (the system binaries)."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
import time

from .transport import CommandOutput, TransportError


def _ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise TransportError("command_refused", f"Adresse IP invalide : {value!r}.") from None


def _run(argv: list[str], timeout: float) -> CommandOutput:
    binary = shutil.which(argv[0])
    if binary is None:
        raise TransportError("tool_missing", f"Commande « {argv[0]} » absente du serveur du desk.", stage="desk")
    started = time.monotonic()
    try:
        proc = subprocess.run([binary, *argv[1:]], capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        raise TransportError(
            "timeout",
            f"« {argv[0]} » sans fin après {timeout:g} s (sortie partielle : {len(out)} caractères).",
            stage="desk",
        ) from None
    output = proc.stdout + proc.stderr
    return CommandOutput(" ".join(argv), output, output, int((time.monotonic() - started) * 1000))


def ping_argv(ip: str, count: int, wait: int) -> list[str]:
    return ["ping", "-n", "-c", str(count), "-i", "0.2", "-W", str(wait), _ip(ip)]


def traceroute_argv(ip: str, max_hops: int = 20, wait: int = 2) -> list[str]:
    return ["traceroute", "-n", "-q", "3", "-w", str(wait), "-m", str(max_hops), _ip(ip)]


def ping(ip: str, count: int, wait: int) -> CommandOutput:
    # Worst case: every probe waits ``wait`` seconds; allow for the interval and process start.
    return _run(ping_argv(ip, count, wait), timeout=count * (wait + 0.5) + 5)


def traceroute(ip: str, max_hops: int = 20, wait: int = 2) -> CommandOutput:
    return _run(traceroute_argv(ip, max_hops, wait), timeout=max_hops * 3 * wait + 5)
