"""Fixtures shared by the whole suite. Personas live in observatoire/core/testing.py."""

import email
import email.policy
import socket
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SMTPServer:
    """A real SMTP server on loopback; `messages` holds what it received, oldest first."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)


class _CollectingHandler:
    def __init__(self, server: SMTPServer):
        self.server = server

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.server.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """Start an aiosmtpd server and point Django's SMTP backend at it, so mail really leaves."""
    from aiosmtpd.controller import Controller

    server = SMTPServer(host="127.0.0.1", port=free_port())
    controller = Controller(_CollectingHandler(server), hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request in English must not leak into the next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back, the cache is not."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _drop_demo_network(django_db_blocker):
    """The demo networks the tests loaded go with the session (on PostgreSQL, their databases)."""
    yield
    from django.conf import settings

    if not settings.configured or "observatoire.organizations.testing" not in sys.modules:
        return
    from observatoire.organizations.testing import drop_demo_network

    with django_db_blocker.unblock():
        drop_demo_network()
