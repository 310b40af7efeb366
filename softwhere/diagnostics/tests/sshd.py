"""Real SSH peers on loopback for the tests: a RAD-like router, a bastion, a silent box.

They run asyncssh servers in a background event loop, so the code under test
talks to them exactly as to real equipment (password login, host keys, PTY,
prompt, direct-tcpip forwarding through the bastion).
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import asyncssh

T = TypeVar("T")

RAD_PING = (
    "Reply from {ip}: bytes = 32, packet number = 0, time <= 1 ms\r\n"
    "Reply from {ip}: bytes = 32, packet number = 1, time <= 1 ms\r\n"
    "Reply from {ip}: bytes = 32, packet number = 2, time <= 1 ms\r\n"
    "Reply from {ip}: bytes = 32, packet number = 3, time <= 1 ms\r\n"
    "Reply from {ip}: bytes = 32, packet number = 4, time <= 1 ms\r\n"
    "5 packets transmitted. 5 packets received, 0% packet loss\r\n"
    "round-trip (ms) min/avg/max = 1/1/1\r\n"
)


def linux_ping(ip: str, count: int, up: bool) -> str:
    lines = [f"PING {ip} ({ip}) 56(84) bytes of data."]
    if up:
        lines += [f"64 bytes from {ip}: icmp_seq={i} ttl=60 time=16.{i} ms" for i in range(1, count + 1)]
        lines += [
            "",
            f"--- {ip} ping statistics ---",
            f"{count} packets transmitted, {count} received, 0% packet loss, time 4005ms",
        ]
        lines += ["rtt min/avg/max/mdev = 16.1/16.3/16.5/0.1 ms"]
    else:
        lines += [
            "",
            f"--- {ip} ping statistics ---",
            f"{count} packets transmitted, 0 received, 100% packet loss, time 4093ms",
        ]
    return "\n".join(lines) + "\n"


class LoopThread:
    """An asyncio loop in a daemon thread, for servers that must outlive each synchronous call."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="test-sshd", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class _PasswordServer(asyncssh.SSHServer):
    def __init__(self, users: dict[str, str], owner: Any) -> None:
        self.users, self.owner = users, owner

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.owner.connects += 1
        self.owner.connections.append(conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        ok = self.users.get(username) == password
        if not ok:
            self.owner.failed_logins += 1
        return ok

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        allow = getattr(self.owner, "forwarding", False) and dest_host in ("127.0.0.1", "localhost")
        if allow:
            self.owner.forwards.append((dest_host, dest_port))
        return allow


@dataclass
class FakeDevice:
    """A RAD ETX-203AM: prompt ``ETX203AM.<host>*#``, alarm log from a recorded output."""

    username: str
    password: str
    hostname: str = "RTE-INU_C0"
    alarm_log: str = ""
    #: log in, then never print a prompt (a device that hangs).
    silent: bool = False
    #: answer the alarm-log command with this instead (unknown format, error…).
    alarm_override: str | None = None
    host_key: asyncssh.SSHKey = field(default_factory=lambda: asyncssh.generate_private_key("ssh-ed25519"))
    port: int = 0
    connects: int = 0
    failed_logins: int = 0
    commands: list[str] = field(default_factory=list)
    rebooted: bool = False
    server: Any = None
    connections: list[Any] = field(default_factory=list)

    @property
    def prompt(self) -> str:
        return f"ETX203AM.{self.hostname}*# "

    def public_key(self) -> str:
        parts = self.host_key.export_public_key("openssh").decode().split(" ")
        return f"{parts[0]} {parts[1]}"

    async def _session(self, process: asyncssh.SSHServerProcess[str]) -> None:
        try:
            if self.silent:
                await process.stdin.read()  # until the client or the test closes the channel
                return
            process.stdout.write(f"\r\n{self.prompt}")
            while True:
                line = await process.stdin.readline()
                if not line:
                    break
                command = line.strip()
                self.commands.append(command)
                if command == "configure terminal length 0":
                    pass
                elif command == "show configure reporting alarm-log":
                    text = self.alarm_override if self.alarm_override is not None else self.alarm_log
                    process.stdout.write(text.replace("\n", "\r\n"))
                elif m := re.fullmatch(r"ping (\S+)", command):
                    process.stdout.write(RAD_PING.format(ip=m.group(1)))
                elif command == "admin reboot":
                    process.stdout.write("Device will reboot. Are you sure? [yes/no] ")
                    answer = (await process.stdin.readline()).strip()
                    self.commands.append(answer)
                    if answer == "yes":
                        self.rebooted = True
                        process.stdout.write("\r\nRebooting...\r\n")
                        break
                elif command:
                    process.stdout.write(f"cli error: Invalid Command '{command}'\r\n")
                process.stdout.write(self.prompt)
        except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged, ConnectionError):
            pass
        finally:
            process.exit(0)

    async def start(self) -> None:
        self.server = await asyncssh.create_server(
            lambda: _PasswordServer({self.username: self.password}, self),
            "127.0.0.1",
            0,
            server_host_keys=[self.host_key],
            process_factory=self._session,
            line_editor=True,
            keepalive_interval=0,
        )
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        for conn in self.connections:
            conn.close()
        self.server.close()
        await self.server.wait_closed()


