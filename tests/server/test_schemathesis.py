"""Property-based checks of the read API against its own OpenAPI schema (schemathesis, in-process).

The cases are drawn from one schemathesis strategy and run by hypothesis directly: schemathesis'
pytest plugin does not work with this pytest version.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from storyline.server import create_app
from tests.server.conftest import build

# Generated cases per run; with the small database each takes a few milliseconds.
EXAMPLES = 300
# Opaque cursors and search queries without words are schema-valid strings that the API rejects by
# design with a coded 400 (E602, E604); every other check runs.
EXCLUDED = [positive_data_acceptance]


@pytest.fixture(scope="module")
def app_schema(tmp_path_factory: pytest.TempPathFactory) -> schemathesis.schemas.BaseSchema:
    folder = tmp_path_factory.mktemp("schemathesis")
    build(folder / "db.db", folder)
    app = create_app(db=str(folder / "db.db"))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_reads_conform_to_the_schema(app_schema: schemathesis.schemas.BaseSchema) -> None:
    # Writes are covered by test_api.py: generated ingest bodies would run the NLP pipeline per example.
    strategy = app_schema.include(method="GET").as_strategy()

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        # No 5xx, documented status codes, content types and bodies matching the response schemas.
        case.call_and_validate(excluded_checks=EXCLUDED)

    check()


def test_write_bodies_are_validated(app_schema: schemathesis.schemas.BaseSchema) -> None:
    # Generated merge/split bodies against unknown story ids: 404/409/422, never a server error.
    strategy = app_schema.include(path_regex=r"/(merge|split)$").as_strategy()

    @given(case=strategy)
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=EXCLUDED)

    check()


def test_schema_lists_every_endpoint(app_schema: schemathesis.schemas.BaseSchema) -> None:
    paths = set(app_schema.raw_schema["paths"])
    assert {
        "/api/v1/articles",
        "/api/v1/search",
        "/api/v1/ingest",
        "/api/v1/stories/{story_id}/split",
        "/api/v1/jobs",
        "/api/v1/jobs/{job_id}",
    } <= paths
