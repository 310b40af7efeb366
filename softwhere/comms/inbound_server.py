"""The local inbound receiver: an SMTP (or LMTP) server that files each mail in a Maildir spool.

The server thread never touches the database: a mail is acknowledged (250) only once
it is on disk, and the main loop hands each spooled file to ``actions.receive_message``,
which archives it before anything else. A crash anywhere loses nothing.
"""

from __future__ import annotations

import logging
import mailbox
import re
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP

from . import actions, conf

logger = logging.getLogger("softwhere.comms")


def arrival(key: str) -> tuple[int, int, str]:
    """Maildir keys « <seconds>.M<microseconds>P<pid>… » in arrival order (microseconds are not zero-padded)."""
    match = re.match(r"(\d+)\.M(\d+)", key)
    return (int(match.group(1)), int(match.group(2)), key) if match else (0, 0, key)


class Spool:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or conf.spool_dir())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.box = mailbox.Maildir(str(self.path), create=True)

    def deliver(self, raw: bytes) -> str:
        key: str = self.box.add(raw)
        return key

    def process(self) -> int:
        """Hand every new mail to ``receive_message``, then move it to ``cur/``; how many were processed."""
        count = 0
        for key in sorted(self.box.iterkeys(), key=arrival):
            msg = self.box.get_message(key)
            if msg.get_subdir() != "new":
                continue
            inbound = actions.receive_message(self.box.get_bytes(key))
            logger.info("inbound mail %s: %s %s", inbound.pk, inbound.outcome, inbound.reason)
            msg.set_subdir("cur")
            msg.add_flag("S")
            self.box[key] = msg
            count += 1
        return count


class SpoolHandler:
    """aiosmtpd handler: accept a mail once it is safely in the spool."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        try:
            self.spool.deliver(raw)
        except OSError:
            logger.exception("inbound spool write failed")
            return "451 Erreur temporaire, réessayez plus tard"
        return "250 Message accepté"


class LMTPController(Controller):
    """LMTP for a local MTA (Postfix ``mailbox_transport = lmtp:inet:127.0.0.1:2424``)."""

    def factory(self) -> LMTP:
        return LMTP(self.handler)


def make_controller(spool: Spool, *, host: str, port: int, lmtp: bool = False) -> Controller:
    cls = LMTPController if lmtp else Controller
    return cls(SpoolHandler(spool), hostname=host, port=port)
