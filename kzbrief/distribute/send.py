"""``send``: e-mail each issued copy that has not been sent to its own recipient.

What the register guarantees when a run is killed: each message is recorded as sent
in its own transaction right after the server accepted it. A copy recorded as sent is
never sent again; the only message a later run can send twice is one the server
accepted in the moment between its "250 OK" and that record.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from ..data.edition_id import edition_order
from ..errors import Location, SmtpError
from ..publish.files import write_atomic
from .mail import Letter, MailSettings, SmtpSettings
from .register import CopyRecord, Register, timestamp

TIMEOUT = 30.0  # seconds for the server to answer


@dataclass
class SendReport:
    sent: list[CopyRecord] = field(default_factory=list)
    failed: list[tuple[CopyRecord, str]] = field(default_factory=list)
    skipped: list[tuple[CopyRecord, str]] = field(default_factory=list)  # never tried
    drafts: list[Path] = field(default_factory=list)  # --dry-run


def choose_unsent(
    register: Register, recipient_ids: list[str]
) -> tuple[list[CopyRecord], list[tuple[CopyRecord, str]]]:
    """The copies to send now, and those held back with why: a revoked recipient gets
    nothing, and a recipient gets one edition per run, the newest they were issued;
    an edition older than one they were already sent is never sent."""
    chosen: dict[str, CopyRecord] = {}
    held: list[tuple[CopyRecord, str]] = []
    for record in register.unsent(recipient_ids):
        person = register.person(record.recipient_id)
        if person is not None and person.revoked:
            held.append((record, f"the recipient was revoked on {person.revoked_at[:10]}"))
            continue
        other = chosen.get(record.recipient_id)
        if other is None or _newer(record, other):
            if other is not None:
                held.append((other, f"edition {record.edition_id} is newer; it is sent instead"))
            chosen[record.recipient_id] = record
        else:
            held.append((record, f"edition {other.edition_id} is newer; it is sent instead"))
    for record in list(chosen.values()):
        sent = [c for c in register.copies(recipient_id=record.recipient_id) if c.status == "sent"]
        newer = [c for c in sent if edition_order(c.edition_id) > edition_order(record.edition_id)]
        if newer:
            del chosen[record.recipient_id]
            held.append((record, f"edition {newer[-1].edition_id} was sent to them already"))
    return sorted(chosen.values(), key=lambda c: (c.issued_at, c.number)), held


def _newer(record: CopyRecord, than: CopyRecord) -> bool:
    return (edition_order(record.edition_id), record.number) > (
        edition_order(than.edition_id),
        than.number,
    )


def open_copy(record: CopyRecord, output: Path) -> bytes | str:
    """The copy's bytes, or why it cannot be sent: it must be the file the register issued."""
    path = output / record.file
    try:
        content = path.read_bytes()
    except OSError as exc:
        return f"the copy file cannot be read ({exc.strerror}): {path}"
    if hashlib.sha256(content).hexdigest() != record.copy_sha256:
        return f"the copy file was changed since it was issued (issue again): {path}"
    return content


def write_drafts(messages: list[tuple[CopyRecord, EmailMessage]], outbox: Path) -> list[Path]:
    """--dry-run: each message as an .eml file for review; nothing is sent or recorded."""
    outbox.mkdir(parents=True, exist_ok=True)
    written = []
    for record, message in messages:
        folder = outbox / record.edition_id  # numbers run per edition: as copies/ does
        folder.mkdir(exist_ok=True)
        written.append(write_atomic(folder / (Path(record.file).stem + ".eml"), message.as_bytes()))
    return written


def send_all(
    messages: list[tuple[CopyRecord, EmailMessage]],
    settings: MailSettings,
    password: Callable[[], str | None],
    register: Register,
    report: SendReport,
) -> None:
    """Send each message over one connection, recording each outcome as it happens."""
    with _connect(settings.smtp, password) as server:
        for record, message in messages:
            envelope_to = parseaddr(message["To"])[1]
            try:
                refused = server.send_message(message, to_addrs=[envelope_to])
            except smtplib.SMTPRecipientsRefused as exc:
                refused = exc.recipients
            except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                refused = {envelope_to: (exc.smtp_code, exc.smtp_error)}
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                raise SmtpError(
                    f"the connection to {settings.smtp.host} was lost ({exc}); "
                    f"{len(report.sent)} sent and recorded before that",
                ) from None
            at = timestamp()
            if refused:
                code, reply = refused[envelope_to]
                text = f"{code} {_text(reply)}"
                register.set_status(record.copy_id, "failed", at, text, message["Message-ID"])
                report.failed.append((record, text))
                continue
            register.set_status(record.copy_id, "sent", at, "", message["Message-ID"])
            report.sent.append(record)


def _connect(smtp: SmtpSettings, password: Callable[[], str | None]) -> smtplib.SMTP:
    """A logged-in connection; any failure is one SmtpError line, before anything is sent."""
    where = f"{smtp.host}:{smtp.port}"
    try:
        context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise SmtpError(f"the CA file cannot be used ({exc})", Location(smtp.ca_file)) from None
    try:
        if smtp.security == "tls":
            server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        try:
            if smtp.security == "starttls":
                server.starttls(context=context)
            if smtp.username:
                server.login(smtp.username, password() or "")
        except BaseException:
            server.close()
            raise
    except smtplib.SMTPAuthenticationError as exc:
        raise SmtpError(
            f"{where} refused the login as {smtp.username!r}: "
            f"{exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SmtpError(f"{where} does not offer what [smtp] asks for ({exc})") from None
    except ssl.SSLCertVerificationError as exc:
        raise SmtpError(
            f"{where}: the server's certificate was not accepted "
            f"({exc.verify_message}); set [smtp] ca_file to trust its CA"
        ) from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise SmtpError(f"cannot reach the mail server {where} ({exc}); nothing was sent") from None
    return server


def _text(reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply).strip()


def letter_for(
    record: CopyRecord, email: str, title: str, organisation: str, content: bytes
) -> Letter:
    return Letter(record, email, title, organisation, content, Path(record.file).name)
