"""Shared fixtures: paths to the samples and shared data, and both storage backends."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SHARED_DATA = Path(os.environ.get("STORYLINE_SHARED_DATA", ROOT.parent / "shared" / "data"))
POSTGRES_URL = os.environ.get("STORYLINE_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")


def shared_data(name: str) -> Path:
    """A folder of ../shared/data, or skip the test cleanly when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"shared data {name!r} not found at {path}")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
