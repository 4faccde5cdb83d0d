"""Every command kzbrief suggests in what it prints is a command that works.

Each test brings about the situation that prints a hint, takes the command out of the
message as printed (never a copy of it typed here), puts real values in for its
placeholders (DIR, ID, LANG, COMMAND), runs it in-process in the project, and checks
that it exits 0 and did what the hint said it would.

Builds are kept to one edition (press, English): a hint that builds everything is run
with ``--audience press --language en`` added, which still runs the suggested command
in the folder it was suggested for. The projects that need issued copies are copies of
one issued once per worker, cache included, so their builds typeset nothing again.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kzbrief import project_template
from kzbrief.cli import main
from kzbrief.commands import clean as clean_command
from kzbrief.commands import preview as preview_command
from kzbrief.commands import translate as translate_command
from kzbrief.errors import EXIT_INTERNAL

from .conftest import Project, copy_project, logged_warnings

ONE_EDITION = ["--audience", "press", "--language", "en"]
PRESS_PDF = "kazakhstan-iran-press-en.pdf"
COPY = "output/copies/2026-11-27/press/kazakhstan-iran-press-en-copy-001.pdf"


def command(text: str, pattern: str, **values: str) -> list[str]:
    """The argv of the one command ``pattern`` finds in ``text`` (its group 1, with or
    without the leading ``kzbrief``), each placeholder word replaced by ``values``."""
    found = re.findall(pattern, text)
    assert len(found) == 1, f"{pattern!r} found {found!r} in:\n{text}"
    words = [values.get(word, word) for word in found[0].split()]
    assert not [w for w in words if w.isupper() and len(w) > 1], f"placeholder left: {words}"
    return words[1:] if words[0] == "kzbrief" else words


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(argv)``, with what it printed to stdout and stderr."""
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _new_project(folder: Path) -> Project:
    """The shipped data (English only, as conftest.copy_project makes it) with the
    kzbrief.toml that ``kzbrief init`` writes: a project, so no paths are given."""
    project = copy_project(folder)
    (folder / "kzbrief.toml").write_text(project_template.CONFIG, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def issued_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the press edition built and copy 1 issued to press-wire."""
    folder = tmp_path_factory.mktemp("issued") / "project"
    _new_project(folder)
    with contextlib.redirect_stdout(io.StringIO()), pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(["issue", "--audience", "press"]) == 0
    return folder


@pytest.fixture
def issued(issued_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A copy of ``issued_once`` of this test's own, as the current folder."""
    folder = shutil.copytree(issued_once, tmp_path / "project")
    monkeypatch.chdir(folder)
    return Project(folder)


@pytest.fixture(scope="module")
def initialised_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``kzbrief init`` of the example (every language), its press edition built in English."""
    folder = tmp_path_factory.mktemp("init") / "brief"
    with contextlib.redirect_stdout(io.StringIO()), pytest.MonkeyPatch.context() as patch:
        assert main(["init", str(folder)]) == 0
        patch.chdir(folder)
        assert main(["build", *ONE_EDITION]) == 0
    return folder


@pytest.fixture
def initialised(initialised_once: Path, tmp_path: Path) -> Path:
    """A copy of ``initialised_once`` of this test's own (not the current folder: the
    hints under test begin with the ``cd`` into it)."""
    return shutil.copytree(initialised_once, tmp_path / "brief")


# -- a project to start with ---------------------------------------------------------------


def test_no_project_here_suggests_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """project.py NO_PROJECT: "no kzbrief project here: run kzbrief init DIR first"."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["new-audience", "analysts"], capsys)
    assert code == 64
    hint = command(err, r"run (kzbrief init \S+) first", DIR="brief")
    assert run(hint, capsys)[0] == 0
    monkeypatch.chdir(tmp_path / "brief")
    assert run(["new-audience", "analysts"], capsys)[0] == 0


