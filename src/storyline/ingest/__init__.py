"""Reading inputs (readers) and turning them into clean Articles (normalize)."""

from . import normalize as normalize  # registers the normalisation stages with storyline.registry
