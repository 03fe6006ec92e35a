"""The command line: the only package that imports click or prints.

`main` is the single error boundary: a FilmkitError becomes one paragraph on stderr and its
exit status; Ctrl-C becomes 130; `--debug` lets the traceback through. The commands live in
modules by topic (render and export, checking, information, subtitles), each adding to `cli`.
"""

from __future__ import annotations

import gc
import signal
import sys
from typing import NoReturn

import click

from filmkit.cli import check, info, interchange, render, review, subs  # noqa: F401  (each registers its commands)
from filmkit.cli.app import cli
from filmkit.atomic import environment_failure
from filmkit.errors import ExitStatus, FilmkitError, Interrupted, Reported

__all__ = ["cli", "main"]


# A command imports ~60,000 objects that live as long as the process (pydantic's models,
# typed-ffmpeg's filters, PyAV), and Python's cyclic collector walks them again and again: at the
# default first threshold (700 allocations) a render spent 0.09-0.13 s collecting, and the
# interpreter's last collection at exit walked them all once more (0.1 s). Measured on the overhead
# benchmark film (benchmarks/RESULTS.md, section 7): 0.03-0.04 s with 10,000, and 0.02 s to exit
# with the survivors frozen, since the memory of an ending process goes back to the system anyway.
GC_FIRST_THRESHOLD = 10_000


def _on_sigterm(_signum: int, _frame: object) -> NoReturn:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> NoReturn:
    """Run one command and exit. Without `argv` the command is the process's own (the `filmkit`
    script, `python -m filmkit`), and the cyclic collector is tuned for a process that ends
    with it (GC_FIRST_THRESHOLD); a caller passing `argv` (the tests) keeps its collector as it is."""
    whole_process = argv is None
    if whole_process:
        gc.set_threshold(GC_FIRST_THRESHOLD, *gc.get_threshold()[1:])
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        cli.main(args=argv, prog_name="filmkit", standalone_mode=False)
        status = ExitStatus.OK
    except click.exceptions.Exit as exc:
        status = ExitStatus(exc.exit_code) if exc.exit_code in ExitStatus._value2member_map_ else ExitStatus.OK
    except click.exceptions.Abort:
        click.echo("filmkit: interrupted", err=True)
        status = ExitStatus.INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        status = ExitStatus.INVALID_INPUT
    except FilmkitError as exc:
        if debug and not isinstance(exc, Reported):
            raise
        _report(exc)
        status = exc.exit_status
    except KeyboardInterrupt:
        if debug:
            raise
        _report(Interrupted("interrupted"))
        status = ExitStatus.INTERRUPTED
    except OSError as exc:  # the environment: a full disk or /tmp, a folder that vanished
        if debug:
            raise
        click.echo(f"filmkit: error: {environment_failure(exc)}", err=True)
        status = ExitStatus.RENDER_FAILED
    except Exception as exc:  # noqa: BLE001 - the one boundary: a bug is reported in one paragraph too
        if debug:
            raise
        click.echo(f"filmkit: internal error: {type(exc).__name__}: {str(exc)[:300]}. This is a bug in filmkit; "
                   "please report it with the command and what `filmkit --debug ...` prints", err=True)
        status = ExitStatus.RENDER_FAILED
    finally:
        signal.signal(signal.SIGTERM, previous)
    if whole_process:
        gc.freeze()  # the command is done: nothing left is collected again before the process ends
    sys.exit(int(status))


def _report(exc: FilmkitError) -> None:
    if isinstance(exc, Reported):
        return  # the command has already said what failed
    if isinstance(exc, Interrupted):
        click.echo(f"filmkit: {exc.message}", err=True)
        return
    click.echo(f"filmkit: error: {exc.message}", err=True)
    tail = getattr(exc, "stderr_tail", None)
    if tail:
        click.echo("  (run with --debug for the ffmpeg command and its full log)", err=True)
