"""The CLI end to end on the samples and on bad input, through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_ingest_seeds_then_reingest_is_a_no_op(db: str, seeds_dir: Path) -> None:
    first = run("ingest", str(seeds_dir), "--db", db)
    assert first.exit_code == 0, first.output
    assert "stored 2" in first.output
    second = run("ingest", str(seeds_dir), "--db", db)
    assert second.exit_code == 0
    assert "unchanged 2" in second.output and "stored 0" in second.output


def test_articles_lists_both_seeds(db: str, seeds_dir: Path) -> None:
    run("ingest", str(seeds_dir), "--db", db)
    result = run("articles", "--db", db)
    assert result.exit_code == 0
    assert "Global Banking and Finance Review" in result.output
    assert "2026-02-05" in result.output


def test_show_all_prints_metadata_and_embeds(db: str, seeds_dir: Path) -> None:
    run("ingest", str(seeds_dir), "--db", db)
    result = run("show", "--all", "--db", db)
    assert result.exit_code == 0
    for expected in ("Reuters", "Bo Erickson", "WASHINGTON", "Office of the First Lady", "FirstLadyOffice"):
        assert expected in result.output


def test_show_unknown_id_is_a_clear_error(db: str, seeds_dir: Path) -> None:
    run("ingest", str(seeds_dir), "--db", db)
    result = CliRunner().invoke(main, ["show", "nope", "--db", db])
    assert result.exit_code == 2
    assert "E204" in result.output


def test_show_needs_ids_or_all(db: str) -> None:
    result = CliRunner().invoke(main, ["show", "--db", db])
    assert result.exit_code == 2


def test_export_json_follows_the_contract(db: str, seeds_dir: Path) -> None:
    run("ingest", str(seeds_dir), "--db", db)
    document = json.loads(run("export", "--db", db).output)
    assert document["schema"] == "storyline/1"
    assert document["stories"] == []
    by_wire = {a["wire"]: a for a in document["articles"]}
    reuters = by_wire["Reuters"]
    assert reuters["byline"] == ["Bo Erickson"]
    assert reuters["dateline"] == {"place": "WASHINGTON", "date": "2026-02-04"}
    for name in ("id", "origin", "source", "url", "published", "title", "text", "embeds", "entities"):
        assert name in reuters


def test_export_jsonl_and_csv(db: str, seeds_dir: Path, tmp_path: Path) -> None:
    run("ingest", str(seeds_dir), "--db", db)
    lines = run("export", "--format", "jsonl", "--db", db).output.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["text"] for line in lines)
    out = tmp_path / "a.csv"
    assert run("export", "--format", "csv", "--db", db, "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 2 and {r["wire"] for r in rows} == {"Reuters", ""}


def test_export_rejects_unknown_format(db: str) -> None:
    result = CliRunner().invoke(main, ["export", "--format", "xml", "--db", db])
    assert result.exit_code == 2


def test_bad_file_is_rejected_and_batch_goes_on(db: str, seeds_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.txt").write_bytes(b"")
    (batch / "good.txt").write_bytes((seeds_dir / "000_f539d11b3f0b5ae4.txt").read_bytes())
    result = CliRunner().invoke(main, ["ingest", str(batch), "--db", db])
    assert result.exit_code == 1
    assert "E001" in result.output and "empty.txt" in result.output
    assert "stored 1" in result.output


def test_bad_date_option_fails_at_once(db: str, seeds_dir: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(seeds_dir), "--date", "yesterday-ish", "--db", db])
    assert result.exit_code == 2
    assert "E302" in result.output
    assert not Path(db).exists() or "stored" not in result.output


def test_stdin_is_read_with_dash(db: str, seeds_dir: Path) -> None:
    data = (seeds_dir / "003_add2564ad87b768a.txt").read_bytes()
    result = run("ingest", "-", "--db", db, input=data)
    assert result.exit_code == 0 and "stored 1" in result.output


@pytest.mark.parametrize(
    "command", ["ingest", "annotate", "analyze", "articles", "show", "stories", "export"]
)
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "--db" in result.output


def test_annotate_then_show_and_export_carry_the_facts(db: str, seeds_dir: Path) -> None:
    run("ingest", str(seeds_dir), "--db", db)
    first = run("annotate", "--db", db)
    assert first.exit_code == 0 and "annotated 2, failed 0" in first.output
    assert "annotated 0" in run("annotate", "--db", db).output  # nothing left to do
    shown = run("show", "--all", "--db", db).output
    assert "Melania Trump" in shown and "2025-08" in shown
    document = json.loads(run("export", "--db", db).output)
    wire = next(a for a in document["articles"] if a["wire"] == "Reuters")
    told = next(q for q in wire["quotes"] if q["cue"] == "told")
    assert told["speaker"] == "Melania Trump" and told["speaker_text"] == "she"
    assert {"last August": "2025-08"}.items() <= {t["text"]: t["value"] for t in wire["timexes"]}.items()
    for item in wire["entities"] + wire["quotes"] + wire["quantities"] + wire["timexes"] + wire["claims"]:
        assert wire["text"][item["start"] : item["end"]] == item["text"]


def story_ids(db: str) -> list[str]:
    return [s["id"] for s in json.loads(run("export", "--db", db).output)["stories"]]


def test_analyze_then_stories_and_story_show_the_comparison(db: str, seeds_dir: Path) -> None:
    result = run("analyze", str(seeds_dir), "--db", db)
    assert result.exit_code == 0, result.output
    listing = run("stories", "--db", db).output
    assert "Melania Trump says talks with Putin team" in listing
    (story_id,) = story_ids(db)
    shown = run("story", story_id, "--db", db).output
    for expected in ("attribution", "Putin's team", "2025-08", "2025-12", "corroborated", "single-source"):
        assert expected in shown, expected


def test_split_and_merge_round_trip_and_stick(db: str, seeds_dir: Path) -> None:
    run("analyze", str(seeds_dir), "--db", db)
    (story_id,) = story_ids(db)
    document = json.loads(run("export", "--db", db).output)
    later = next(a["id"] for a in document["articles"] if a["published"] == "2026-02-05")
    assert run("story", "split", story_id, later, "--db", db).exit_code == 0
    assert len(story_ids(db)) == 2
    # Re-running the whole analysis does not undo a manual decision.
    run("analyze", str(seeds_dir), "--db", db)
    assert len(story_ids(db)) == 2
    first, second = story_ids(db)
    assert run("story", "merge", first, second, "--db", db).exit_code == 0
    assert len(story_ids(db)) == 1


def test_story_unknown_id_is_a_clear_error(db: str, seeds_dir: Path) -> None:
    run("analyze", str(seeds_dir), "--db", db)
    result = CliRunner().invoke(main, ["story", "nope", "--db", db])
    assert result.exit_code == 2 and "E206" in result.output
    result = CliRunner().invoke(main, ["story", "merge", "nope", "nada", "--db", db])
    assert result.exit_code == 2 and "E50" in result.output


def test_annotate_redo_annotates_everything_again(db: str, seeds_dir: Path) -> None:
    run("ingest", str(seeds_dir), "--db", db)
    run("annotate", "--db", db)
    assert "annotated 2, failed 0" in run("annotate", "--redo", "--db", db).output


def test_analyze_goes_on_past_a_rejected_file_and_says_so(db: str, seeds_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.txt").write_bytes(b"")
    for seed in seeds_dir.iterdir():
        (batch / seed.name).write_bytes(seed.read_bytes())
    result = CliRunner().invoke(main, ["analyze", str(batch), "--db", db])
    assert result.exit_code == 1 and "E001" in result.output
    assert len(story_ids(db)) == 1
