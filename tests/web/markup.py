"""What in an HTML page could run script: found with the standard library's HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data")


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"<{tag} {name}={value}>")


def executable_markup(page: str) -> tuple[list[str], list[dict[str, str | None]]]:
    """(event handlers, script URLs, frames found; every <script> element's attributes)."""
    finder = _Finder()
    finder.feed(page)
    finder.close()
    return finder.found, finder.scripts
