"""The Jinja2 environment (autoescape always on) and the page renderers the UI and the report share."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

STATIC_FILES = {"style.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
UI_PREFIX = "/ui"


@lru_cache(maxsize=1)
def environment() -> Environment:
    # autoescape=True for every template: article text is untrusted and must never reach the page raw.
    env = Environment(
        loader=PackageLoader("storyline.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["ui"] = UI_PREFIX
    return env


def static_text(name: str) -> str:
    """A file of web/static (only the known names: no path from a request reaches the file system)."""
    if name not in STATIC_FILES:
        raise KeyError(name)
    return resources.files("storyline.web").joinpath("static", name).read_text(encoding="utf-8")


def render_page(template: str, *, inline: bool = False, **context: Any) -> str:
    """A page; ``inline`` puts the CSS and JS into the page itself (the self-contained report)."""
    assets = {"css": Markup(static_text("style.css")), "js": Markup(static_text("app.js"))} if inline else {}
    return environment().get_template(template).render(inline=inline, assets=assets, **context)
