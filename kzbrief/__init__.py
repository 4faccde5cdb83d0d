"""kzbrief: turn structured YAML data into a publication-grade policy briefing PDF."""

__version__ = "0.1.0"

# Package-wide facts the command line needs before anything else is imported.
# WeasyPrint's own variant names that kzbrief offers; "none" is a plain tagged PDF 1.7.
PDF_VARIANTS = ("pdf/a-3b", "pdf/a-3u", "pdf/a-2b", "pdf/ua-1", "none")
# Archival PDF/A-3b carrying its source YAML as attachments; kzbrief tags it as well, so
# one file serves archivists and screen readers alike (docs/explanation/standards.md).
DEFAULT_VARIANT = "pdf/a-3b"
# Where --sign looks for the certificate's password.
PASSWORD_VARIABLE = "KZBRIEF_SIGN_PASSWORD"
# The formats an edition can take (edition.py; one module each in formats/), for --format.
FORMATS = {
    "pdf": "the typeset PDF (PDF/A-3b unless --pdf-variant says otherwise)",
    "html": "a self-contained web page: fonts, charts and logo inlined, readable on a phone",
    "docx": "a Word document: real headings, tables, captioned charts (PNG) and source"
    " footnotes, for readers who edit or quote it",
}
DEFAULT_FORMATS = ("pdf",)
