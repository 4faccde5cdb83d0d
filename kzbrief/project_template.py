"""The files ``kzbrief init`` writes around the data: config, .gitignore, READMEs.

Kept apart from commands/init.py so the command reads as what it does, not as text.
The data itself is copied: the packaged example, or the commented skeleton in
``kzbrief/skeleton/`` (--blank).
"""

from __future__ import annotations

CONFIG = """\
# kzbrief project settings. kzbrief finds this file by walking up from the current
# folder, as git finds .git; paths are relative to this file. Flags still win over them.

[build]
data = "data"
templates = "templates"
output = "output"

[distribute]
register = "distribution/register.sqlite"   # the copies issued; never inside output/

[publish]
# Where `kzbrief publish` writes the public site (--site wins; never inside output/), and
# the address it will be served from: with base_url the Atom feed's links are absolute, as
# feed readers want them; without it they stay relative and publish warns once.
site = "site"
# base_url = "https://example.org/briefings/"

# The addresses below are placeholders on example.org: replace them before a real send.
[send]
from = "kzbrief Policy Analysis Unit <briefings@example.org>"
reply_to = "analysts@example.org"

[smtp]
# A local relay, as a start: security = "none" is allowed only for a loopback host.
# For a real server: host = "smtp.example.org", port = 587, security = "starttls",
# username = "briefings"; the password comes from $KZBRIEF_SMTP_PASSWORD, never from a file.
host = "localhost"
port = 25
security = "none"
"""

GITIGNORE = """\
# What kzbrief builds and keeps for itself: rebuilt from data/ and templates/.
/output/
/site/
/outbox/
/.kzbrief/
# The register of issued copies names real recipients: keep it out of version control.
/distribution/
"""

README = """\
# {name}

A briefing project for kzbrief, made by
`kzbrief init` ({kind}).

- `kzbrief.toml`: the project's settings; kzbrief finds it from any folder below this one.
- `data/`: the briefing's facts and prose, one YAML file per part; `data/audiences/`
  has one file per audience (who reads it, paper, sections).
- `templates/`: your template overrides (empty at first; see `templates/README.md`).
- `output/`: what `kzbrief build` writes.

A section or chart of your own needs no change to kzbrief: declare it under `sections:` or
`charts:` in a data file and name the section in an audience's `sections:` (the guide
"Sections and charts of your own" in kzbrief's documentation has a worked example). A chart
drawn by your
own Python code runs only when `kzbrief.toml` names it under `[charts]`.

Each data file starts with a `# yaml-language-server: $schema=…` line: with the YAML
language server (VS Code's YAML extension, for one) your editor completes and checks the
fields as you type.

Next:

    kzbrief list                      # the audiences and the languages each is read in
    kzbrief build                     # one PDF per audience and language, into output/
    kzbrief build --audience ID       # one audience
    kzbrief new-audience analysts     # a new audience that builds at once
"""

TEMPLATES_README = """\
# Template overrides

kzbrief looks for each template in this order and uses the first it finds:

1. `templates/audiences/AUDIENCE/` here (for one audience only);
2. `templates/base/` here, then `templates/` itself (for every audience);
3. the packaged templates of that audience, then the packaged `base/`.

So a file here needs only the part you change. The packaged templates are the
starting point: `python -c "import kzbrief.project as p; print(p.PACKAGED_TEMPLATES)"`
prints where they are; copy a file from there rather than editing it in place.

## A worked example: one sentence more in the business audience's mediator section

Create `templates/audiences/business/sections/mediator.html.j2` with:

    {% extends "kzbrief:audiences/business/sections/mediator.html.j2" %}
    {% block mediator_assessment %}
      {{ super() }}
      <p>Our trade desk can be reached at trade@example.org.</p>
    {% endblock %}

A file here replaces the packaged file of the same name, so the override names the
one it starts from: `kzbrief:` names a packaged template (here the business
audience's own mediator section, shorter than the full briefing's), `base:` the
packaged base layout, and `{{ super() }}` keeps the block's content. Run
`kzbrief build --audience business` and the sentence follows what the mediator idea
means for business, in each of the audience's PDFs (text written in a template is not
translated); delete the file and it is gone. An audience with a `page_budget` (press
has two pages) fails the build when an addition makes its PDF longer.

## A section of your own

A section declared in the data (`sections: <id>:` in a data file) is laid out by the
packaged `sections/_own.html.j2` unless `sections/<id>.html.j2` exists here; yours can
extend `base:sections/_own.html.j2` and replace its `own_body` block, in which `own` is
the section's data.
"""
