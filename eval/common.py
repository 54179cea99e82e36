"""Helpers shared by the eval and bench scripts: where the shared data lives, the pinned baselines."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# ../shared/data next to the repository, or wherever STORYLINE_SHARED_DATA points (as in tests/conftest.py).
SHARED_DATA = Path(os.environ.get("STORYLINE_SHARED_DATA", ROOT.parent / "shared" / "data"))
BASELINES = ROOT / "eval" / "baselines.json"


def shared_data_path(name: str) -> Path:
    """A folder of the shared data; FileNotFoundError naming the path when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        raise FileNotFoundError(f"shared data {name!r} not found at {path} (set STORYLINE_SHARED_DATA)")
    return path


def load_baselines(path: Path = BASELINES) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def pin_baseline(key: str, values: dict[str, Any], *, path: Path = BASELINES) -> None:
    """Set one top-level key of the baselines file, leaving every other key as it is."""
    baselines = load_baselines(path)
    baselines[key] = values
    path.write_text(json.dumps(baselines, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def allsides_texts(path: Path, ids: set[str]) -> dict[str, str]:
    """``content_original`` of the AllSides records whose ``ID`` is in ``ids`` (streamed, gzip JSONL)."""
    texts = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["ID"] in ids:
                texts[record["ID"]] = record["content_original"]
    return texts
