"""Per-article NLP stages: entities, quotes, quantities, time expressions, claims."""

from . import claims as _claims  # noqa: F401  (registers "claims.v1")
from . import entities as _entities  # noqa: F401  (registers "entities.v1")
from . import quantities as _quantities  # noqa: F401  (registers "quantities.v1")
from . import quotes as _quotes  # noqa: F401  (registers "quotes.v1")
from . import timex as _timex  # noqa: F401  (importing registers the "timexes.v1" stage)
