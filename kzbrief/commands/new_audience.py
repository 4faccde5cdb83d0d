"""``new-audience``: a new audience config and override folder that build at once."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

from ..data.audiences import SECTIONS, Audience, load_audiences
from ..data.checks import COPIED_FIELDS, COPIED_MARK, PLACEHOLDERS, copied_fingerprint
from ..data.translations import I18N_FOLDER
from ..errors import OutputError, UsageError
from ..project import PACKAGED_TEMPLATES, ProjectPaths, writable_project
from .arguments import project_arguments, project_paths

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

CONFIG_TEMPLATE = """\
# Audience "{id}": who this PDF is for and how it looks.
# Every field is explained in the documentation: guide "Audiences and templates".
audience:
  id: {id}
  title: "Briefing for {id}"            # the line under the title on the cover
  description: "{description}"
  languages: [en]  # one edition per language (en, kk, ru, fa)
  paper: A4                            # A4 or Letter
  distribution: "For official use"     # printed on the cover and on every page
  accent: "#1f3a5f"                    # headings, rules and boxes
  body_font: serif                     # serif or sans
  # logo: logo.svg                     # a file beside this one, shown on the cover
  sections: [{sections}]
  lead: >-
    {lead}
  notes: {{}}                           # e.g. {{trade: "A paragraph for this reader."}}
  # page_budget: 4                     # the build fails if the PDF has more pages
  # public: true                       # kzbrief publish puts it on the public web site
  filename: "{{slug}}-{{audience}}-{{language}}.pdf"
