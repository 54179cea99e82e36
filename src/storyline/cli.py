"""The command line: a few lines per command over the Python API. The only module that prints."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from . import __version__, api
from .engine.events import PartitionEvent
from .errors import E644, E646, StorylineError
from .export import FORMATS, export_chunks
from .render import render_article, render_stories, render_story
from .settings import DEFAULT
from .store import open_store

# Piped output is not cut to 80 columns: tables stay readable in files and pagers.
PIPE_WIDTH = 200


def _console(*, stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, highlight=False, width=None if stream.isatty() else PIPE_WIDTH)


db_option = click.option(
    "--db",
    default=DEFAULT.db,
    show_default=True,
    envvar="STORYLINE_DB",
    help="SQLite file path or postgresql:// URL.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
def main() -> None:
    """Storyline: turn news articles from many outlets into stories."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--date", help="Publication date (YYYY-MM-DD) for plain-text files, or 'mtime'.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, only the summary.")
def ingest(paths: Sequence[str], db: str, date: str | None, quiet: bool) -> None:
    """Read articles from PATHS (files, folders, globs, - for stdin) into the database."""
    if _ingest(paths, db=db, date=date, quiet=quiet):
        sys.exit(1)


def _ingest(paths: Sequence[str], *, db: str, date: str | None, quiet: bool) -> int:
    """Ingest with a progress bar and a summary; returns how many records were rejected."""
    report = api.IngestReport()
    with _guard(), open_store(db) as store, _progress(quiet) as progress:
        task = progress.add_task("ingesting", total=None)
        for event in api.iter_ingest(store, paths, date=date, stdin=sys.stdin.buffer):
            report.add(event)
            progress.update(task, advance=1, description=event.origin[-40:])
    _print_summary(report)
    return len(report.rejected)


@main.command()
@click.argument("ids", nargs=-1)
@db_option
@click.option("--redo", is_flag=True, help="Annotate again even if already done by this pipeline.")
@click.option(
    "--processes", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, only the summary.")
def annotate(ids: Sequence[str], db: str, redo: bool, processes: int, quiet: bool) -> None:
    """Find entities, quotes, quantities, time expressions and claims in stored articles.

    Without IDS: every article not yet annotated by the current pipeline.
    """
    if _annotate(ids, db=db, redo=redo, processes=processes, quiet=quiet):
        sys.exit(1)


def _annotate(ids: Sequence[str], *, db: str, redo: bool, processes: int, quiet: bool) -> int:
    """Annotate with a progress bar and a summary; returns how many articles failed."""
    done = failed = 0
    with _guard(), open_store(db) as store, _progress(quiet) as progress:
        total = len(ids) if ids else None if redo else api.count_unannotated(store)
        task = progress.add_task("annotating", total=total)
        for event in api.iter_annotate(store, ids=ids or None, redo=redo, processes=processes):
            if event.error:
                failed += 1
                _console(stderr=True).print(f"[red]failed[/red] {event.error}")
            else:
                done += 1
            progress.update(task, advance=1)
    _console(stderr=True).print(f"annotated {done}, failed {failed}")
    return failed


@main.command()
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
def articles(db: str, limit: int | None) -> None:
    """List stored articles: id, date, source, title, words."""
    table = Table("id", "date", "source", "title", "words", box=None)
    with _guard(), open_store(db) as store:
        for index, article in enumerate(store.iter_articles()):
            if limit is not None and index >= limit:
                break
            table.add_row(
                article.id,
                article.published or "?",
                article.source or "",
                (article.title or article.text[:60]).strip(),
                str(article.word_count),
            )
    _console().print(table)


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--all", "show_all", is_flag=True, help="Show every stored article.")
@db_option
def show(ids: Sequence[str], show_all: bool, db: str) -> None:
    """Show articles: clean text, metadata, embedded posts and annotations."""
    if not ids and not show_all:
        raise click.UsageError("give article IDS or --all")
    with _guard(), open_store(db) as store:
        chosen = store.iter_articles() if show_all else (store.get_article(i) for i in ids)
        for article in chosen:
            _console().print(render_article(article))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--date", help="Publication date (YYYY-MM-DD) for plain-text files, or 'mtime'.")
@click.option(
    "--processes", type=click.IntRange(min=1), default=1, show_default=True, help="NLP worker processes."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bars, only the summaries.")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default=None,
    help="Process input files as resumable partitions, here (local) or on Dask. Default: one pass.",
)
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786); default: start a LocalCluster.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="LocalCluster worker processes.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="With --engine: write Parquet files here, not the database.",
)
def analyze(
    paths: Sequence[str],
    db: str,
    date: str | None,
    processes: int,
    quiet: bool,
    engine: str | None,
    scheduler: str | None,
    workers: int,
    out: str | None,
) -> None:
    """Ingest PATHS, annotate the new articles and update the stories, in one go."""
    if scheduler is not None and engine != "dask":
        raise click.UsageError(E644)
    if out is not None and engine is None:
        raise click.UsageError(E646)
    if engine is not None:
        failed = _run_engine(
            engine,
            paths,
            db=db,
            date=date,
            processes=processes,
            scheduler=scheduler,
            workers=workers,
            out=out,
            quiet=quiet,
        )
        if out is None:  # stories are built from the database, which --out does not write
            _update_stories(db, quiet=quiet)
        sys.exit(1 if failed else 0)
    # A rejected record or a failed article does not stop the rest: report it in the exit code.
    rejected = _ingest(paths, db=db, date=date, quiet=quiet)
    unannotated = _annotate((), db=db, redo=False, processes=processes, quiet=quiet)
    _update_stories(db, quiet=quiet)
    if rejected or unannotated:
        sys.exit(1)


