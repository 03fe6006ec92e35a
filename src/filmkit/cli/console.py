"""What the commands show on a terminal: progress bars with ETA, tables; plain lines when piped.

The one place that asks whether stderr or stdout is a terminal.
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, ContextManager

import click

if TYPE_CHECKING:  # the export machinery is imported only by the commands that use it (start-up time)
    from filmkit.export.batch import ExportEvent, OutputResult
    from filmkit.export.matrix import ExportPlan


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _bars() -> ContextManager:  # type: ignore[type-arg]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("ETA"),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=True)


def progress_bar(label: str, total: int) -> ContextManager[Callable[[int], None]]:
    """A bar with ETA on a terminal; nothing at all when stderr is piped."""
    if not stderr_is_terminal():
        return contextlib.nullcontext(lambda _done: None)

    @contextlib.contextmanager
    def bar() -> Iterator[Callable[[int], None]]:
        with _bars() as progress:
            task = progress.add_task(label, total=total)
            yield lambda done: progress.update(task, completed=min(done, total))

    return bar()


def export_progress(plan: ExportPlan) -> ContextManager[Callable[[ExportEvent], None]]:
    """An overall bar and one bar per running job, on a terminal; one line per finished job otherwise."""
    from filmkit.export.batch import EventKind

    if not stderr_is_terminal():
        def plain(event: ExportEvent) -> None:
            if event.kind is EventKind.MEASURE:
                click.echo("Measuring the loudness of the mix ...", err=True)
            elif event.kind is EventKind.DONE:
                for result in event.results:
                    click.echo(f"  {result.outcome.value:<10} {result.output.path}", err=True)

        return contextlib.nullcontext(plain)

    @contextlib.contextmanager
    def bars() -> Iterator[Callable[[ExportEvent], None]]:
        with _bars() as progress:
            overall = progress.add_task("All outputs", total=len(plan.outputs))
            tasks: dict[object, object] = {}

            def on_event(event: ExportEvent) -> None:
                job = event.job
                if event.kind is EventKind.SKIPPED:
                    progress.update(overall, advance=len(event.results))
                elif event.kind is EventKind.MEASURE:
                    progress.update(overall, description="All outputs (measuring loudness)")
                elif event.kind is EventKind.START and job is not None:
                    langs = ", ".join(output.lang for output in job.outputs)
                    tasks[job] = progress.add_task(f"  {job.platform} [{langs}]", total=job.frames)
                elif event.kind is EventKind.PROGRESS and job in tasks and job is not None:
                    progress.update(tasks[job], completed=min(event.frame, job.frames))  # type: ignore[arg-type]
                elif event.kind is EventKind.DONE:
                    progress.update(overall, description="All outputs", advance=len(event.results))
                    if job in tasks:
                        progress.remove_task(tasks.pop(job))  # type: ignore[arg-type]

            yield on_event

    return bars()


def export_summary(plan: ExportPlan, results: Sequence[OutputResult]) -> None:
    counts = Counter(result.outcome.value for result in results)
    if stderr_is_terminal():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"filmkit export: {plan.loaded.project.title}", title_justify="left")
        for column in ("platform", "language", "result", "file or reason"):
            table.add_column(column, overflow="fold")
        for result in results:
            detail = result.reason if result.reason else str(result.output.path)
            style = {"failed": "red", "rendered": "green"}.get(result.outcome.value, "")
            shown = f"[{style}]{result.outcome.value}[/]" if style else result.outcome.value
            table.add_row(result.output.platform, result.output.lang, shown, detail)
        Console(stderr=True).print(table)
    else:
        for result in results:
            if result.reason:
                click.echo(f"FAILED {result.output.platform}/{result.output.lang}: {result.reason}", err=True)
    summary = ", ".join(f"{counts.get(key, 0)} {key}" for key in ("rendered", "up to date", "failed"))
    click.echo(f"{len(results)} outputs: {summary}; manifest: {plan.folder / 'manifest.json'}", err=True)


def print_table(title: str, rows: Sequence[dict[str, str]]) -> None:
    """Rows as a table on stdout: rich on a terminal, aligned plain columns when piped."""
    if not rows:
        return
    if stdout_is_terminal():
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for column in rows[0]:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(escape(value) for value in row.values()))
        Console().print(table)
        return
    widths = {key: max(len(key), *(len(row[key]) for row in rows)) for key in rows[0]}
    for row in [dict(zip(widths, widths)), *rows]:
        click.echo("  ".join(row[key].ljust(widths[key]) for key in widths).rstrip())
