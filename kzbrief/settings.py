"""Every setting ``kzbrief.toml`` may hold, in one table: what each reader of the file
accepts (an unknown key is refused with the known ones listed) and what the docs'
settings reference says (tools/docs_reference/), so the two cannot disagree.

Only names and words live here; each setting is read and checked where it is used
(project.py: [build], [distribute], [publish]; distribute/mail.py: [send], [smtp];
charts/project.py: [charts]). Like errors.py, this module imports nothing.
"""

from __future__ import annotations

from typing import NamedTuple


class Setting(NamedTuple):
    table: str
    key: str
    value: str  # what it holds, as the reference shows it
    default: str
    meaning: str


TABLES = {
    "build": "where a build reads and writes; command-line flags win over these",
    "distribute": "the register of issued copies",
    "publish": "the public web site that `kzbrief publish` writes",
    "send": "the e-mail that `kzbrief send` sends",
    "smtp": "the mail server `kzbrief send` hands the messages to",
    "charts": 'the project\'s own charts in Python: `key = "file.py:function"`, one per chart',
}

SETTINGS = (
    Setting("build", "data", "folder", '"data"', "the YAML data (`--data`)"),
    Setting("build", "templates", "folder", '"templates"', "your templates (`--templates`)"),
    Setting("build", "output", "folder", '"output"', "where editions are written (`--output`)"),
    Setting("build", "state", "folder", '".kzbrief"', "the build's cache, locks and preview pages"),
    Setting(
        "distribute",
        "register",
        "file or `postgresql://` address",
        '"distribution/register.sqlite"',
        "the register of issued copies: a SQLite file, or a PostgreSQL database a team "
        "shares (`--register`)",
    ),
    Setting(
        "publish",
        "site",
        "folder",
        "`site/` beside the output folder",
        "where the public site is written (`--site`)",
    ),
    Setting(
        "publish",
        "base_url",
        "http(s) address",
        "none",
        "the address the site is served from; the feed and links become absolute",
    ),
    Setting("send", "from", "address", "required", "the sender: `Name <address>`"),
    Setting("send", "reply_to", "address", "none", "where replies go"),
    Setting("smtp", "host", "host name", '"localhost"', "the mail server"),
    Setting("smtp", "port", "number", "465 with tls, else 587", "the server's port"),
    Setting(
        "smtp",
        "security",
        '"starttls", "tls" or "none"',
        '"starttls"',
        'how the connection is encrypted; "none" only for a loopback host',
    ),
    Setting(
        "smtp",
        "username",
        "text",
        "none",
        "log in as this user; the password comes from `$KZBRIEF_SMTP_PASSWORD`, never a file",
    ),
    Setting(
        "smtp",
        "ca_file",
        "file",
        "the system's",
        "the certificate authorities to trust for the server (a private CA)",
    ),
    Setting(
        "charts",
        "KEY",
        '"file.py:function"',
        "none",
        "a chart drawn by the project's own Python function; KEY is how data and templates name it",
    ),
)


def setting_keys(table: str) -> tuple[str, ...]:
    """The keys a table accepts, in the reference's order (for 'known: …' messages)."""
    return tuple(s.key for s in SETTINGS if s.table == table)
