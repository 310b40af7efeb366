"""SSH transport (asyncssh): optional bastion, strict host keys, timeouts, prompt-driven CLI.

Pure network code: no ORM here. ``actions`` gathers endpoints and known hosts
from the database, calls these coroutines through ``run_sync`` and stores what
comes back. Every failure is a ``TransportError`` with a stable ``code`` and a
French message that names the host, never a secret.

Host keys are always checked against the desk's list: ``known_hosts`` is built
from it and is never ``None`` (which would disable verification in asyncssh).
Local ``~/.ssh`` keys, agent and config are ignored, so what the desk does
depends only on what the desk stores.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import shlex
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cryptography.utils import CryptographyDeprecationWarning

# cryptography ≥ 51 deprecates DSA, which asyncssh still declares at import time.
# The desk never uses DSA keys; without this filter every `softwhere` command
# (which loads this module through the app registry) printed the warning on stderr.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    import asyncssh

from .vendors.base import CommandRefused, VendorProfile

T = TypeVar("T")


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    username: str
    secret: str = field(repr=False)
    secret_kind: str = "password"  # or "private_key"
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Timeouts:
    connect: float = 10.0
    login: float = 15.0
    command: float = 30.0


class TransportError(Exception):
    """A check that could not be done; ``message`` is French and shown to the agent."""

    def __init__(self, code: str, message: str, *, stage: str = "device") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.stage = stage


@dataclass
class CommandOutput:
    command: str
    #: the session as the agent would have seen it: echo, output, next prompt.
    transcript: str
    output: str
    duration_ms: int


def run_sync(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine from synchronous Django code (in a worker thread when a loop already runs)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def known_hosts_from(lines: Sequence[str]) -> asyncssh.SSHKnownHosts:
    return asyncssh.import_known_hosts("\n".join(lines) + "\n" if lines else "")


def _has_entry(lines: Sequence[str], host: str, port: int) -> bool:
    name = host if port == 22 else f"[{host}]:{port}"
    return any(line.split(" ", 1)[0] == name for line in lines)


def _translate(
    exc: BaseException, ep: Endpoint, known: Sequence[str], timeouts: Timeouts, stage: str
) -> TransportError:
    where = f"{ep.host}:{ep.port}"
    prefix = f"Bastion {ep.name} : " if stage == "bastion" else ""
    if isinstance(exc, TransportError):
        return exc
    if isinstance(exc, asyncssh.HostKeyNotVerifiable):
        if _has_entry(known, ep.host, ep.port):
            return TransportError(
                "host_key_mismatch",
                f"{prefix}la clé d'hôte SSH de {where} ne correspond pas à la clé enregistrée : connexion refusée "
                "(équipement remplacé ou interception ?). Vérifiez l'empreinte avant de mettre à jour la clé.",
                stage=stage,
            )
        return TransportError(
            "host_key_unknown",
            f"{prefix}clé d'hôte SSH de {where} inconnue : ajoutez-la aux clés de confiance du desk "
            "après vérification de son empreinte.",
            stage=stage,
        )
    if isinstance(exc, asyncssh.PermissionDenied):
        return TransportError(
            "auth_failed",
            f"{prefix}authentification refusée par {where} (identifiant « {ep.username} ») : "
            "vérifiez l'identifiant enregistré dans le desk.",
            stage=stage,
        )
    if isinstance(exc, asyncssh.ChannelOpenError):
        return TransportError(
            "bastion_forward_failed",
            f"Le bastion n'a pas pu ouvrir la connexion vers {where} ({exc.reason or 'refusée'}).",
            stage=stage,
        )
    if isinstance(exc, ConnectionRefusedError):
        return TransportError(
            "connection_refused",
            f"{prefix}connexion refusée par {where} (service SSH arrêté ou port filtré).",
            stage=stage,
        )
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return TransportError(
            "timeout",
            f"{prefix}pas de réponse de {where} en {timeouts.connect + timeouts.login:g} s (délai dépassé).",
            stage=stage,
        )
    if isinstance(exc, asyncssh.DisconnectError):
        return TransportError("disconnected", f"{prefix}connexion fermée par {where} : {exc.reason}.", stage=stage)
    if isinstance(exc, OSError):
        return TransportError(
            "unreachable", f"{prefix}{where} injoignable ({exc.strerror or exc.__class__.__name__}).", stage=stage
        )
    return TransportError("ssh_error", f"{prefix}erreur SSH avec {where} ({exc.__class__.__name__}).", stage=stage)


async def _connect(
    ep: Endpoint, known: Sequence[str], timeouts: Timeouts, tunnel: asyncssh.SSHClientConnection | None, stage: str
) -> asyncssh.SSHClientConnection:
    auth: dict[str, Any]
    if ep.secret_kind == "private_key":
        try:
            key = asyncssh.import_private_key(ep.secret)
        except (asyncssh.KeyImportError, ValueError):
            raise TransportError(
                "bad_credential", f"Clé privée enregistrée illisible pour {ep.name}.", stage=stage
            ) from None
        auth = {"client_keys": [key], "password": None}
    else:
        auth = {"client_keys": None, "password": ep.secret}
    options: dict[str, Any] = {
        "username": ep.username,
        "known_hosts": known_hosts_from(known),
        "agent_path": None,
        "config": [],
        "connect_timeout": timeouts.connect,
        "login_timeout": timeouts.login,
        "keepalive_interval": 0,
        **auth,
    }
    if tunnel is not None:
        options["tunnel"] = tunnel
    try:
        # asyncssh's own timeouts cover TCP + handshake; the outer guard also covers a silent banner.
        return await asyncio.wait_for(
            asyncssh.connect(ep.host, ep.port, **options), timeout=timeouts.connect + timeouts.login
        )
    except BaseException as exc:
        if isinstance(exc, asyncio.CancelledError | KeyboardInterrupt | SystemExit):
            raise
        raise _translate(exc, ep, known, timeouts, stage) from None


class _Connections:
    """Bastion (optional) then device; closes both whatever happens."""

    def __init__(self, device: Endpoint | None, bastion: Endpoint | None, known: Sequence[str], timeouts: Timeouts):
        self.device_ep, self.bastion_ep, self.known, self.timeouts = device, bastion, known, timeouts
        self.bastion: asyncssh.SSHClientConnection | None = None
        self.device: asyncssh.SSHClientConnection | None = None

    async def __aenter__(self) -> _Connections:
        try:
            if self.bastion_ep is not None:
                self.bastion = await _connect(self.bastion_ep, self.known, self.timeouts, None, "bastion")
            if self.device_ep is not None:
                self.device = await _connect(self.device_ep, self.known, self.timeouts, self.bastion, "device")
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for conn in (self.device, self.bastion):
            if conn is not None:
                conn.close()
                with contextlib.suppress(TimeoutError, asyncssh.Error, OSError):
                    await asyncio.wait_for(conn.wait_closed(), timeout=2)


class CliSession:
    """An interactive shell on a device CLI, driven by its prompt (routers rarely support exec)."""

    def __init__(
        self, process: asyncssh.SSHClientProcess[str], vendor: VendorProfile, ep: Endpoint, timeouts: Timeouts
    ):
        self.process, self.vendor, self.ep, self.timeouts = process, vendor, ep, timeouts

    async def read_until(self, done: Callable[[str], bool], timeout: float, waiting_for: str) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        buf = ""
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TransportError(
                    "no_prompt",
                    f"L'équipement {self.ep.name} ne répond plus : pas de {waiting_for} après {timeout:g} s (délai dépassé).",
                )
            try:
                chunk = await asyncio.wait_for(self.process.stdout.read(4096), timeout=remaining)
            except TimeoutError:
                continue  # re-checked against the deadline above
            if not chunk:
                raise TransportError("session_closed", f"Session fermée par l'équipement {self.ep.name}.")
            buf += chunk.replace("\r\n", "\n").replace("\r", "")
            if self.vendor.pager is not None and self.vendor.pager.search(buf[-80:]):
                buf = self.vendor.pager.sub("", buf)
                self.process.stdin.write(" ")
                continue
            if done(buf):
                return buf

    def _prompt(self, buf: str) -> bool:
        return bool(self.vendor.prompt.search(buf))

    async def wait_prompt(self) -> str:
        return await self.read_until(self._prompt, self.timeouts.login, "invite de commande")

    async def run(self, command: str) -> CommandOutput:
        started = time.monotonic()
        self.process.stdin.write(command + "\n")
        transcript = await self.read_until(self._prompt, self.timeouts.command, f"réponse à « {command} »")
        lines = transcript.split("\n")
        body = lines[1:-1] if lines and command.strip() in lines[0] else lines[:-1]
        return CommandOutput(
            command=command,
            transcript=transcript,
            output="\n".join(body),
            duration_ms=int((time.monotonic() - started) * 1000),
        )

    async def answer(self, command: str, question: Any, reply: str, settle: float = 2.0) -> CommandOutput:
        """Send a command that asks for confirmation, confirm it, and take what follows (the device may drop us)."""
        started = time.monotonic()
        self.process.stdin.write(command + "\n")
        transcript = await self.read_until(lambda b: bool(question.search(b)), self.timeouts.command, "confirmation")
        self.process.stdin.write(reply + "\n")
        # A rebooting device closes the session or stays silent: both are expected.
        with contextlib.suppress(TransportError):
            transcript += await self.read_until(self._prompt, settle, "invite")
        return CommandOutput(command, transcript, transcript, int((time.monotonic() - started) * 1000))


async def _with_cli(
    device: Endpoint,
    vendor: VendorProfile,
    known: Sequence[str],
    bastion: Endpoint | None,
    timeouts: Timeouts,
    work: Callable[[CliSession], Awaitable[T]],
) -> T:
    async with _Connections(device, bastion, known, timeouts) as conns:
        assert conns.device is not None
        try:
            process = await asyncio.wait_for(
                conns.device.create_process(term_type="vt100", term_size=(200, 48)), timeout=timeouts.login
            )
        except BaseException as exc:
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise _translate(exc, device, known, timeouts, "device") from None
        session = CliSession(process, vendor, device, timeouts)
        try:
            await session.wait_prompt()
            for setup in vendor.session_setup:
                await session.run(setup)
            return await work(session)
        finally:
            process.close()


async def read_commands(
    device: Endpoint,
    vendor: VendorProfile,
    requests: Sequence[tuple[str, Mapping[str, str]]],
    *,
    known_hosts: Sequence[str],
    bastion: Endpoint | None = None,
    timeouts: Timeouts | None = None,
) -> list[CommandOutput]:
    """Log in (through the bastion if any) and run named read-only commands of the vendor's allow-list."""
    t = timeouts or Timeouts()
    try:
        commands = [vendor.command(name, **dict(params)) for name, params in requests]
    except CommandRefused as exc:
        raise TransportError("command_refused", str(exc)) from None

    async def work(session: CliSession) -> list[CommandOutput]:
        return [await session.run(c) for c in commands]

    return await _with_cli(device, vendor, known_hosts, bastion, t, work)


