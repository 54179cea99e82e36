"""The HTTP API (FastAPI): ``create_app(db=...)`` builds the application ``storyline serve`` runs."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
