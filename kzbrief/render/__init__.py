"""The render stage: the edition's HTML from the data, the templates and the charts."""
