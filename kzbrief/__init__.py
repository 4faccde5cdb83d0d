"""kzbrief: turn structured YAML data into a publication-grade policy briefing PDF."""

__version__ = "0.1.0"
