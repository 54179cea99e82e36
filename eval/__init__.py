"""Scorers for the public gold sets in ../shared/data, and the pinned baselines they are gated on."""
