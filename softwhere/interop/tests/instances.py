"""A second running desk for the two-instance tests: the OI, with its own SQLite database and processes.

The test process is the OC. The OI is set up through ``manage.py shell`` (an access it serves
and the peer row for us), runs as real processes (``interop smtpd``, ``serve``, ``worker``)
and is worked by its agent through ``softwhere interop oi …``, as in production.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import httpx

from softwhere.interop.inbound import poll_spool

from .conftest import PRESTATION, PTO, free_port, run_jobs

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"

# The OI's world: the access it serves for us, and how it sees us (peer row, API account).
SETUP = """
import json
from softwhere.accounts.choices import Role as UserRole
from softwhere.accounts.models import ApiToken
from softwhere.core import testing as t
from softwhere.customers.choices import OrganisationKind
from softwhere.interop.choices import Role
from softwhere.interop.models import InteropPeer, ServedAccess
from softwhere.inventory.choices import AccessTechnology

spec = json.loads({spec!r})
operator = t.make_organisation(name="Fibre Infra", kind=OrganisationKind.OPERATOR)
site = t.make_site(t.make_organisation(name="Résidence Les Tilleuls"))
access = t.make_access(site, technology=AccessTechnology.FIBRE)
caller = t.make_user(UserRole.PARTNER, operator, "interop-swdk")
peer = InteropPeer(
    name="SoftWhere", code="SWDK", peer_role=Role.OC, local_code="OIFI", inbound_user=caller, **spec["peer"]
)
peer.full_clean()
peer.save()
ServedAccess.objects.create(
    peer=peer, access=access, reference_prise=spec["pto"], reference_prestation=spec["prestation"]
)
print(json.dumps({{"key": ApiToken.issue(caller, "interop")[1]}}))
"""


def migrated_database(root: Path) -> Path:
    """A migrated, empty desk database: each OI instance starts from a copy (one ``migrate`` per session)."""
    instance = OiInstance(root)
    instance.manage("migrate", "-v0")
    return instance.database


class OiInstance:
    """The other desk: environment, background processes, and its CLI.

    ``idle`` wraps every wait on the other desk (its CLI, its start-up): the OC side gives up
    its database there so the OI's calls to our live server get through (see ``OcServer``).
    """

    def __init__(self, root: Path, *, template: Path | None = None, idle: Callable[[], Any] = nullcontext) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.database = root / "oi.sqlite3"
        if template is not None:
            shutil.copyfile(template, self.database)
        self.idle: Callable[[], AbstractContextManager[Any]] = idle
        self.env = {
            **os.environ,
            "SOFTWHERE_DATABASE_URL": f"sqlite:///{self.database}",
            "SOFTWHERE_DATA_DIR": str(root),
            "DJANGO_SETTINGS_MODULE": "softwhere.settings",
        }
        self.env.pop("SOFTWHERE_ENV", None)
        self.processes: list[subprocess.Popen[bytes]] = []
        self.url = ""

    def manage(self, *args: str) -> str:
        with self.idle():
            done = subprocess.run(
                [sys.executable, str(MANAGE), *args],
                env=self.env,
                cwd=MANAGE.parent,
                capture_output=True,
                timeout=120,
                check=False,
            )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        return done.stdout.decode()

    def setup(self, **peer: Any) -> str:
        """Create the OI's data; ``peer`` are the protocol fields of its row for us. Returns our API key there."""
        spec = json.dumps({"peer": peer, "pto": PTO, "prestation": PRESTATION})
        out = self.manage("shell", "-c", SETUP.format(spec=spec))
        return str(json.loads(out.strip().splitlines()[-1])["key"])

    def start(self, *args: str) -> None:
        log = open(self.root / f"{args[0]}.log", "wb")  # noqa: SIM115 - closed with the process
        self.processes.append(
            subprocess.Popen(
                [sys.executable, str(MANAGE), *args], env=self.env, cwd=MANAGE.parent, stdout=log, stderr=log
            )
        )

    def smtpd(self, timeout: float = 60.0) -> int:
        """``softwhere interop smtpd`` on a free port; returns the port once it accepts connections.

        Mail sent before that would be refused, and our worker would only retry after its backoff.
        """
        port = free_port()
        spool = str(self.root / "inbox")
        self.start("interop", "smtpd", "--port", str(port), "--spool", spool, "--poll-interval", "0.3")
        deadline = time.monotonic() + timeout
        with self.idle():
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=5).close()
                    return port
                except OSError:
                    time.sleep(0.3)
        raise AssertionError(f"the OI desk does not receive mail on {port}: {self.log('interop')[-2000:]}")

    def serve(self, timeout: float = 60.0) -> str:
        """``softwhere serve`` (gunicorn, one process) on a free port; returns its URL once it answers."""
        port = free_port()
        self.start("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-collectstatic")
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        with self.idle():
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"{self.url}/tmf-api/interop/troubleTicket/v1/troubleTicket", timeout=5)
                    return self.url
                except httpx.TransportError:
                    time.sleep(0.3)
        raise AssertionError(f"the OI desk does not answer on {self.url}: {self.log('serve')[-2000:]}")

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    def oi(self, *args: str) -> Any:
        """``softwhere interop oi …``: the OI agent's move; its JSON answer."""
        return json.loads(self.manage("interop", "oi", *args))

    def queue(self, *, everything: bool = False) -> list[dict[str, Any]]:
        return list(self.oi("list", "--all") if everything else self.oi("list"))


class OcServer:
    """Our side over HTTP: Django's live server, sharing the test's database.

    On SQLite the test database lives in memory, and the live server's threads use the
    test's own connection: two threads inside one connection's transactions would mix them.
    So the test thread holds ``lock`` while it works, and lets the server's requests in only
    while it waits (``idle``). On PostgreSQL each thread has its own connection; the lock
    costs nothing there.
    """

    def __init__(self, live_server: Any) -> None:
        self.url = str(live_server.url)
        self.lock = threading.Lock()
        self._httpd = live_server.thread.httpd
        self._app = self._httpd.get_app()
        lock, app = self.lock, self._app

        def serialised(environ: dict[str, Any], start_response: Any) -> Any:
            with lock:
                result = app(environ, start_response)
                try:
                    return list(result)
                finally:
                    result.close()  # request_finished: the thread's connection is released

        self._httpd.set_app(serialised)
        self.lock.acquire()

    @contextmanager
    def idle(self) -> Iterator[None]:
        self.lock.release()
        try:
            yield
        finally:
            self.lock.acquire()

    def close(self) -> None:
        self._httpd.set_app(self._app)
        self.lock.release()


def wait_for(
    condition: Callable[[], Any],
    what: str,
    *,
    spool: Any = None,
    idle: Callable[[], AbstractContextManager[Any]] = nullcontext,
    timeout: float = 60.0,
) -> Any:
    """Keep our side running (worker, and mail intake for v1.0a) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run_jobs()
        if spool is not None:
            poll_spool(spool)
        value = condition()
        if value:
            return value
        with idle():
            time.sleep(0.3)
    raise AssertionError(f"timeout waiting for {what}")
