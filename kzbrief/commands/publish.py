"""``kzbrief publish``: build the public editions if stale, then write the public site."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cache import BuildCache
from ..distribute.site import check_site_folder, default_site, public_editions, write_site
from ..log import warn
from ..project import CACHE_NAME, CONFIG_NAME, find_config, publish_settings
from .arguments import folder_arguments, project_arguments, project_paths
from .build import build_stale

SITE_FORMATS = ("pdf", "html")  # the site offers the PDF and, beside it, the web edition
DESCRIPTION = (
    "Build what is stale of the audiences marked 'public: true' (PDF and web edition), then "
    "write a static site: index.html (cover thumbnail, language, pages, size, SHA-256 and links "
    "for each public edition, each in its edition's language), an Atom feed (feed.xml) and the "
    "files. Restricted editions and copies never reach it. The folder is kzbrief's: files of an "
    "earlier site that are no longer public are removed. kzbrief.toml [publish]: site (the "
    "folder) and base_url (the address it is served from, for the feed's absolute links)."
)
RELATIVE_FEED = (
    "feed.xml: its links are relative, which some feed readers do not resolve; set [publish] "
    "base_url in kzbrief.toml to the address the site is served from"
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument(
        "--site",
        type=Path,
        metavar="DIR",
        help="where to write the site (default: [publish] site in kzbrief.toml, else site/ "
        "beside the output folder; never inside it)",
    )
    folder_arguments(parser, "templates", "output")


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    settings = publish_settings(args.config or find_config() or Path(CONFIG_NAME))
    site = args.site or settings.site or default_site(paths.output)
    check_site_folder(site, paths.output)  # before any work: a wrong folder is a typo
    # lazy: pydantic, Jinja2 and PDFium load once the site folder is known to be usable
    from ..data.audiences import load_audiences
    from ..data.briefing import load_briefing_documents
    from ..data.localise import localise
    from ..distribute.site_page import site_files

    audiences = load_audiences(paths.data)
    public = [audience.id for audience in audiences.values() if audience.public]
    if public:
        build_stale(paths, public, SITE_FORMATS)
    editions = public_editions(paths.output, public)
    briefing, documents = load_briefing_documents(paths.data)
    listed = list(audiences.values())
    local = {  # the data in each edition's language: its card and feed entry are in it
        language: localise(paths.data, briefing, documents, listed, language)
        for language in sorted({edition.language for edition in editions})
    }
    if settings.base_url is None:
        warn(RELATIVE_FEED)
    cache = BuildCache(paths.state / CACHE_NAME)
    files = site_files(
        briefing, local, editions, settings.base_url, (paths.templates, paths.data, cache)
    )
    for path in write_site(site, files, paths.state):
        print(path)
    return 0
