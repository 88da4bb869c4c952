"""Build a static, data-checked report site from Markdown, Altair charts and a FRED snapshot."""

__version__ = "0.1.0"
