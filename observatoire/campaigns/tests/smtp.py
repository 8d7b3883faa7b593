"""An SMTP server whose answers a test chooses, per address and per attempt."""

import email
import email.policy
import socket
from collections import Counter
from collections.abc import Callable

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ScriptedHandler:
    """`answer(address, attempt)` returns None to accept, or an SMTP reply such as "451 busy"."""

    def __init__(self, answer: Callable[[str, int], str | None]):
        self.answer = answer
        self.attempts: Counter = Counter()
        self.messages: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.attempts[address] += 1
        reply = self.answer(address, self.attempts[address])
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def start(settings, answer) -> tuple[Controller, ScriptedHandler]:
    handler = ScriptedHandler(answer)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return controller, handler
