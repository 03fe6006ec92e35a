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
    from rich.progress import TaskID

    from filmkit.export.batch import ExportEvent, Job, OutputResult
    from filmkit.export.matrix import ExportPlan, Output


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
    """An overall bar (frames of every output, so its ETA is the export's) and one bar per running
    job, naming its worker on a cluster, on a terminal; one line per finished job otherwise."""
    from filmkit.export.batch import EventKind

    if not stderr_is_terminal():
        def plain(event: ExportEvent) -> None:
            if event.kind is EventKind.MEASURE:
                click.echo("Measuring the loudness of the mix ...", err=True)
            elif event.kind is EventKind.START and event.worker and event.job is not None:
                click.echo(f"  started   {_job_label(event.job).strip()} on {event.worker}", err=True)
            elif event.kind is EventKind.DONE:
                for result in event.results:
                    click.echo(f"  {result.outcome.value:<10} {result.output.path}", err=True)

        return contextlib.nullcontext(plain)

    @contextlib.contextmanager
    def bars() -> Iterator[Callable[[ExportEvent], None]]:
        from filmkit.render.verify import expected_frames

        def frames(output: Output) -> int:
            return expected_frames(plan.timeline, output.preset.output_fps(plan.timeline.fps))

        with _bars() as progress:
            overall = progress.add_task("All outputs", total=sum(frames(output) for output in plan.outputs))
            tasks: dict[Job, TaskID] = {}
            seen: dict[Job, tuple[int, str]] = {}  # frames counted into the overall bar, worker
            finished = [0]

            def advance(job: Job, frame: int) -> None:
                counted, worker = seen.get(job, (0, ""))
                frame = min(frame, job.frames)
                progress.update(overall, advance=max(0, frame - counted) * len(job.outputs))
                seen[job] = (max(frame, counted), worker)

            def on_event(event: ExportEvent) -> None:
                job = event.job
                if event.kind is EventKind.SKIPPED:
                    finished[0] += len(event.results)
                    progress.update(overall, advance=sum(frames(result.output) for result in event.results))
                elif event.kind is EventKind.MEASURE:
                    progress.update(overall, description="All outputs (measuring loudness)")
                elif job is None:
                    return
                elif event.kind in (EventKind.START, EventKind.PROGRESS) and job not in tasks:
                    tasks[job] = progress.add_task(_job_label(job, event.worker), total=job.frames)
                    seen[job] = (seen.get(job, (0, ""))[0], event.worker)
                elif event.worker and seen.get(job, (0, ""))[1] != event.worker:  # the job runs again elsewhere
                    progress.update(tasks[job], description=_job_label(job, event.worker) + " (again)")
                    seen[job] = (seen[job][0], event.worker)
                if event.kind is EventKind.PROGRESS and job in tasks:
                    progress.update(tasks[job], completed=min(event.frame, job.frames))
                    advance(job, event.frame)
                elif event.kind is EventKind.DONE:
                    finished[0] += len(event.results)
                    advance(job, job.frames)
                    progress.update(overall, description=f"All outputs ({finished[0]} of {len(plan.outputs)} done)")
                    if job in tasks:
                        progress.remove_task(tasks.pop(job))

            yield on_event

    return bars()


def _job_label(job: Job, worker: str = "") -> str:
    langs = ", ".join(output.lang for output in job.outputs)
    return f"  {job.platform} [{langs}]" + (f" on {worker}" if worker else "")


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
    if (plan.folder / "review.html").is_file():
        click.echo(f"Review page: {plan.folder / 'review.html'}", err=True)


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
