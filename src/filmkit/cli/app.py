"""The `filmkit` command group; the command modules add their commands to it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from filmkit import __version__

PROJECT_FILE = click.Path(path_type=Path, dir_okay=False)


class Context:
    def __init__(self, debug: bool) -> None:
        self.debug = debug


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="filmkit")
@click.option("--debug", is_flag=True, help="Show tracebacks and the ffmpeg command lines.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Render campaign films from an edit-decision YAML file.

    \b
    Start with:  filmkit init my-film   then   filmkit render my-film/edit.yaml
    """
    ctx.obj = Context(debug)
    if debug:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s", stream=sys.stderr)