def _run_engine(
    engine: str,
    paths: Sequence[str],
    *,
    db: str,
    date: str | None,
    processes: int,
    scheduler: str | None,
    workers: int,
    out: str | None,
    quiet: bool,
) -> bool:
    """Run the partition engine, one line per partition; True when a partition or record failed."""
    from .engine import dask as dask_engine
    from .engine import local as local_engine

    failed = False
    with _guard(), ExitStack() as stack:
        if engine == "dask":
            events = dask_engine.iter_run_dask(
                db, paths, date=date, scheduler=scheduler, workers=workers, out=out
            )
        else:
            store = stack.enter_context(open_store(db))
            events = local_engine.iter_run_local(store, paths, date=date, processes=processes, out=out)
        for event in events:
            failed = failed or event.status == "failed" or bool(event.counts.get("rejected"))
            _print_partition(event, quiet=quiet)
    return failed


def _print_partition(event: PartitionEvent, *, quiet: bool) -> None:
    console = _console(stderr=True)
    if event.status == "failed":
        console.print(f"[red]failed[/red] {event.name}: {'; '.join(event.messages)}")
        return
    for message in event.messages:
        console.print(f"[red]rejected[/red] {message}")
    if not quiet:
        counts = ", ".join(f"{name} {count}" for name, count in sorted(event.counts.items()))
        console.print(f"{event.status} {event.name}: {counts or 'nothing new'} ({event.seconds:.1f} s)")


