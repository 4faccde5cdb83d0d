from pathlib import Path

# Here, not in language.py, so that a build can key its cache without importing Babel.
CATALOGUES = Path(__file__).parent / "locale"
