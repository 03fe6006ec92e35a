"""`filmkit doctor` names the font every script would be burned with, and what to install when one is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

import filmkit.text.fonts
from filmkit.tools.doctor import FONT_SCRIPTS

# What this checkout installs (pyproject.toml pins the packages).
EXPECTED = {
    "font latin": "Noto Sans",
    "font greek": "Noto Sans",
    "font cyrillic": "Noto Sans",
    "font arabic": "Noto Sans Arabic",
    "font hebrew": "Heebo",
    "font devanagari": "Noto Sans Devanagari",
    "font thai": "Noto Sans Thai",
    "font han (zh)": "Noto Sans CJK SC",
    "font han (zh-TW)": "Noto Sans CJK TC",
    "font han (ja)": "Noto Sans CJK JP",
    "font hangul (ko)": "Noto Sans CJK KR",
    "font khmer": "Noto Sans Khmer",
    "font tamil": "Noto Sans Tamil",
    "font telugu": "Noto Sans Telugu",
}
# Scripts with no Python font package: a system face when one is installed, else a row saying
# what to install (not required: only films in that script need it).
SYSTEM_ONLY = ("armenian", "bengali", "ethiopic", "georgian", "gujarati", "gurmukhi", "kannada", "lao", "malayalam",
               "myanmar", "sinhala")


def font_rows(stdout: str) -> dict[str, str]:
    """Row name -> the whole printed row, for the font rows."""
    rows = {}
    for line in stdout.splitlines():
        name = line[4:27].strip()
        if name.startswith("font "):
            rows[name] = line
    return rows


def test_every_script_has_a_row_naming_family_origin_and_file(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("doctor")
    assert result.exit_code == 0, result
    rows = font_rows(result.stdout)
    packaged = [name for name in rows if name in EXPECTED]
    assert packaged == list(EXPECTED), "one row per script, in a stable order"
    assert sorted(set(rows) - set(EXPECTED)) == [f"font {script}" for script in SYSTEM_ONLY]
    assert len(FONT_SCRIPTS) == len(EXPECTED) + len(SYSTEM_ONLY)
    for script in SYSTEM_ONLY:
        row = rows[f"font {script}"]
        assert row.startswith("ok ") and "(system font: " in row or "apt install fonts-noto-core" in row, row
    for name, family in EXPECTED.items():
        row = rows[name]
        assert row.startswith("ok "), row
        assert f"{family} (Python font package: " in row, row
        path = Path(row.split("Python font package: ", 1)[1].rstrip(")").split(", face ")[0])
        assert path.is_file() and path.suffix in (".ttf", ".ttc"), row
    # the CJK faces live in one collection: the row says which face
    assert rows["font han (zh)"].endswith(", face 2)") and rows["font han (ja)"].endswith(", face 0)")


def test_a_missing_font_is_a_failed_optional_row_that_says_what_to_install(
    run_cli, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    real = filmkit.text.fonts._locate
    hidden = ("Devanagari", "CJK")
    monkeypatch.setattr(filmkit.text.fonts, "_locate",
                        lambda candidate: None if any(word in candidate.family for word in hidden) else real(candidate))
    result = run_cli("doctor")
    assert result.exit_code == 0, "fonts are not required: a film in other scripts still renders"
    rows = font_rows(result.stdout)
    devanagari = rows["font devanagari"]
    assert devanagari.startswith("!! "), devanagari
    assert "no font for devanagari text is installed" in devanagari
    assert "`pip install fontpkg-noto-sans-devanagari==2.7`" in devanagari
    assert "`apt install fonts-noto-core`" in devanagari
    for name in ("font han (zh)", "font han (ja)", "font hangul (ko)"):
        assert rows[name].startswith("!! ") and "`pip install noto-cjk-sans-otc==0.0.1`" in rows[name], rows[name]
        assert "`apt install fonts-noto-cjk`" in rows[name]
    assert rows["font thai"].startswith("ok "), "other scripts are unaffected"