@main.command("stories")
@db_option
@click.option("--update/--no-update", default=True, show_default=True, help="Place new articles first.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def stories(db: str, update: bool, quiet: bool) -> None:
    """List stories: title, date span, articles, outlets, corroborated / single-source / conflicting facts."""
    if update:
        _update_stories(db, quiet=quiet)
    with _guard(), open_store(db) as store:
        _console().print(render_stories(list(store.iter_stories())))


def _update_stories(db: str, *, quiet: bool) -> None:
    written = 0
    with _guard(), open_store(db) as store, _progress(quiet) as progress:
        task = progress.add_task("stories", total=None)
        for _event in api.iter_update_stories(store):
            written += 1
            progress.update(task, advance=1)
        total = store.count_stories()
    _console(stderr=True).print(f"stories: {total} ({written} updated)")


class _StoryGroup(click.Group):
    """`storyline story ID` shows a story; `storyline story merge|split …` change stories."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_StoryGroup)
def story() -> None:
    """Show a story (`storyline story ID`), or merge and split stories by hand."""


@story.command("show")
@click.argument("story_ids", nargs=-1)
@click.option("--all", "show_all", is_flag=True, help="Show every story.")
@db_option
def story_show(story_ids: Sequence[str], show_all: bool, db: str) -> None:
    """The fact comparison and the timeline of stories."""
    if not story_ids and not show_all:
        raise click.UsageError("give STORY_IDS or --all")
    with _guard(), open_store(db) as store:
        chosen = store.iter_stories() if show_all else (store.get_story(i) for i in story_ids)
        for found in chosen:
            articles = {a: store.get_article(a) for a in found.articles}
            _console().print(render_story(found, articles))


@story.command("merge")
@click.argument("story_a")
@click.argument("story_b")
@db_option
def story_merge(story_a: str, story_b: str, db: str) -> None:
    """Merge STORY_B into STORY_A; later articles respect the decision."""
    with _guard(), open_store(db) as store:
        events = api.merge_stories(store, story_a, story_b)
    _print_story_events(events)


@story.command("split")
@click.argument("story_id")
@click.argument("article_ids", nargs=-1, required=True)
@db_option
def story_split(story_id: str, article_ids: Sequence[str], db: str) -> None:
    """Move ARTICLE_IDS out of STORY_ID into a new story that will not merge back."""
    with _guard(), open_store(db) as store:
        events = api.split_story(store, story_id, article_ids)
    _print_story_events(events)


def _print_story_events(events: Sequence[api.StoryEvent]) -> None:
    for event in events:
        state = "removed" if event.deleted else f"{event.articles} articles"
        _console().print(f"{event.story_id}: {state}")


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File (default stdout)."
)
def export(db: str, fmt: str, output: TextIO) -> None:
    """Export everything stored, following the storyline/1 export contract."""
    with _guard(), open_store(db) as store:
        stories = (s.to_dict() for s in store.iter_stories())
        for chunk in export_chunks(store.iter_articles(), fmt=fmt, stories=stories):
            output.write(chunk)


@main.command()
@click.argument("story_id")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="html: one self-contained page (no external requests); md: Markdown for a newsroom chat.",
)
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File (default stdout)."
)
def report(story_id: str, db: str, fmt: str, output: TextIO) -> None:
    """Write STORY_ID as one HTML file with the story page's content, or as Markdown."""
    from .report import story_report  # loads the templates and the stories package: only when asked

    with _guard(), open_store(db) as store:
        output.write(story_report(store, story_id, fmt=fmt))


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--open-reads", is_flag=True, help="Beyond loopback, let reads through without a token.")
def serve(db: str, host: str, port: int, open_reads: bool) -> None:
    """Serve the HTTP API (/api/v1, OpenAPI at /docs) and the web UI.

    Beyond loopback every request needs 'Authorization: Bearer TOKEN' (storyline token create),
    reads excepted with --open-reads.
    """
    import uvicorn

    from .server import create_app
    from .server.auth import is_loopback

    guarded = not is_loopback(host)
    with _guard():
        app = create_app(db=db, open_reads=open_reads, require_token=guarded)
    if guarded:
        needing = "writes" if open_reads else "requests"
        _console(stderr=True).print(f"listening beyond loopback on {host}: {needing} need a token")
    uvicorn.run(app, host=host, port=port)


@main.group()
def token() -> None:
    """Bearer tokens for the HTTP API (`storyline token create`)."""


@token.command("create")
@db_option
@click.option("--name", help="A label to remember what the token is for.")
def token_create(db: str, name: str | None) -> None:
    """Create a token, store its hash and print the token once."""
    from .server.auth import create_token

    with _guard(), open_store(db) as store:
        _console().print(create_token(store, name=name), soft_wrap=True)


def _progress(quiet: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=_console(stderr=True),
        disable=quiet or not sys.stderr.isatty(),
        transient=True,
    )


def _print_summary(report: api.IngestReport) -> None:
    for event in report.rejected:
        _console(stderr=True).print(f"[red]rejected[/red] {event.message}")
    counts = ", ".join(f"{name} {count}" for name, count in report.counts.items())
    _console(stderr=True).print(f"read {report.read}: {counts}")


@contextmanager
def _guard() -> Iterator[None]:
    """Turn Storyline's own errors into a one-line message and exit code 2."""
    try:
        yield
    except StorylineError as exc:
        _console(stderr=True).print(f"[red]error[/red] {exc}")
        sys.exit(2)
