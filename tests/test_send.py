"""``send`` against a real SMTP server (aiosmtpd on 127.0.0.1): STARTTLS, AUTH, refusals, kills."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import socket
import sqlite3
import ssl
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from kzbrief.cli import main

from .conftest import Issued, Project
from .stops import stopped_at

USER, PASSWORD = "briefings", "correct horse"


pytestmark = pytest.mark.xdist_group("issued")  # they share the session's issued copies


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps what it accepted and refuses some addresses."""

    refuse: set[str] = field(default_factory=set)
    received: list[tuple[list[str], email.message.EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for 127.0.0.1 signed by it (ca, cert, key)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kzbrief test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp(request: pytest.FixtureRequest, tls_files) -> Iterator[tuple[Recorder, int]]:
    """A real server on a free port; parametrised indirectly with "plain", "starttls", "auth"."""
    kind = getattr(request, "param", "plain")
    handler, port = Recorder(), _free_port()
    options: dict = {}
    if kind in ("starttls", "auth"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls_files[1], tls_files[2])
        options = {"tls_context": context, "require_starttls": True}
    if kind == "auth":  # AUTH over STARTTLS, as a real server offers it
        options |= {"authenticator": _authenticate, "auth_required": True}
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@dataclass
class Sender:
    project: Project
    register: Path
    config: Path
    data: Path

    def args(self, *extra: str) -> list[str]:
        return [
            "send",
            "--config",
            str(self.config),
            "--data",
            str(self.data),
            "--output",
            str(self.project.output),
            "--register",
            str(self.register),
            *extra,
        ]

    def statuses(self) -> dict[str, tuple[str, str, str]]:
        """recipient id -> (status, Message-ID, note) of the latest history row."""
        with sqlite3.connect(self.register) as db:
            rows = db.execute(
                "SELECT c.recipient_id, c.status, h.message_id, h.note FROM copies c "
                "JOIN history h ON h.copy_id = c.copy_id ORDER BY h.rowid"
            ).fetchall()
        return {who: (status, mid, note) for who, status, mid, note in rows}

    def copy_sha256(self) -> dict[str, str]:
        with sqlite3.connect(self.register) as db:
            return dict(db.execute("SELECT recipient_id, copy_sha256 FROM copies"))


def _sender(issued: Issued, tmp_path: Path, smtp_lines: str) -> Sender:
    sibling = issued.sibling(tmp_path / "project")
    project, register = sibling.project, sibling.register
    config = tmp_path / "kzbrief.toml"
    config.write_text(
        '[send]\nfrom = "Policy Unit <briefings@example.org>"\nreply_to = "desk@example.org"\n'
        f"[smtp]\n{smtp_lines}\n",
        encoding="utf-8",
    )
    return Sender(project, register, config, sibling.data)


EXPECTED = {  # recipient id -> address, name, audience
    "mfa-asia-desk": ("aigerim.example@example.org", "Aigerim Example", "government"),
    "embassy-tehran": ("daniyar.sample@example.org", "Daniyar Sample", "government"),
    "press-wire": ("saule.invented@example.org", "Saule Invented", "press"),
}


@pytest.mark.parametrize("smtp", ["starttls"], indirect=True)
def test_starttls_sends_each_copy_to_its_own_recipient(
    smtp,
    issued: Project,
    tmp_path: Path,
    tls_files,
    capsys,
) -> None:
    handler, port = smtp
    lines = f'host = "127.0.0.1"\nport = {port}\nsecurity = "starttls"\nca_file = "{tls_files[0]}"'
    sender = _sender(issued, tmp_path, lines)
    assert main(sender.args()) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 sent"
    hashes, statuses = sender.copy_sha256(), sender.statuses()
    by_address = {address: who for who, (address, _, _) in EXPECTED.items()}
    assert sorted(by_address) == sorted(rcpt for [rcpt], _ in handler.received)
    for [rcpt], message in handler.received:
        who = by_address[rcpt]
        _, name, audience = EXPECTED[who]
        assert message["To"] == f"{name} <{rcpt}>" and message["Reply-To"] == "desk@example.org"
        assert message["From"] == "Policy Unit <briefings@example.org>"
        number = {"mfa-asia-desk": 1, "embassy-tehran": 2, "press-wire": 3}[who]
        assert message["Subject"].startswith(f"Kazakhstan and Iran: your copy {number}, ")
        assert "2026-11-27" in message["Subject"]  # the edition id
        body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # as sent: CRLF
        assert body.startswith(f"Dear {name},\n") and "Policy Unit" in body
        assert message.get_body(("html",)) is not None  # multipart/alternative
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == f"kazakhstan-iran-{audience}-en-copy-{number:03d}.pdf"
        assert hashlib.sha256(attachment.get_content()).hexdigest() == hashes[who]
        assert statuses[who][:2] == ("sent", message["Message-ID"])
    assert main(sender.args()) == 0  # a second run sends only what was not sent: nothing
    assert capsys.readouterr().out.splitlines()[-1] == "0 sent" and len(handler.received) == 3


@pytest.mark.parametrize("smtp", ["starttls"], indirect=True)
def test_an_untrusted_certificate_stops_the_run(smtp, issued, tmp_path, capsys) -> None:
    _, port = smtp
    sender = _sender(issued, tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "starttls"')
    assert main(sender.args()) == 11
    err = capsys.readouterr().err
    assert "the server's certificate was not accepted" in err and err.count("\n") == 1
    assert {status for status, *_ in sender.statuses().values()} == {"issued"}


@pytest.mark.parametrize("smtp", ["auth"], indirect=True)
def test_auth_logs_in_with_the_password_from_the_environment(
    tls_files,
    smtp,
    issued,
    tmp_path,
    capsys,
    monkeypatch,
) -> None:
    handler, port = smtp
    lines = f'host = "127.0.0.1"\nport = {port}\nsecurity = "starttls"\nusername = "{USER}"'
    lines += f'\nca_file = "{tls_files[0]}"'
    sender = _sender(issued, tmp_path, lines)
    monkeypatch.setenv("KZBRIEF_SMTP_PASSWORD", "wrong")
    assert main(sender.args()) == 11
    err = capsys.readouterr().err
    assert f"refused the login as '{USER}': 535" in err and not handler.received
    assert {status for status, *_ in sender.statuses().values()} == {"issued"}
    monkeypatch.setenv("KZBRIEF_SMTP_PASSWORD", PASSWORD)
    assert main(sender.args()) == 0 and len(handler.received) == 3


def test_a_refused_address_is_recorded_and_the_run_goes_on(smtp, issued, tmp_path, capsys) -> None:
    handler, port = smtp
    handler.refuse = {"daniyar.sample@example.org"}
    sender = _sender(issued, tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"')
    assert main(sender.args()) == 12
    captured = capsys.readouterr()
    assert captured.err == "kzbrief: error: 2 sent, 1 failed: see kzbrief register\n"
    status, _, note = sender.statuses()["embassy-tehran"]
    assert status == "failed" and note.startswith("550 5.1.1 <daniyar.sample@example.org>")
    assert len(handler.received) == 2
    handler.refuse = set()
    assert main(sender.args()) == 0  # the re-run sends only the failed one
    assert [rcpt for rcpt, _ in handler.received][-1] == ["daniyar.sample@example.org"]
    assert len(handler.received) == 3


def test_a_server_that_is_down_is_one_line(issued, tmp_path, capsys) -> None:
    sender = _sender(
        issued, tmp_path, f'host = "127.0.0.1"\nport = {_free_port()}\nsecurity = "none"'
    )
    assert main(sender.args()) == 11
    err = capsys.readouterr().err
    assert (
        err.startswith("kzbrief: error: cannot reach the mail server 127.0.0.1:")
        and err.count("\n") == 1
    )
    assert {status for status, *_ in sender.statuses().values()} == {"issued"}


def test_security_none_is_only_for_loopback(issued, tmp_path, capsys) -> None:
    sender = _sender(issued, tmp_path, 'host = "smtp.example.org"\nsecurity = "none"')
    assert main(sender.args()) == 64
    assert 'security = "none" is allowed only for a loopback host' in capsys.readouterr().err


def test_dry_run_writes_the_messages_for_review_and_sends_nothing(issued, tmp_path, capsys) -> None:
    sender = _sender(issued, tmp_path, f'host = "127.0.0.1"\nport = {_free_port()}')
    assert main(sender.args("--dry-run")) == 0
    outbox = sender.project.output.parent / "outbox" / "2026-11-27"
    drafts = sorted(p.name for p in outbox.iterdir())
    assert drafts == [
        "kazakhstan-iran-government-en-copy-001.eml",
        "kazakhstan-iran-government-en-copy-002.eml",
        "kazakhstan-iran-press-en-copy-003.eml",
    ]
    message = email.message_from_bytes(
        (outbox / drafts[2]).read_bytes(), policy=email.policy.default
    )
    assert message["To"] == "Saule Invented <saule.invented@example.org>"
    [attachment] = list(message.iter_attachments())
    assert (
        hashlib.sha256(attachment.get_content()).hexdigest() == sender.copy_sha256()["press-wire"]
    )
    assert {status for status, *_ in sender.statuses().values()} == {"issued"}


def test_a_line_break_in_a_name_never_reaches_a_header(smtp, issued, tmp_path, capsys) -> None:
    """Validation refuses it in recipients.yaml; even a register edited by hand cannot inject."""
    handler, port = smtp
    sender = _sender(issued, tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"')
    with sqlite3.connect(sender.register) as db:
        db.execute(
            "UPDATE copies SET recipient_name = ? WHERE recipient_id = 'press-wire'",
            ("Saule\r\nBcc: everyone@example.org",),
        )
    assert main(sender.args()) == 12
    assert sender.statuses()["press-wire"][0] == "failed"
    assert all("everyone@example.org" not in str(m) for _, m in handler.received)
    assert sorted(r for [r], _ in handler.received) == [
        "aigerim.example@example.org",
        "daniyar.sample@example.org",
    ]


def _killed_at(moment: str, sender: Sender, tmp_path: Path) -> None:
    """Run `send` in a real process, stop it at ``moment`` of its first message, kill it."""
    command = [sys.executable, "-m", "kzbrief", *sender.args()]
    with stopped_at(moment, command, tmp_path) as stop:  # killed on leaving
        assert stop.pid == stop.process.pid


@pytest.mark.parametrize("moment", ["message-recorded", "message-accepted"])
def test_a_killed_run_sends_nothing_twice_outside_the_window(
    smtp,
    issued,
    tmp_path,
    moment: str,
) -> None:
    handler, port = smtp
    sender = _sender(issued, tmp_path, f'host = "127.0.0.1"\nport = {port}\nsecurity = "none"')
    _killed_at(moment, sender, tmp_path)
    [first] = [rcpt for [rcpt], _ in handler.received]  # the server accepted one message
    assert main(sender.args()) == 0
    counts = {address: 0 for address, _, _ in EXPECTED.values()}
    for [rcpt], _ in handler.received:
        counts[rcpt] += 1
    # Killed after the record: nobody twice. Killed between the server's "250" and the
    # record (the documented window): that one message, and only it, may come twice.
    expected = {address: 1 for address in counts}
    if moment == "message-accepted":
        expected[first] = 2
    assert counts == expected
    assert {status for status, *_ in sender.statuses().values()} == {"sent"}
