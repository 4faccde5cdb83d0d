"""Where a project keeps its data, templates, output and build state.

Command-line flags win over the project's ``kzbrief.toml``, which wins over the
defaults (``data/``, ``templates/``, ``output/`` beside it, else the packaged
example), so a team can fix its folders once and type only ``kzbrief build``.
The project is found as git finds ``.git``: the nearest ``kzbrief.toml`` in the
current folder or one of its parents. Outside any project the packaged example is
used read-only (and ``./data``, ``./templates``, ``./output`` when they exist).

The build's own state (cache, locks) lives in a ``.kzbrief/`` folder beside
``kzbrief.toml``, or beside the output folder when there is no config file:
never inside the output folder, which holds only what is distributed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from .errors import Location, UsageError
from .register_address import RegisterURL, register_address
from .settings import TABLES, setting_keys

CONFIG_NAME = "kzbrief.toml"
STATE_NAME = ".kzbrief"  # the build's state folder: cache/ and locks/
CACHE_NAME = "cache"  # inside the state folder; 'kzbrief clean' removes it
PACKAGE_DIR = Path(__file__).resolve().parent
_KEYS = {table: setting_keys(table) for table in ("build", "distribute")}
REGISTER_DEFAULT = Path("distribution") / "register.sqlite"  # beside kzbrief.toml
RECIPIENTS_FILE = "recipients.yaml"  # in the data folder, but not part of the briefing


def _resource_dir(name: str, packaged: str) -> Path:
    """Installed wheels carry the templates and example data inside the package (as
    ``packaged``: the example data cannot be kzbrief/data, which is the data stage's
    code); a checkout has them beside the package, as ``name``."""
    inside = PACKAGE_DIR / packaged
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


PACKAGED_TEMPLATES = _resource_dir("templates", "templates")
PACKAGED_DATA = _resource_dir("data", "example-data")


class ProjectPaths(NamedTuple):
    data: Path
    output: Path
    templates: Path | None  # the user's override folder; None when there is none
    state: Path  # the build's cache and locks (.kzbrief/)
    # the register of issued copies: a SQLite file, never inside the output folder, or a
    # PostgreSQL database's address (register_address.py)
    register: Path | RegisterURL
    root: Path | None = None  # the folder holding kzbrief.toml; None outside any project
    config: Path | None = None  # kzbrief.toml (or --config); None outside any project


NO_PROJECT = "no kzbrief project here: run kzbrief init DIR first"


def find_config(start: Path | None = None) -> Path | None:
    """The nearest kzbrief.toml in ``start`` (default: the current folder) or its parents.

    One in the current folder is returned relative (``kzbrief.toml``), so messages and
    folders keep the short paths users typed; one further up is returned absolute.
    """
    here = Path(start) if start is not None else Path()
    if (here / CONFIG_NAME).is_file():
        return here / CONFIG_NAME
    for folder in here.absolute().parents:
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return None


def briefing_files(data_dir: Path) -> list[Path]:
    """The data folder's YAML files the briefing is made of: all but the recipient list,
    which is never merged into the briefing, attached to a PDF or counted in its checksum."""
    return sorted(p for p in data_dir.glob("*.yaml") if p.name != RECIPIENTS_FILE)


def default_state(output: Path) -> Path:
    """Without a config file, state lives beside the output folder (output/../.kzbrief)."""
    return output.absolute().parent / STATE_NAME


def resolve_paths(
    data: Path | None,
    templates: Path | None,
    output: Path | None,
    config: Path | None = None,
    register: Path | RegisterURL | None = None,
) -> ProjectPaths:
    """Settle each folder: flag, then project config, then the defaults."""
    config_file = config or find_config() or Path(CONFIG_NAME)
    settings = _read_config(config_file, required=config is not None)
    found = config_file.is_file()
    base = config_file.parent if found else Path()  # relative [build] paths start here
    data = data or settings.get("data") or _existing(base / "data") or PACKAGED_DATA
    templates = templates or settings.get("templates") or _existing(base / "templates")
    if templates is not None and templates.resolve() == PACKAGED_TEMPLATES:
        templates = None  # running inside the kzbrief checkout: nothing to override
    output = output or settings.get("output") or base / "output"
    # Without a config file, the project is the folder the output folder is in.
    root = config_file.absolute().parent if found else output.absolute().parent
    state = settings.get("state") or (root / STATE_NAME if found else None)
    register = register or settings.get("register") or root / REGISTER_DEFAULT
    inside = not isinstance(register, RegisterURL) and register.absolute().resolve()
    if inside and inside.is_relative_to(output.absolute().resolve()):
        raise UsageError(
            "the register may not be inside the output folder, which holds only what is "
            f"distributed (register: {register}, output: {output})",
            field="register",
        )
    state = state or default_state(output)
    if not found:
        return ProjectPaths(data, output, templates, state, register)
    return ProjectPaths(data, output, templates, state, register, root, config_file)


def writable_project(paths: ProjectPaths) -> ProjectPaths:
    """``paths``, unless writing into them would write into the installed package.

    Outside any project the packaged example is read-only: commands that change the
    data (new-audience) refuse rather than edit the package.
    """
    data = paths.data.resolve()
    # In a checkout the example data is the repository's data/, which its own
    # kzbrief.toml makes a project; an installed package is never one.
    outside = paths.root is None and data == PACKAGED_DATA.resolve()
    if outside or data.is_relative_to(PACKAGE_DIR):
        raise UsageError(NO_PROJECT)
    return paths


class PublishSettings(NamedTuple):
    site: Path | None  # [publish] site: where publish writes the site (--site wins)
    base_url: str | None  # [publish] base_url: the site's address, ending in "/"


_PUBLISH_KEYS = setting_keys("publish")
_BASE_URL_EXAMPLE = "'https://example.org/briefings/'"


def publish_settings(config: Path | None) -> PublishSettings:
    """[publish] of kzbrief.toml: a wrong value is one line naming the file (exit 64)."""
    if config is None or not config.is_file():
        return PublishSettings(None, None)
    table = read_toml(config).get("publish", {})
    if not isinstance(table, dict):
        raise UsageError("[publish]: expected a table of settings", Location(config))
    unknown = sorted(set(table) - set(_PUBLISH_KEYS))
    if unknown:
        raise UsageError(
            f"unknown setting '{unknown[0]}' in [publish] (known: {', '.join(_PUBLISH_KEYS)})",
            Location(config),
        )
    site = table.get("site")
    if site is not None and (not isinstance(site, str) or not site.strip()):
        raise UsageError("[publish] site: expected a folder, such as 'site'", Location(config))
    base_url = table.get("base_url")
    if base_url is not None:
        base_url = _checked_base_url(base_url, config)
    return PublishSettings(config.parent / site if site else None, base_url)


def _checked_base_url(value: object, config: Path) -> str:
    """An absolute http(s) address with a host and no query or fragment; it names a folder,
    so it gets its final "/" (https://example.org/briefings -> .../briefings/)."""
    problem = _base_url_problem(value)
    if problem:
        raise UsageError(
            f"[publish] base_url: expected the absolute http(s) address the site is served "
            f"from, such as {_BASE_URL_EXAMPLE} ({problem}; got {value!r})",
            Location(config),
        )
    text = str(value)
    return text if text.endswith("/") else text + "/"


def _base_url_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "not a string"
    if any(c.isspace() or not c.isprintable() for c in value):
        return "it holds a space or a control character"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "no http:// or https:// scheme"
    if not parts.hostname:
        return "no host"
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return "a query or fragment cannot name a folder"
    return None


def _existing(path: Path) -> Path | None:
    return path if path.is_dir() else None


def _read_config(path: Path, required: bool) -> dict[str, Path | RegisterURL]:
    if not path.is_file():
        if required:
            raise UsageError("config file not found", Location(path))
        return {}
    document = read_toml(path)
    unknown_tables = sorted(set(document) - set(TABLES))
    if unknown_tables:  # [biuld] would otherwise be ignored without a word
        raise UsageError(
            f"unknown table [{unknown_tables[0]}] (known: {', '.join(TABLES)})", Location(path)
        )
    settings: dict[str, Path | RegisterURL] = {}
    for name, keys in _KEYS.items():
        table = document.get(name, {})
        unknown = sorted(set(table) - set(keys))
        if unknown:
            raise UsageError(
                f"unknown setting '{unknown[0]}' in [{name}] (known: {', '.join(keys)})",
                Location(path),
            )
        for key, value in table.items():
            # the register may be a PostgreSQL address; every other setting is a folder
            where = f"[{name}] {key} in {path}"
            is_address = key == "register"
            settings[key] = (
                register_address(str(value), path.parent, where)
                if is_address
                else path.parent / str(value)
            )
    return settings


def read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"invalid TOML: {exc}", Location(path)) from None
