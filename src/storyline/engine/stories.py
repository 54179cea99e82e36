"""The story step after an engine run: new articles placed in publication order, in chunks.

Same result as :func:`storyline.api.iter_update_stories` (one builder, articles added in the same
order), but the clusterer state is saved after every chunk, so a run killed in the story step goes
on from the last chunk, and the set of stories rebuilt at once stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..api import pipeline_signature
from ..settings import DEFAULT, Settings
from ..store import Store
from ..stories.build import StoryBuilder, StoryEvent

# Articles placed between two saves of the clusterer state.
CHUNK = 2000


def iter_update_stories_chunked(
    store: Store, *, settings: Settings = DEFAULT, chunk: int = CHUNK
) -> Iterator[StoryEvent]:
    pending = store.unassigned_ids(pipeline_signature(settings))
    if not pending:
        return
    builder = StoryBuilder(store, settings=settings)
    for start in range(0, len(pending), chunk):
        yield from builder.add(pending[start : start + chunk])
