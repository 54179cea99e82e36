"""Per-article NLP stages: entities, quotes, quantities, time expressions, claims."""