"""

EXAMPLE_OVERRIDE = """\
{#- Overrides for the "%(id)s" audience. Everything not overridden here comes from
    templates/base/. To change one block, uncomment it and edit; {{ super() }} keeps
    the base content. To replace a whole section, copy templates/base/sections/NAME.html.j2
    into a sections/ folder here and start it with
    {%% extends "base:sections/NAME.html.j2" %%}. -#}
{%% extends "base:briefing.html.j2" %%}
{#
{%% block audience_style %%}
  {{ super() }}
  :root { --accent: #7a1f2b; }
{%% endblock %%}
#}
"""


DESCRIPTION = (
    "Write data/audiences/ID.yaml and templates/audiences/ID/ (with a commented example "
    "override). With --from, a copy of that audience's config, overrides and translations, "
    "its readers' title, description and lead marked for rewriting. The new audience builds "
    "at once."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument("id", metavar="ID", help="the new audience's id (lower-case, digits, '-')")
    parser.add_argument(
        "--from",
        dest="copy_from",
        metavar="EXISTING",
        help="start from a copy of this audience's config, overrides and translations",
    )
    parser.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="template folder to write the override folder into",
    )


def run(args: argparse.Namespace) -> int:
    for path in create_audience(project_paths(args), args.id, args.copy_from):
        print(path)
    return 0


def new_audience(
    audience_id: str,
    data_dir: Path,
    templates_dir: Path,
    known: dict[str, Audience],
    template_source: Path | None,
    copy_from: str | None = None,
) -> list[Path]:
    """Write ``audiences/<id>.yaml`` and ``templates/audiences/<id>/``; return what was written."""
    _check_new_id(audience_id, known, data_dir)
    config = data_dir / "audiences" / f"{audience_id}.yaml"
    folder = templates_dir / "audiences" / audience_id
    if copy_from is not None and copy_from not in known:
        raise UsageError(
            f"unknown audience '{copy_from}' (known: {', '.join(known)})", field="--from"
        )
    text = _config_text(audience_id, data_dir, copy_from)
    translations = _translations_of(audience_id, data_dir, copy_from)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if template_source is not None and template_source.is_dir():
            shutil.copytree(template_source, folder, dirs_exist_ok=True)
        example = folder / "briefing.html.j2"
        if not example.exists():
            example.write_text(EXAMPLE_OVERRIDE % {"id": audience_id}, encoding="utf-8")
        config.write_text(text, encoding="utf-8")
        for path, translated in translations.items():
            path.write_text(translated, encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            f"cannot write the new audience ({exc.strerror})", field=str(exc.filename)
        ) from None
    return [config, folder, *translations]


def create_audience(paths: ProjectPaths, audience_id: str, copy_from: str | None) -> list[Path]:
    """Scaffold a new audience in the project's data and template folders."""
    paths = writable_project(paths)  # never into the installed package
    known = load_audiences(paths.data)
    templates_root = paths.templates or (paths.root or Path()) / "templates"
    overrides = None
    if copy_from is not None:
        candidates = [
            root / "audiences" / copy_from for root in (templates_root, PACKAGED_TEMPLATES)
        ]
        overrides = next((c for c in candidates if c.is_dir()), None)
    return new_audience(audience_id, paths.data, templates_root, known, overrides, copy_from)


def _check_new_id(audience_id: str, known: dict[str, Audience], data_dir: Path) -> None:
    if not _ID.match(audience_id):
        raise UsageError(
            f"'{audience_id}' is not a valid audience id (lower-case letters, digits and '-')",
            field="ID",
        )
    if audience_id in known or (data_dir / "audiences" / f"{audience_id}.yaml").exists():
        raise UsageError(f"audience '{audience_id}' already exists", field="ID")


def _config_text(audience_id: str, data_dir: Path, copy_from: str | None) -> str:
    if copy_from is None:
        placeholders = {field: text for field, (text, _) in PLACEHOLDERS.items()}
        return CONFIG_TEMPLATE.format(id=audience_id, sections=", ".join(SECTIONS), **placeholders)
    source = _config_file_of(copy_from, data_dir)
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*id:\s*).*$", rf"\g<1>{audience_id}", text, count=1)
    return _mark_copied(text, copy_from)


def _mark_copied(text: str, copy_from: str) -> str:
    """Mark the copied fields that name the source audience's readers: the build warns
    about each until its text is edited (kzbrief/data/checks.py)."""
    config = (yaml.safe_load(text) or {}).get("audience") or {}
    for field in COPIED_FIELDS:
        if not isinstance(config.get(field), str):
            continue
        mark = COPIED_MARK.format(source=copy_from, fingerprint=copied_fingerprint(config[field]))
        line = re.compile(rf"(?m)^([ \t]+{field}:[^\n]*?)[ \t]*$")
        text = line.sub(lambda m, mark=mark: f"{m.group(1)}  {mark}", text, count=1)
    return text


def _translations_of(audience_id: str, data_dir: Path, copy_from: str | None) -> dict[Path, str]:
    """The source audience's translation files, one per language, for the new audience: the
    same keys and fingerprints, as the copied English is the same."""
    if copy_from is None:
        return {}
    source = _config_file_of(copy_from, data_dir).relative_to(data_dir / "audiences")
    target = Path(f"{audience_id}.yaml")
    copies = {}
    for language in sorted((data_dir / I18N_FOLDER).glob("*/")):
        translated = language / "audiences" / source
        if (language / "audiences" / target).exists():
            raise UsageError(
                f"{language / 'audiences' / target} already exists (left from an earlier "
                f"audience '{audience_id}'?): move it away first",
                field="ID",
            )
        if translated.is_file():
            text = translated.read_text(encoding="utf-8")
            text = text.replace(f"audiences/{source.as_posix()}", f"audiences/{target}")
            copies[language / "audiences" / target] = text
    return copies


def _config_file_of(audience_id: str, data_dir: Path) -> Path:
    for path in sorted((data_dir / "audiences").glob("*.yaml")):
        if re.search(
            rf"(?m)^\s*id:\s*['\"]?{re.escape(audience_id)}['\"]?\s*$",
            path.read_text(encoding="utf-8"),
        ):
            return path
    raise UsageError(f"cannot find the config file of audience '{audience_id}'", field="--from")