async def reboot(
    device: Endpoint,
    vendor: VendorProfile,
    *,
    known_hosts: Sequence[str],
    bastion: Endpoint | None = None,
    timeouts: Timeouts | None = None,
) -> CommandOutput:
    """The one write the desk may send, and only from the confirmed, audited reboot action."""
    spec = vendor.reboot
    if spec is None:
        raise TransportError("command_refused", f"Redémarrage à distance non pris en charge pour {vendor.label}.")

    async def work(session: CliSession) -> CommandOutput:
        return await session.answer(spec.command, spec.confirm, spec.answer)

    return await _with_cli(device, vendor, known_hosts, bastion, timeouts or Timeouts(), work)


async def exec_on_bastion(
    bastion: Endpoint, argv: Sequence[str], *, known_hosts: Sequence[str], timeouts: Timeouts | None = None
) -> CommandOutput:
    """Run a fixed command line (ping, traceroute) on the bastion; arguments are shell-quoted."""
    t = timeouts or Timeouts()
    command = " ".join(shlex.quote(a) for a in argv)
    async with _Connections(None, bastion, known_hosts, t) as conns:
        assert conns.bastion is not None
        started = time.monotonic()
        try:
            result = await conns.bastion.run(command, check=False, timeout=t.command)
        except TimeoutError:
            raise TransportError(
                "timeout",
                f"Bastion {bastion.name} : « {argv[0]} » sans réponse après {t.command:g} s.",
                stage="bastion",
            ) from None
        except asyncssh.Error as exc:
            raise _translate(exc, bastion, known_hosts, t, "bastion") from None
        out = str(result.stdout or "") + str(result.stderr or "")
        return CommandOutput(command, out, out, int((time.monotonic() - started) * 1000))


async def fetch_host_key(host: str, port: int, timeouts: Timeouts | None = None) -> str | None:
    """The key a host presents, for an agent to compare with the fingerprint given by the field team."""
    t = timeouts or Timeouts()
    try:
        key = await asyncio.wait_for(asyncssh.get_server_host_key(host, port), timeout=t.connect)
    except (OSError, asyncssh.Error, TimeoutError) as exc:
        raise _translate(exc, Endpoint(host, port, "", ""), [], t, "device") from None
    return key.export_public_key("openssh").decode().strip() if key else None
