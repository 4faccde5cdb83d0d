"""One e-mail per copy: its settings (kzbrief.toml) and the message itself.

The standard library covers all of it: ``email.message.EmailMessage`` with the default
policy builds a correct MIME message (UTF-8 headers encoded, attachments base64, a
multipart/alternative body), and it refuses a header value holding a line break, so a
name can never add a header. ``smtplib`` speaks SMTP, STARTTLS, implicit TLS and AUTH.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

import jinja2

from ..errors import Location, TemplateError, UsageError
from ..language.text import describe_partial_date
from ..language.words import WORDS, markup, phrase
from ..render.environment import TemplateStack, template_loader
from .register import CopyRecord

SECURITY = ("starttls", "tls", "none")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
PASSWORD_VARIABLE = "KZBRIEF_SMTP_PASSWORD"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    ca_file: Path | None = None  # trust this CA (PEM) instead of the system's


@dataclass(frozen=True)
class MailSettings:
    sender: str  # "Name <address>"
    reply_to: str | None
    smtp: SmtpSettings


def load_mail_settings(config: Path) -> MailSettings:
    """[send] and [smtp] of kzbrief.toml; a missing or wrong value is one clear line."""
    try:
        document = tomllib.loads(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            "no kzbrief.toml here: send needs [send] from (and [smtp] for a real send)",
            Location(config),
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"invalid TOML: {exc}", Location(config)) from None
    send, smtp = document.get("send", {}), document.get("smtp", {})
    _known(send, ("from", "reply_to"), "send", config)
    _known(smtp, ("host", "port", "security", "username", "ca_file"), "smtp", config)
    sender = send.get("from")
    if not isinstance(sender, str) or "@" not in parseaddr(sender)[1]:
        raise UsageError(
            "[send] from: expected an address such as 'Policy Unit <briefings@example.org>'",
            Location(config),
        )
    settings = SmtpSettings(
        host=str(smtp.get("host", "localhost")),
        port=int(smtp.get("port", 465 if smtp.get("security") == "tls" else 587)),
        security=str(smtp.get("security", "starttls")),
        username=smtp.get("username"),
        ca_file=config.parent / smtp["ca_file"] if smtp.get("ca_file") else None,
    )
    if settings.security not in SECURITY:
        raise UsageError(
            f"[smtp] security: expected one of {', '.join(SECURITY)} (got {settings.security!r})",
            Location(config),
        )
    if settings.security == "none" and not _loopback(settings.host):
        raise UsageError(
            '[smtp] security = "none" is allowed only for a loopback host '
            f"(localhost, 127.0.0.1, ::1), not {settings.host!r}",
            Location(config),
        )
    return MailSettings(sender, send.get("reply_to"), settings)


def _known(table: dict, keys: tuple[str, ...], name: str, config: Path) -> None:
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise UsageError(
            f"unknown setting '{unknown[0]}' in [{name}] (known: {', '.join(keys)})",
            Location(config),
        )


def _loopback(host: str) -> bool:
    try:
        return host in LOOPBACK or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Letter:
    """What the templates are given: the copy, whom it is for, and the briefing."""

    copy: CopyRecord
    email: str
    title: str
    organisation: str
    attachment: bytes
    filename: str
    changes: object = None  # a data.changes.ChangeList, or None


def compose(letter: Letter, settings: MailSettings, stack: TemplateStack) -> EmailMessage:
    """The message for one copy: templates for subject and body, the copy attached."""
    context = {
        "copy": letter.copy,
        "edition": describe_partial_date(letter.copy.edition_date),  # 27 November 2026
        "edition_id": letter.copy.edition_id,  # 2026-11-27, or 2026-11-27.2
        "changes": letter.changes,  # since the previous edition; None for the first
        "title": letter.title,
        "organisation": letter.organisation,
        "sender": parseaddr(settings.sender)[0] or settings.sender,
        "words": WORDS,
    }
    subject = " ".join(_render(stack, "email/subject.txt.j2", context, html=False).split())
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = formataddr((letter.copy.recipient_name, letter.email))
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "kzbrief.invalid"
    message["Message-ID"] = make_msgid("kzbrief", domain=domain)
    message.set_content(_render(stack, "email/body.txt.j2", context, html=False))
    # The HTML body is optional: plain text alone is a complete message.
    with contextlib.suppress(jinja2.TemplateNotFound):
        message.add_alternative(_render(stack, "email/body.html.j2", context, html=True), "html")
    message.add_attachment(
        letter.attachment, maintype="application", subtype="pdf", filename=letter.filename
    )
    return message


def _render(stack: TemplateStack, name: str, context: dict, html: bool) -> str:
    environment = jinja2.Environment(
        loader=template_loader(stack),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["t"] = markup if html else phrase  # plain text is not escaped
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateNotFound:
        raise
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{name}: {exc}", Location(stack.folders[0] / name)) from None
