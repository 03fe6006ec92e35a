"""How the benchmark runs filmkit: the working tree's (.venv/bin/filmkit) or a git revision's.

Other work on src/ may leave the working tree half-edited, so `--filmkit REV` measures a clean
copy of src/ at a revision (`git archive`, read-only for the repository) run by the same venv.
The x264 speed of platform renders is a constant in filmkit (render/settings.py, PLATFORM_X264_PRESET),
not a preset field; to measure another speed the runner sets that constant in-process before
calling filmkit's own CLI. Nothing else changes.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from common import FILMKIT, PYTHON, ROOT, WORK

SHIM = ("import sys, filmkit.render.settings as v; v.PLATFORM_X264_PRESET = sys.argv.pop(1); "
        "from filmkit.cli import main; sys.argv[0] = 'filmkit'; sys.exit(main())")


@dataclass(frozen=True)
class Filmkit:
    """A filmkit to run: `src` None is the working tree through .venv/bin/filmkit."""

    src: Path | None = None
    label: str = "working tree"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        # As installed: Python's bytecode cache on (a sandbox's PYTHONDONTWRITEBYTECODE=1 made
        # every run compile ~100 modules again, 0.2 s of a draft's start).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if self.src is not None:
            env["PYTHONPATH"] = str(self.src)  # ahead of the editable install's /work/main/src
        return env

    def argv(self, *args: str, x264_preset: str | None = None) -> list[str]:
        """The command line of `filmkit ARGS`; with `x264_preset`, platform renders use that speed."""
        if x264_preset is not None:
            return [str(PYTHON), "-c", SHIM, x264_preset, *args]
        if self.src is not None:
            return [str(PYTHON), "-m", "filmkit", *args]
        return [str(FILMKIT), *args]

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(*args), cwd=cwd, env=self.env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, errors="replace")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def describe_tree() -> str:
    """The commit the working tree is on, and whether src/ has changes on top of it."""
    dirty = git("status", "--porcelain", "--", "src")
    return f"{git('rev-parse', '--short', 'HEAD')}" + (" + uncommitted changes in src/" if dirty else "")


def choose(revision: str | None) -> Filmkit:
    """The working tree's filmkit, or a copy of src/ at `revision` extracted once into work/."""
    if not revision:
        return Filmkit(None, f"working tree at {describe_tree()}")
    sha = git("rev-parse", "--verify", f"{revision}^{{commit}}")
    if not sha:
        raise SystemExit(f"--filmkit {revision}: not a git revision of {ROOT}")
    target = WORK / f"filmkit-{sha[:10]}"
    if not (target / "src" / "filmkit").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", "--format=tar", sha, "src"], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    if not (target / "src" / "filmkit" / "__pycache__").is_dir():
        # Bytecode as an installed package has it (pip compiles on install); this sandbox sets
        # PYTHONDONTWRITEBYTECODE, so without this every start would compile filmkit again.
        subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(target / "src")], check=True)
    return Filmkit(target / "src", f"commit {sha[:10]} ({revision})")
