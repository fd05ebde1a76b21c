"""Lanzasearch: a semantic archive of the Lanzarote Committee's factsheets."""

__version__ = "0.1.0"
