"""The command line: a few lines per command over the Python API. The only module that prints."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from . import __version__, api
from .errors import StorylineError
from .export import FORMATS, export_chunks
from .render import render_article
from .settings import DEFAULT
from .store import open_store

# Piped output is not cut to 80 columns: tables stay readable in files and pagers.
PIPE_WIDTH = 160


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
    report = api.IngestReport()
    with _guard(), open_store(db) as store, _progress(quiet) as progress:
        task = progress.add_task("ingesting", total=None)
        for event in api.iter_ingest(store, paths, date=date, stdin=sys.stdin.buffer):
            report.add(event)
            progress.update(task, advance=1, description=event.origin[-40:])
    _print_summary(report)
    if report.rejected:
        sys.exit(1)


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
    if failed:
        sys.exit(1)


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
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File (default stdout)."
)
def export(db: str, fmt: str, output: click.utils.LazyFile) -> None:
    """Export everything stored, following the storyline/1 export contract."""
    with _guard(), open_store(db) as store:
        for chunk in export_chunks(store.iter_articles(), fmt=fmt):
            output.write(chunk)


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