@dataclass
class FakeBastion:
    """A Linux jump host: password login, ``ping``/``traceroute`` by exec, forwarding to loopback only."""

    username: str
    password: str
    #: IPs whose ping gets no answer.
    down: set[str] = field(default_factory=set)
    forwarding: bool = True
    host_key: asyncssh.SSHKey = field(default_factory=lambda: asyncssh.generate_private_key("ssh-ed25519"))
    port: int = 0
    connects: int = 0
    failed_logins: int = 0
    forwards: list[tuple[str, int]] = field(default_factory=list)
    execs: list[str] = field(default_factory=list)
    server: Any = None
    connections: list[Any] = field(default_factory=list)

    def public_key(self) -> str:
        parts = self.host_key.export_public_key("openssh").decode().split(" ")
        return f"{parts[0]} {parts[1]}"

    async def _exec(self, process: asyncssh.SSHServerProcess[str]) -> None:
        command = process.command or ""
        self.execs.append(command)
        argv = command.split()
        if argv and argv[0] == "ping":
            ip = argv[-1]
            count = int(argv[argv.index("-c") + 1]) if "-c" in argv else 5
            up = ip not in self.down
            process.stdout.write(linux_ping(ip, count, up))
            process.exit(0 if up else 1)
            return
        if argv and argv[0] == "traceroute":
            ip = argv[-1]
            process.stdout.write(
                f"traceroute to {ip} ({ip}), 20 hops max, 60 byte packets\n 1  10.185.0.1  0.412 ms  0.388 ms  0.371 ms\n"
                f" 2  {ip}  16.702 ms  16.688 ms  16.650 ms\n"
            )
            process.exit(0)
            return
        process.stderr.write(f"bash: {argv[0] if argv else ''}: command not found\n")
        process.exit(127)

    async def start(self) -> None:
        self.server = await asyncssh.create_server(
            lambda: _PasswordServer({self.username: self.password}, self),
            "127.0.0.1",
            0,
            server_host_keys=[self.host_key],
            process_factory=self._exec,
            keepalive_interval=0,
        )
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        for conn in self.connections:
            conn.close()
        self.server.close()
        await self.server.wait_closed()


class SilentTcp:
    """Accepts TCP connections and never says a word (no SSH banner): a device that never answers."""

    def __init__(self) -> None:
        self.port = 0
        self.server: asyncio.base_events.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        await reader.read()  # until the client gives up

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self.server is not None
        for w in self.writers:
            w.close()
        self.server.close()
        await self.server.wait_closed()


def closed_port() -> int:
    """A loopback port with nothing listening (bound then released)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
