"""Bounces read from a mailbox: delivery status notifications (RFC 3464) parsed into records.

The worker reads an IMAP folder (NEWSLETTERS_BOUNCE_IMAP_*) or a local Maildir
(NEWSLETTERS_BOUNCE_MAILDIR). Each notification is marked as read once processed, and its own
Message-ID is kept with the bounce, so a notification read twice is counted once.
"""

import email
import email.policy
import hashlib
import imaplib
import logging
import mailbox
import re
from dataclasses import dataclass
from email.message import Message

from django.conf import settings

from .services import record_bounce

logger = logging.getLogger(__name__)

_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")


@dataclass(frozen=True)
class ParsedBounce:
    address: str
    kind: str  # "hard" or "soft"
    diagnostic: str
    message_id: str  # the Message-ID of the mail that bounced, when the report carries it
    report_id: str  # the Message-ID of the notification itself


def _field(block: Message, name: str) -> str:
    value = block.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _address(value: str) -> str:
    # "rfc822; someone@example.org" (the type is optional in practice)
    value = value.split(";", 1)[-1].strip().strip("<>").strip()
    return value.lower() if "@" in value else ""


def _blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    # Some servers send the status as text: parse its blocks of header fields.
    text = part.get_payload(decode=True) or b""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return [
        email.message_from_string(chunk.strip() + "\n")
        for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
        if chunk.strip()
    ]


def _original_message_id(message: Message, per_message: Message | None) -> str:
    if per_message is not None:
        for name in ("Original-Message-ID", "X-Original-Message-ID"):
            if value := _field(per_message, name):
                return value
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message) and inner.get("Message-ID"):
                return _field(inner, "Message-ID")
        elif content_type == "text/rfc822-headers":
            raw = part.get_payload(decode=True) or b""
            headers = email.message_from_bytes(raw if isinstance(raw, bytes) else raw.encode())
            if headers.get("Message-ID"):
                return _field(headers, "Message-ID")
    return ""


def parse_report(raw: bytes) -> list[ParsedBounce]:
    """The failed or delayed recipients of a delivery status notification; [] for other mail."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    status_parts = [p for p in message.walk() if p.get_content_type() == "message/delivery-status"]
    if not status_parts:
        return []
    report_id = _field(message, "Message-ID") or ("sha256:" + hashlib.sha256(raw).hexdigest())
    bounces: list[ParsedBounce] = []
    for part in status_parts:
        blocks = _blocks(part)
        per_message = blocks[0] if blocks else None
        original_id = _original_message_id(message, per_message)
        for block in blocks[1:] if len(blocks) > 1 else blocks:
            address = _address(_field(block, "Final-Recipient")) or _address(
                _field(block, "Original-Recipient")
            )
            if not address:
                continue
            action = _field(block, "Action").lower()
            if action in ("delivered", "relayed", "expanded"):
                continue
            match = _STATUS.search(_field(block, "Status"))
            status_class = match.group(1) if match else ""
            if action == "delayed" or status_class == "4":
                kind = "soft"
            elif status_class == "5" or action == "failed":
                kind = "hard"
            else:
                continue
            diagnostic = _field(block, "Diagnostic-Code") or _field(block, "Status")
            bounces.append(
                ParsedBounce(
                    address=address,
                    kind=kind,
                    diagnostic=diagnostic,
                    message_id=original_id,
                    report_id=report_id,
                )
            )
    return bounces


def process_report(raw: bytes) -> int:
    """Record the bounces of one notification; how many were found in it."""
    found = parse_report(raw)
    for bounce in found:
        record_bounce(
            address=bounce.address,
            kind=bounce.kind,
            diagnostic=bounce.diagnostic,
            message_id=bounce.message_id,
            report_id=bounce.report_id,
        )
    return len(found)


def read_maildir(path: str) -> int:
    """Process the unread notifications of a Maildir, then move them to cur/ marked seen."""
    box = mailbox.Maildir(path, factory=None, create=False)
    count = 0
    for key in list(box.iterkeys()):
        message = box.get_message(key)
        if message.get_subdir() == "cur" and "S" in message.get_flags():
            continue
        with box.get_file(key) as handle:
            raw = handle.read()
        count += process_report(raw)
        message.set_subdir("cur")
        message.add_flag("S")
        box[key] = message
    return count


def read_imap(*, host: str, port: int, user: str, password: str, use_ssl: bool, folder: str) -> int:
    """Process the unseen notifications of an IMAP folder, then flag them seen."""
    client_class = imaplib.IMAP4_SSL if use_ssl else imaplib.IMAP4
    count = 0
    with client_class(host, port) as client:
        client.login(user, password)
        client.select(folder)
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            _status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), b"")
            count += process_report(raw)
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    return count


def read_configured_mailbox() -> int:
    """Read whichever bounce mailbox the settings name; 0 when none is configured."""
    if settings.NEWSLETTERS_BOUNCE_IMAP_HOST:
        return read_imap(
            host=settings.NEWSLETTERS_BOUNCE_IMAP_HOST,
            port=settings.NEWSLETTERS_BOUNCE_IMAP_PORT,
            user=settings.NEWSLETTERS_BOUNCE_IMAP_USER,
            password=settings.NEWSLETTERS_BOUNCE_IMAP_PASSWORD,
            use_ssl=settings.NEWSLETTERS_BOUNCE_IMAP_SSL,
            folder=settings.NEWSLETTERS_BOUNCE_IMAP_FOLDER,
        )
    if settings.NEWSLETTERS_BOUNCE_MAILDIR:
        return read_maildir(settings.NEWSLETTERS_BOUNCE_MAILDIR)
    return 0
