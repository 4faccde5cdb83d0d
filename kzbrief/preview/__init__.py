"""``kzbrief preview``: a local server that shows each edition's pages and rebuilds on save."""
