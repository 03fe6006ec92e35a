#!/usr/bin/env python3
"""One entry point for a fresh machine that has only Python >= 3.10.

    python3 dev.py sample        export the sample film (projects/love-always-wins): every language x platform
    python3 dev.py test [ARGS]   run the test suite (ARGS go to pytest)
    python3 dev.py filmkit ARGS  run filmkit itself from the project's environment

It makes `.venv/` beside this file on first use and installs filmkit into it (with the test
tools); ffmpeg comes inside the imageio-ffmpeg wheel, so nothing needs root or a system ffmpeg.
The environment is reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".filmkit-installed"
SAMPLE = ROOT / "projects" / "love-always-wins"


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 10):
        print(f"filmkit needs Python 3.10 or newer; this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    command, args = (argv[0], argv[1:]) if argv else ("help", [])
    if command in ("help", "-h", "--help"):
        print(__doc__)
        return 0
    if command not in ("sample", "test", "filmkit"):
        print(f"unknown command {command!r}; use sample, test or filmkit\n{__doc__}", file=sys.stderr)
        return 2
    python = ensure_environment()
    if command == "test":
        return run([python, "-m", "pytest", *args])
    filmkit = [python, "-m", "filmkit"]
    if command == "filmkit":
        return run([*filmkit, *args])
    status = run([*filmkit, "storyboard", str(SAMPLE / "storyboard.yaml")])
    return status or run([*filmkit, "export", str(SAMPLE / "edit.yaml"), *args])


def ensure_environment() -> str:
    """The venv's python, created and installed on first use or after pyproject.toml changes."""
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return str(python)
    if not python.exists():
        print(f"dev.py: creating {VENV} ...", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError) as exc:
            sys.exit(f"dev.py: cannot create a virtual environment ({exc}). On Debian/Ubuntu install python3-venv.")
    print("dev.py: installing filmkit and its test tools into .venv ...", file=sys.stderr)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    if run([*pip, "-e", f"{ROOT}[test]"]) != 0:
        sys.exit("dev.py: installing filmkit failed (see pip's message above)")
    STAMP.write_text(wanted)
    return str(python)


def run(command: list[str]) -> int:
    try:
        return subprocess.call(command, cwd=ROOT)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