def test_init_refuses_a_folder_in_use_and_suggests_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """init.py: "… is not empty: choose a new or empty folder, or add --force (…)"."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me", encoding="utf-8")
    code, _, err = run(["init", str(folder)], capsys)
    assert code == 64
    addition = command(err, r"or add (--\S+) ")
    assert run(["init", str(folder), *addition], capsys)[0] == 0
    assert (folder / "kzbrief.toml").is_file()
    assert (folder / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_the_commands_init_prints_next_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """init.py: "Next: cd DIR / kzbrief build / kzbrief preview". The preview is stopped
    once its first build is in, and ``kzbrief clean`` then removes what it built."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["init", "brief"], capsys)
    assert code == 0
    steps = [line.split("#")[0].split() for line in out.split("Next:")[1].strip().splitlines()]
    assert [step[:2] for step in steps] == [
        ["cd", "brief"],
        ["kzbrief", "build"],
        ["kzbrief", "preview"],
    ]
    monkeypatch.chdir(steps[0][1])
    assert run([*steps[1][1:], *ONE_EDITION], capsys)[0] == 0
    assert (tmp_path / "brief" / "output" / PRESS_PDF).is_file()
    code, out = _preview_until_built(steps[2][1:], tmp_path / "brief", monkeypatch, capsys)
    assert code == 0 and "kzbrief preview: stopped" in out
    state = tmp_path / "brief" / ".kzbrief"
    code, out, _ = run(["clean"], capsys)
    assert code == 0
    assert out.splitlines() == [f"removed {state / 'cache'}", f"removed {state / 'preview'}"]
    assert not state.exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _preview_until_built(
    argv: list[str],
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    """Run ``argv`` (a preview) in this thread until its draft PDF is in the state folder,
    then shut its server down (the command then stops as after Ctrl-C); its exit code and
    output. The preview's port is a free one: another preview may hold the default."""
    servers: list[preview_command.PreviewServer] = []
    bind = preview_command._bind

    def keep(*args: object, **kwargs: object) -> preview_command.PreviewServer:
        servers.append(bind(*args, **kwargs))
        return servers[-1]

    monkeypatch.setattr(preview_command, "_bind", keep)
    draft = project / ".kzbrief" / clean_command.PREVIEW_FOLDER / PRESS_PDF

    def stop_when_built() -> None:
        deadline = time.monotonic() + 60
        while not (servers and draft.is_file()) and time.monotonic() < deadline:
            time.sleep(0.1)
        while not servers and time.monotonic() < deadline + 5:
            time.sleep(0.1)
        if servers:
            servers[0].shutdown()

    stopper = threading.Thread(target=stop_when_built, daemon=True)
    stopper.start()
    code, out, _ = run([*argv, *ONE_EDITION, "--port", str(_free_port())], capsys)
    stopper.join()
    assert draft.is_file(), "the preview built nothing within a minute"
    return code, out


def test_clean_removes_the_preview_and_says_so(
    issued: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kzbrief clean` removes the preview's drafts (where preview_options builds them) with
    the cache, names each folder it removed, and says "nothing to clean" only when it is so."""
    from kzbrief.commands.build import quiet_options
    from kzbrief.preview.state import preview_options
    from kzbrief.project import resolve_paths

    state = issued.root / ".kzbrief"
    paths = resolve_paths(None, None, None)  # as the preview resolves them, here
    options = preview_options(quiet_options(paths, ["press"], ("pdf",)))
    assert options.output.resolve() == (state / clean_command.PREVIEW_FOLDER).resolve()
    draft = state / clean_command.PREVIEW_FOLDER / PRESS_PDF
    draft.parent.mkdir(parents=True)
    shutil.copyfile(issued.output / PRESS_PDF, draft)
    code, out, _ = run(["clean"], capsys)
    assert code == 0
    assert out.splitlines() == [f"removed {state / 'cache'}", f"removed {draft.parent}"]
    assert not state.exists() and (issued.output / PRESS_PDF).is_file()
    draft.parent.mkdir(parents=True)  # the preview alone: no "nothing to clean" beside it
    assert run(["clean"], capsys)[1] == f"removed {draft.parent}\n"
    assert run(["clean"], capsys)[1] == f"nothing to clean in {Path('output')}\n"


@pytest.mark.parametrize(
    "source",
    ["README.md", "templates/README.md"],
)
def test_the_commands_in_the_new_projects_readmes_work(
    source: str,
    initialised: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """project_template.py: README "Next:" (kzbrief list, build, build --audience ID,
    new-audience analysts) and templates/README.md (kzbrief build --audience business).
    A build is run in English only; the new audience is built after new-audience."""
    monkeypatch.chdir(initialised)
    text = (initialised / source).read_text(encoding="utf-8")
    lines = re.findall(r"(?m)^    (kzbrief [^#\n]*?)\s*(?:#.*)?$", text)  # the code lines
    lines += re.findall(r"Run\s+`(kzbrief [^`]+)`", text)
    assert lines, f"no command in {source}"
    for line in lines:
        argv = command(line, r"^(kzbrief .*)$", ID="press")
        if argv[0] == "build":
            argv += [] if "--audience" in argv else ["--audience", "press"]
            argv += ["--language", "en"]
        code, out, err = run(argv, capsys)
        assert code == 0, f"{line}: exit {code}\n{err}"
        if argv[0] == "new-audience":
            assert run(["build", "--audience", argv[1]], capsys)[0] == 0
            assert (initialised / "output" / f"kazakhstan-iran-{argv[1]}-en.pdf").is_file()
        if argv[0] == "list":
            assert re.search(r"(?m)^press ", out)
    for snippet in re.findall(r'`python -c "([^"]+)"`', text):  # where the packaged ones are
        shown = subprocess.run(
            [sys.executable, "-c", snippet], capture_output=True, text=True, check=True
        )
        assert (Path(shown.stdout.strip()) / "base").is_dir()


def test_the_blank_skeleton_suggests_new_audience(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """skeleton/audiences/readers.yaml: "Add more with `kzbrief new-audience ID`"; the
    new audience is then listed."""
    assert run(["init", "--blank", str(tmp_path / "blank")], capsys)[0] == 0
    monkeypatch.chdir(tmp_path / "blank")
    text = (tmp_path / "blank" / "data" / "audiences" / "readers.yaml").read_text("utf-8")
    assert run(command(text, r"`(kzbrief new-audience ID)`", ID="analysts"), capsys)[0] == 0
    code, out, _ = run(["list"], capsys)
    assert code == 0 and re.search(r"(?m)^analysts ", out)


def test_the_help_texts_suggest_commands_that_work(
    issued: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.py's help: "kzbrief COMMAND --help", "(kzbrief init DIR makes a project)",
    errors.py's exit table "(see kzbrief register)"; init --help "kzbrief build inside it";
    register --help "kzbrief editions lists them" (the ids --edition takes)."""
    _, top, _ = run(["--help"], capsys)
    assert run(command(top, r"(kzbrief COMMAND --help)", COMMAND="build"), capsys)[0] == 0
    hint = command(top, r"\((kzbrief init DIR) makes", DIR=str(tmp_path / "new"))
    assert run(hint, capsys)[0] == 0 and (tmp_path / "new" / "kzbrief.toml").is_file()
    code, out, _ = run(command(top, r"see (kzbrief register)\)"), capsys)
    assert code == 0 and "press-wire" in out
    _, init_help, _ = run(["init", "--help"], capsys)
    build = command(" ".join(init_help.split()), r"(kzbrief build) inside it")
    assert run([*build, *ONE_EDITION], capsys)[0] == 0
    _, register_help, _ = run(["register", "--help"], capsys)
    code, out, _ = run(
        command(" ".join(register_help.split()), r"(kzbrief editions) lists"), capsys
    )
    [edition] = re.findall(r"(?m)^\*\s+(\S+)", out)
    assert code == 0 and edition == "2026-11-27"
    code, out, _ = run(["register", "--edition", edition], capsys)
    assert code == 0 and "press-wire" in out


def test_an_internal_error_suggests_debug(
    issued: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.py: "internal error: … (run with --debug for details)": --debug shows them."""
    from kzbrief.commands import list_audiences

    def broken(args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(list_audiences, "run", broken)
    code, _, err = run(["list"], capsys)
    assert code == EXIT_INTERNAL, err
    option = command(err, r"run with (--\S+) for details")
    with pytest.raises(RuntimeError, match="a bug"):  # the details: the traceback
        main(["list", *option])


# -- translations ----------------------------------------------------------------------------


def test_a_missing_translation_file_suggests_translate_update(
    issued: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """data/translations.py: "no translation file: … (kzbrief translate update LANG starts
    one)"; after it, the build no longer warns that the file is missing."""
    issued.edit("audiences/press.yaml", "languages: [en]", "languages: [en, ru]")
    translation = issued.data / "i18n" / "ru" / "audiences" / "press.yaml"
    translation.unlink()
    russian = ["build", "--audience", "press", "--language", "ru"]
    with logged_warnings() as warnings:
        assert run(russian, capsys)[0] == 0
    hint = command("\n".join(warnings), r"\((kzbrief translate update \S+) starts one\)")
    # The data side is under test; the interface catalogue it also merges where writable
    # is kzbrief's own (in a checkout, kzbrief/language/locale/): left as it is here.
    monkeypatch.setattr(translate_command, "merge_catalogue", lambda language: None)
    assert run(hint, capsys)[0] == 0
    assert translation.is_file()
    with logged_warnings() as warnings:
        assert run(russian, capsys)[0] == 0
    assert not [w for w in warnings if "no translation file" in w]


# -- copies, the register, mail --------------------------------------------------------------


def test_a_renamed_recipient_suggests_issue_rename(
    issued: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """commands/issue.py: "… run kzbrief issue --rename OLD NEW (their copies and history
    carry over)"; after it the copy is the renamed person's, and no second one is issued."""
    issued.edit("recipients.yaml", "id: press-wire", "id: press-desk")
    code, _, err = run(["issue", "--audience", "press", "--strict"], capsys)
    assert code == 6
    code, out, _ = run(command(err, r"run (kzbrief issue --rename \S+ \S+) "), capsys)
    assert code == 0 and out.startswith("renamed   press-wire -> press-desk")
    code, out, err = run(["issue", "--audience", "press", "--strict"], capsys)
    assert code == 0 and err == ""
    assert out.startswith(f"unchanged  copy 1   press/en  press-desk  {COPY}")


def test_a_revoked_recipient_suggests_issue_reinstate(
    issued: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """distribute/plan.py: "skipped … revoked on DATE (kzbrief issue --reinstate ID to end it)";
    after it the next issue gives them a copy again."""
    assert run(["issue", "--revoke", "press-wire"], capsys)[0] == 0
    code, out, _ = run(["issue", "--audience", "press"], capsys)
    assert code == 0 and out.startswith("skipped")
    assert run(command(out, r"\((kzbrief issue --reinstate \S+) to end it\)"), capsys)[0] == 0
    code, out, _ = run(["issue", "--audience", "press"], capsys)
    assert code == 0 and out.startswith("issued     copy 2   press/en  press-wire")


def test_a_refused_message_suggests_register(
    issued: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """commands/send.py: "N sent, M failed: see kzbrief register"; the register lists the
    copy as failed, with the server's reason."""
    from aiosmtpd.controller import Controller

    class Refuse:
        async def handle_RCPT(  # aiosmtpd's hook for RCPT TO: every address is refused
            self, server: object, session: object, envelope: object, address: str, options: object
        ) -> str:
            return f"550 5.1.1 <{address}>: mailbox unavailable"

    port = _free_port()
    config = issued.root / "kzbrief.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('host = "localhost"\nport = 25', f'host = "127.0.0.1"\nport = {port}'),
        encoding="utf-8",
    )
    server = Controller(Refuse(), hostname="127.0.0.1", port=port)
    server.start()
    try:
        code, _, err = run(["send"], capsys)
    finally:
        server.stop()
    assert code == 12
    code, out, _ = run(command(err, r"see (kzbrief register)$"), capsys)
    assert code == 0
    [row] = [line for line in out.splitlines() if "press-wire" in line]
    assert "failed" in row.split()


def test_a_scanned_copy_suggests_register(
    issued: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """distribute/trace_report.py: "… by eye and look the copy up with kzbrief register";
    the register lists the copy the foot line names (copy 1 of edition 2026-11-27)."""
    import pypdfium2

    scan = tmp_path / "scan.pdf"
    document = pypdfium2.PdfDocument(issued.root / COPY)
    document[0].render(scale=1).to_pil().convert("RGB").save(scan, "PDF", resolution=72)
    document.close()
    code, _, err = run(["trace", str(scan)], capsys)
    assert code == 10
    code, out, _ = run(command(err, r"look the copy up with (kzbrief register)$"), capsys)
    assert code == 0
    [row] = [line.split() for line in out.splitlines() if "press-wire" in line]
    assert row[:2] == ["1", "2026-11-27"]


def test_changes_without_a_register_suggests_since_a_pdf(
    issued: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """commands/changes.py: "no register at …: … (give --since FILE.pdf to compare with an
    edition's PDF)"."""
    (issued.root / "distribution" / "register.sqlite").unlink()
    code, _, err = run(["changes"], capsys)
    assert code == 64
    option = command(
        err, r"\(give (--since FILE\.pdf) to", **{"FILE.pdf": str(issued.output / PRESS_PDF)}
    )
    code, out, _ = run(["changes", *option], capsys)
    assert code == 0 and out.strip()


# -- the public site -------------------------------------------------------------------------


def test_list_names_publish_for_a_public_audience(
    issued: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """data/audiences.py (kzbrief list): "…; public (kzbrief publish)"; publish then puts
    the press edition on the site."""
    code, out, _ = run(["list"], capsys)
    assert code == 0
    code, out, _ = run(command(out, r"public \((kzbrief publish)\)"), capsys)
    assert code == 0
    assert (issued.root / "site" / "index.html").is_file()


def test_a_site_folder_of_other_files_suggests_another_site(
    issued: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """distribute/site.py: "the site folder holds files that kzbrief publish did not write
    (…): choose a new or empty folder with --site"."""
    (issued.root / "site").mkdir()
    (issued.root / "site" / "mine.html").write_text("mine", encoding="utf-8")
    code, _, err = run(["publish"], capsys)
    assert code == 64, err
    option = command(err, r"with (--site)$")
    assert run(["publish", *option, str(tmp_path / "public")], capsys)[0] == 0
    assert (tmp_path / "public" / "index.html").is_file()
    assert (issued.root / "site" / "mine.html").read_text(encoding="utf-8") == "mine"
