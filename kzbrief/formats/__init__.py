"""The formats an edition can take: one module each, behind one interface (format.py).

Adding a format is a module with a ``make_writer`` function (see format.py), one entry
below, and one in ``kzbrief.FORMATS`` (its name and what ``--help`` says of it, kept there
so that ``--help`` imports nothing). build.py names no format.
"""

# The module that makes each format's files.
FORMAT_MODULES = {
    "pdf": "kzbrief.formats.pdf_edition",
    "html": "kzbrief.formats.web_edition",
    "docx": "kzbrief.formats.docx_edition",
}
