"""Storyline: turn dated news articles from many outlets into stories."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from .errors import StorylineError  # noqa: E402
from .model import Article, RawDocument  # noqa: E402

__all__ = ["Article", "RawDocument", "StorylineError", "__version__"]
