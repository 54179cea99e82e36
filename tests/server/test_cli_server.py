"""`storyline token create` and `storyline serve`'s checks before it starts listening."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from storyline.cli import main
from storyline.server import create_app
from storyline.store import open_store


def test_token_create_prints_a_token_the_server_accepts(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    result = CliRunner().invoke(main, ["token", "create", "--db", db, "--name", "ci"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert len(token) >= 40 and " " not in token
    with open_store(db) as store:
        stored = store.connection.execute("SELECT hash, name FROM api_tokens").fetchall()
    assert len(stored) == 1 and stored[0][1] == "ci" and token not in stored[0][0]
    with TestClient(create_app(db=db, require_token=True, open_reads=False)) as client:
        assert client.get("/api/v1/articles", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert client.get("/api/v1/articles").status_code == 401


def test_serve_reports_an_unusable_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing" / "x.db")])
    assert result.exit_code == 2
    assert "E201" in result.output
