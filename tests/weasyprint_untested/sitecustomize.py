"""On PYTHONPATH, every Python process of a build (the build, its fork server, its workers)
sees a WeasyPrint the adapter was not tested with (tests/test_weasyprint_adapter.py)."""

import kzbrief.formats.weasyprint_adapter as adapter

adapter.weasyprint_version = lambda: "71.0"
