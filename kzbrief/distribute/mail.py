"""One e-mail per copy: its settings (kzbrief.toml) and the message itself.

The standard library covers all of it: ``email.message.EmailMessage`` with the default
policy builds a correct MIME message (UTF-8 headers encoded, attachments base64, a
multipart/alternative body), and it refuses a header value holding a line break, so a
name can never add a header. ``smtplib`` speaks SMTP, STARTTLS, implicit TLS and AUTH.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..errors import Location, TemplateError, UsageError
from ..language.current import load_language, use_language
from ..language.text import describe_partial_date
from ..language.words import WORDS, markup, phrase
from ..render.environment import TemplateStack, template_loader
from ..settings import setting_keys
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
    _known(send, setting_keys("send"), "send", config)
    _known(smtp, setting_keys("smtp"), "smtp", config)
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
    """The message for one copy, in the copy's language (its edition's): templates for
    subject and body, their words, dates and digits from that language's catalogue, the
    copy attached."""
    language = load_language(letter.copy.language)
    with use_language(language):
        subject, text, html = _letter_texts(letter, settings, stack, language.direction)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = formataddr((letter.copy.recipient_name, letter.email))
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "kzbrief.invalid"
    message["Message-ID"] = make_msgid("kzbrief", domain=domain)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, "html")
    message.add_attachment(
        letter.attachment, maintype="application", subtype="pdf", filename=letter.filename
    )
    # RFC 3282, for the whole message: set last, as set_content() clears Content-* headers
    # and add_attachment() moves them into the first part.
    message["Content-Language"] = language.code
    return message


def _letter_texts(
    letter: Letter, settings: MailSettings, stack: TemplateStack, direction: str
) -> tuple[str, str, str | None]:
    """Subject, plain-text body and HTML body (None without a template), rendered in the
    active language."""
    edition_id = letter.copy.edition_id  # 2026-11-27, or 2026-11-27.2: a code, read left to right
    context = {
        "copy": letter.copy,
        "language": letter.copy.language,
        "direction": direction,
        "edition": describe_partial_date(letter.copy.edition_date),  # 27 November 2026
        "edition_id": f"\u2066{edition_id}\u2069" if direction == "rtl" else edition_id,
        "changes": letter.changes,  # since the previous edition; None for the first
        "title": letter.title,
        "organisation": letter.organisation,
        "sender": parseaddr(settings.sender)[0] or settings.sender,
        "words": WORDS,
    }
    subject = " ".join(_render(stack, "email/subject.txt.j2", context, html=False).split())
    text = _render(stack, "email/body.txt.j2", context, html=False)
    # The HTML body is optional: plain text alone is a complete message.
    try:
        html = _render(stack, "email/body.html.j2", context, html=True)
    except jinja2.TemplateNotFound:
        html = None
    return subject, text, html


def _isolated_text(direction: str) -> Callable[[object], str]:
    """The plain text's ``isolated`` filter: a name or organisation between U+2068 and U+2069
    where its direction may differ from the sentence's (a right-to-left language, or a
    right-to-left name), so its punctuation and the numbers after it keep their places."""

    def isolated(value: object) -> str:
        text = str(value)
        if direction == "rtl" or _right_to_left(text):
            return f"\u2068{text}\u2069"
        return text

    return isolated


def _isolated_html(value: object) -> Markup:
    """The HTML body's ``isolated`` filter: the value in its own ``<bdi>``."""
    return Markup("<bdi>{}</bdi>").format(escape(value))


def _right_to_left(text: str) -> bool:
    """Whether ``text`` holds a letter of a right-to-left script (Arabic, Hebrew)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _render(stack: TemplateStack, name: str, context: dict, html: bool) -> str:
    environment = jinja2.Environment(
        loader=template_loader(stack),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["t"] = markup if html else phrase  # plain text is not escaped
    environment.filters["isolated"] = (
        _isolated_html if html else _isolated_text(context["direction"])
    )
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateNotFound:
        raise
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{name}: {exc}", Location(stack.folders[0] / name)) from None
