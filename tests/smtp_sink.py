# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A real SMTP server on 127.0.0.1 that keeps what it receives (aiosmtpd).

Used by tests/test_delivery.py and tests/bench/bench_delivery.py: a mail is
delivered when this server answered 250 to its DATA, as a real relay would.
"""

import asyncio
import contextlib
import email
import email.parser
import logging
import socket
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, syntax

# aiosmtpd logs every SMTP command at INFO: thousands of lines per run
logging.getLogger("mail.log").setLevel(logging.WARNING)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        # the headers only: parsing a PDF letter's base64 body would make this
        # server the slowest part of a benchmark
        message = email.parser.BytesParser().parsebytes(
            envelope.content, headersonly=True
        )
        received = (
            message.get("Message-Id", ""),
            tuple(envelope.rcpt_tos),
            message.get("Subject", ""),
        )
        self.sink.received(*received)
        # the server has the mail: its answer may be held (a slow relay),
        # the moment a sender's crash leaves the delivery unknown
        while self.sink.holding(received):
            await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


class _BlockSMTP(SMTP):
    """aiosmtpd's server, reading the DATA of a message in 64 KiB blocks.

    aiosmtpd reads DATA line by line, in Python: a notice with its PDF
    letter (300 KB of base64, 4,000 lines) cost the sink tens of
    milliseconds of CPU on the machine it shares with the Odoo server being
    measured, where a real mail server reads such a message in blocks. The
    end of DATA is the last 5 bytes of what the client sent: smtplib waits
    for the answer to DATA before its next command."""

    @syntax("DATA")
    async def smtp_DATA(self, arg):  # noqa: N802 - aiosmtpd API
        if await self.check_helo_needed():
            return
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        data = bytearray()
        while not (data == b".\r\n" or data.endswith(b"\r\n.\r\n")):
            block = await self._reader.read(1 << 16)
            if not block:  # the client went away in the middle of DATA
                return
            data += block
        content = bytes(data[:-3])
        # RFC 5321 4.5.2: a line starting with a dot got one more
        content = content.replace(b"\r\n..", b"\r\n.")
        if content.startswith(b".."):
            content = content[1:]
        self.envelope.content = self.envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        await self.push("250 OK" if status is MISSING else status)
        self._set_post_data_state()

    @syntax("RCPT TO: <address>", extended=" [SP <mail-parameters>]")
    async def smtp_RCPT(self, arg):  # noqa: N802 - aiosmtpd API
        drop = self.event_handler.sink.drop_rcpt
        if drop is not None and arg and drop(arg):
            # the server drops the connection before it takes the message
            # (a relay restarting): the client's RCPT gets no answer
            self.transport.close()
            return
        await super().smtp_RCPT(arg)


class _BlockController(Controller):
    def factory(self):
        return _BlockSMTP(self.handler, **self.SMTP_kwargs)


class SmtpSink:
    """``with SmtpSink() as sink:`` serves on ``sink.port`` until the block
    ends. ``sink.messages`` lists (Message-Id, recipients, subject) in the
    order received; ``on_message(count)`` is called after each one.
    ``hold(message)`` true: the server has the message but holds its "250"
    answer while ``hold`` stays true for it (``self.held`` lists them).
    ``drop_rcpt(arg)`` true: the server closes the connection when it reads
    that RCPT command (``arg`` is its "TO:<address>" part)."""

    def __init__(self, on_message=None, hold=None, drop_rcpt=None):
        self.port = _free_port()
        self.messages = []
        self.held = []
        self.hold = hold
        self.drop_rcpt = drop_rcpt
        self.first_at = self.last_at = None
        self.on_message = on_message
        self._lock = threading.Lock()
        self._controller = _BlockController(
            _Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=30
        )

    def received(self, message_id, recipients, subject):
        with self._lock:
            now = time.monotonic()
            self.first_at = self.first_at or now
            self.last_at = now
            self.messages.append((message_id, recipients, subject))
            count = len(self.messages)
        if self.on_message:
            self.on_message(count)

    def holding(self, message):
        if self.hold is None or not self.hold(message):
            return False
        with self._lock:
            if message not in self.held:
                self.held.append(message)
        return True

    def count(self, predicate=None):
        with self._lock:
            return sum(1 for m in self.messages if predicate is None or predicate(m))

    def duplicates(self):
        """(Message-Id, recipients) received more than once (Odoo sends a
        mail to several partners as one message per partner, all with the
        mail's Message-Id)."""
        with self._lock:
            counts = Counter(m[:2] for m in self.messages)
        return {mid: n for mid, n in counts.items() if n > 1}

    def wait_for(self, count, timeout, predicate=None, alive=None):
        """Wait until ``count`` messages (matching predicate) arrived; True
        when they did. Stops early when ``alive()`` turns false."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count(predicate) >= count:
                return True
            if alive is not None and not alive():
                return False
            time.sleep(0.2)
        return self.count(predicate) >= count

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):
            self._controller.stop()
