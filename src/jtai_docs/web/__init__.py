"""The web pages: officers check, build and compare reports in a browser, through the same pipeline as the CLI."""

from .app import WebConfig, create_app, name_reports

__all__ = ["WebConfig", "create_app", "name_reports"]
