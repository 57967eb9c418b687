"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, for tests."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller

_REPLY = re.compile(r"[45]\d\d( .*)?")
_STAGES = ("rcpt", "data")


def _free_port(host: str) -> int:
    # aiosmtpd's Controller cannot listen on port 0: it then connects to port 0 to check it is up.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class _Handler:
    """aiosmtpd hooks; kept apart so SmtpServer's own method names are never taken for hooks."""

    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        reply = self._server._rejection("rcpt", envelope)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = self._server._rejection("data", envelope)
        if reply is not None:
            return reply
        self._server._deliver(
            envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, session.peer
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server that can be stopped, restarted on the same port and told to refuse."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port if port is not None else _free_port(host)
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.raw: list[bytes] = []
        # The client ends (address, port) that delivered messages: one per SMTP connection.
        self.connections: set[object] = set()
        self._arrived = threading.Condition()
        self._reply: str | None = None
        self._stage = "rcpt"
        self._remaining: int | None = None
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> SmtpServer:
        """Start listening on self.port (the same port after a stop())."""
        if self._controller is not None:
            return self
        # A Controller closes its event loop on stop, so every start needs a new one.
        controller = Controller(_Handler(self), hostname=self.host, port=self.port)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening, so that connections are refused until start() is called again."""
        if self._controller is None:
            return
        controller, self._controller = self._controller, None
        controller.stop()

    def clear(self) -> None:
        """Forget every message received so far."""
        with self._arrived:
            self.messages.clear()
            self.envelopes.clear()
            self.connections.clear()
            self.raw.clear()

    def reject_with(self, reply: str | None, *, stage: str = "rcpt", times: int | None = None) -> None:
        """Answer the next transactions with reply (e.g. "451 4.3.0 Try again"); None accepts.

        stage "rcpt" refuses each RCPT TO (smtplib raises SMTPRecipientsRefused); stage "data"
        refuses the message after DATA (smtplib raises SMTPDataError). times limits the number
        of refused transactions, after which the server accepts again.
        """
        if reply is not None and not _REPLY.fullmatch(reply):
            raise ValueError(f"reply must be a 4xx or 5xx SMTP reply line, got {reply!r}")
        if stage not in _STAGES:
            raise ValueError(f"stage must be one of {_STAGES}, got {stage!r}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1")
        with self._arrived:
            self._reply = reply
            self._stage = stage
            self._remaining = times

    def wait_for(self, n: int, timeout: float = 5) -> list[EmailMessage]:
        """Return all messages once at least n have arrived; fail after timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            # Woken by each delivery; the timeout only bounds waiting on real network I/O.
            while len(self.messages) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected at least {n} message(s) on {self.host}:{self.port} within "
                        f"{timeout} s, got {len(self.messages)}: {self.envelopes!r}"
                    )
                self._arrived.wait(left)
            return list(self.messages)

    def _rejection(self, stage: str, envelope) -> str | None:
        with self._arrived:
            # Every recipient of a refused transaction gets the same answer, but the
            # transaction counts only once against times.
            if getattr(envelope, "_test_rejection", None) is not None:
                return envelope._test_rejection
            if self._reply is None or self._stage != stage:
                return None
            reply = self._reply
            if self._remaining is not None:
                self._remaining -= 1
                if self._remaining == 0:
                    self._reply = None
                    self._remaining = None
            envelope._test_rejection = reply
            return reply

    def _deliver(self, mail_from: str, rcpt_tos: list[str], content: bytes, peer: object = None) -> None:
        message = email.message_from_bytes(content, policy=email.policy.default)
        with self._arrived:
            self.connections.add(peer)
            self.raw.append(content)
            self.messages.append(message)
            self.envelopes.append((mail_from, rcpt_tos))
            self._arrived.notify_all()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
