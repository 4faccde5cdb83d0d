"""One module per CLI command: its arguments and the function they feed, side by side.

Each module has ``DESCRIPTION`` (what ``kzbrief COMMAND --help`` says of it), ``arguments(parser)``
(its options, the shared ones from arguments.py among them) and ``run(args) -> int`` (0, or a
KzbriefError raised). cli.py lists the commands and imports only the module of the one named
on the command line, so ``kzbrief --help`` pays for none of them.
"""
