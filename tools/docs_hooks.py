"""MkDocs hooks: the Reference pages are generated from the code at build time."""
