"""``kzbrief preview``: serve the editions' pages on 127.0.0.1 and rebuild on every save."""

from __future__ import annotations

import argparse
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from ..errors import UsageError, describe_failure
from ..options import BuildOptions
from ..preview.server import PreviewServer
from ..preview.state import PreviewState, preview_options, rebuild
from ..project import CONFIG_NAME, PACKAGED_TEMPLATES
from .arguments import folder_arguments, project_arguments, project_paths
from .build import quiet_options

PORTS_TRIED = 20  # the given port, else the next free one among this many
DESCRIPTION = (
    "Serve each edition's pages on 127.0.0.1 (default port 8765, or the next free one) and "
    "rebuild through the cache whenever data/, a template folder or kzbrief.toml changes; open "
    "pages reload by themselves and show build errors as the CLI prints them, above the last "
    "good pages (an edition over its page budget is shown below its error). It builds into "
    "the state folder (.kzbrief/preview/), never the output folder. Ctrl-C stops it."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument(
        "--audience",
        action="append",
        default=[],
        metavar="ID",
        help="preview only this audience (repeatable; default: all)",
    )
    parser.add_argument(
        "--language",
        default="",
        metavar="CODE",
        help="preview the editions in this language (default: each audience's first language)",
    )
    parser.add_argument(
        "--port", type=int, default=8765, metavar="N", help="the port to try first (default: 8765)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="listen on this address (default: 127.0.0.1; anything else is "
        "reachable from the network, and says so)",
    )
    parser.add_argument("--open", action="store_true", help="open the preview in a browser")
    folder_arguments(parser, "templates", "output")


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    # One edition per audience, the pages the preview shows: the language asked for, else
    # the first each audience lists (typesetting all its languages would only delay them).
    options = preview_options(quiet_options(paths, args.audience, ("pdf",)))
    options.first_language_only = True
    state = PreviewState(language=args.language)

    def switch(language: str) -> None:  # the page's language switch: rebuild in the background
        with state.changed:
            state.language = language
        threading.Thread(
            target=rebuild, args=(state, options, describe_failure), daemon=True
        ).start()

    server = _bind(args.host, args.port, state, switch)
    host, port = server.server_address[:2]
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"kzbrief: warning: the preview is open to the network on {args.host}: anyone "
            "who can reach this machine can read the briefing",
            file=sys.stderr,
        )
    url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    stop = threading.Event()
    watched = [paths.data, PACKAGED_TEMPLATES, *([paths.templates] if paths.templates else [])]
    config = args.config or Path(CONFIG_NAME)
    watched += [config] if config.is_file() else []
    watched += list(dict.fromkeys(chart.file.parent for chart in options.charts))  # [charts]
    builder = threading.Thread(
        target=_keep_building, args=(state, options, watched, stop), daemon=True
    )
    serving = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
    )
    try:  # from the moment the address is printed, Ctrl-C is the normal way to stop
        print(f"kzbrief preview: {url}  (Ctrl-C stops it)", flush=True)
        builder.start()
        serving.start()
        if args.open:
            webbrowser.open(url)
        while serving.is_alive():
            serving.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stopping.set()
        with state.changed:
            state.changed.notify_all()  # event streams end
        if serving.is_alive():
            server.shutdown()
        server.server_close()
        if builder.is_alive():
            builder.join(10)
    print("kzbrief preview: stopped", flush=True)
    return 0


def _bind(
    host: str, port: int, state: PreviewState, switch: Callable[[str], None]
) -> PreviewServer:
    for candidate in range(port, port + PORTS_TRIED):
        try:
            return PreviewServer((host, candidate), state, switch)
        except OSError:
            continue
    raise UsageError(
        f"no free port from {port} to {port + PORTS_TRIED - 1} on {host}", field="--port"
    )


def _keep_building(
    state: PreviewState, options: BuildOptions, watched: list[Path], stop: threading.Event
) -> None:
    """Build now, then after every change to what is watched, until ``stop``."""
    import watchfiles  # lazy: only the preview watches files

    rebuild(state, options, describe_failure)
    for _ in watchfiles.watch(
        *watched, stop_event=stop, debounce=100, step=30, raise_interrupt=False
    ):
        rebuild(state, options, describe_failure)
