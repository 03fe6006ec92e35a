"""`filmkit review`: the export's static review page, written again from its manifest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from filmkit.cli.app import PROJECT_FILE, cli


@cli.command()
@click.argument("project_file", type=PROJECT_FILE)
def review(project_file: Path) -> None:
    """Rebuild review.html beside the export's manifest.json from the manifest; renders no film.

    `filmkit export` writes the page itself; run this after moving the folder, after an
    interrupted export, or to see whether outputs went out of date since.
    """
    from filmkit.export.review import rebuild_review

    target, page = rebuild_review(project_file)
    counts = Counter(cell.state.value for cell in page.cells.values())
    states = ", ".join(f"{count} {state}" for state, count in counts.items())
    click.echo(f"Wrote {target} ({len(page.cells)} outputs: {states})", err=True)
