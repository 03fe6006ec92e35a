"""What `filmkit doctor` checks: the ffmpeg build, its filters and encoders, the libraries, and
the font filmkit would burn each script's subtitles with."""

from __future__ import annotations

import platform
from dataclasses import dataclass

from filmkit.errors import FilmkitError
from filmkit.text.fonts import CANDIDATES

# Filters a render uses; a missing one means a render fails halfway, so they are required.
REQUIRED_FILTERS = (
    "fps", "tpad", "trim", "scale", "setsar", "pad", "format", "settb", "color", "concat", "xfade",
    "aresample", "aformat", "apad", "atrim", "anullsrc", "acrossfade", "amix", "afade", "adelay", "volume",
)
LATER_FILTERS = ("ass", "loudnorm", "ebur128", "gblur", "overlay")  # subtitles, loudness, reframing
REQUIRED_ENCODERS = ("libx264", "aac")
# Every script filmkit picks a face for; Chinese and Japanese share Han but not their glyph shapes,
# so each regional face gets its own row.
FONT_SCRIPTS: tuple[tuple[str, str | None], ...] = (
    ("latin", None), ("greek", None), ("cyrillic", None), ("arabic", None), ("hebrew", None),
    ("devanagari", None), ("thai", None), ("han", "zh"), ("han", "zh-TW"), ("han", "ja"), ("hangul", "ko"),
    *((script, None) for script in sorted(CANDIDATES) if script not in
      ("latin", "greek", "cyrillic", "arabic", "hebrew", "devanagari", "thai")),
)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True


def diagnose() -> list[Check]:
    checks = [Check("python", True, platform.python_version())]
    checks.extend(_ffmpeg_checks())
    checks.extend(_library_checks())
    checks.extend(font_checks())
    return checks


def _ffmpeg_checks() -> list[Check]:
    from filmkit.media.ffmpeg import ENV_FFMPEG, ffmpeg_binary, ffmpeg_filters, ffmpeg_query, ffmpeg_version

    try:
        binary = ffmpeg_binary()
    except FilmkitError as exc:
        return [Check("ffmpeg", False, exc.message)]
    import os

    source = f"from {ENV_FFMPEG}" if os.environ.get(ENV_FFMPEG) else "bundled by imageio-ffmpeg"
    checks = [Check("ffmpeg", True, f"{ffmpeg_version()} ({source}: {binary})")]
    filters = ffmpeg_filters()
    missing = [name for name in REQUIRED_FILTERS if name not in filters]
    checks.append(Check("ffmpeg filters", not missing, f"missing: {', '.join(missing)}" if missing else f"all {len(REQUIRED_FILTERS)} render filters present"))
    later = [name for name in LATER_FILTERS if name not in filters]
    checks.append(Check("subtitle/loudness", not later, f"missing: {', '.join(later)}" if later else "ass (libass), loudnorm, ebur128 present", required=False))
    encoders = ffmpeg_query("-encoders")
    missing_enc = [name for name in REQUIRED_ENCODERS if f" {name} " not in encoders]
    checks.append(Check("encoders", not missing_enc, f"missing: {', '.join(missing_enc)}" if missing_enc else ", ".join(REQUIRED_ENCODERS)))
    ass_help = ffmpeg_query("-h", "filter=ass")
    checks.append(Check("libass shaping", "shaping" in ass_help,
                        "ass filter has complex shaping (HarfBuzz)" if "shaping" in ass_help
                        else "this ffmpeg's ass filter has no `shaping` option: Arabic and Devanagari may render wrongly",
                        required=False))
    return checks


def _library_checks() -> list[Check]:
    from importlib.metadata import PackageNotFoundError, version

    checks = []
    for package in ("av", "typed-ffmpeg-compatible", "pydantic", "ruamel.yaml", "pillow", "click", "rich"):
        try:
            checks.append(Check(package, True, version(package)))
        except PackageNotFoundError:
            checks.append(Check(package, False, "not installed"))
    from PIL import features

    raqm = bool(features.check("raqm"))
    checks.append(Check("pillow raqm", raqm,
                        "complex text layout available (Arabic, Hebrew, Devanagari)" if raqm
                        else "missing: install libraqm and libfribidi (Debian: libraqm0) for right-to-left and Indic cards",
                        required=False))
    return checks


def font_checks() -> list[Check]:
    """One row per script: which face a burn-in would use and where it comes from. A missing
    font only matters for films in that script, so it is not required."""
    from filmkit.text.fonts import choose_font

    checks = []
    for script, lang in FONT_SCRIPTS:
        name = f"font {script}" + (f" ({lang})" if lang else "")
        try:
            face = choose_font(script, lang)
        except FilmkitError as exc:
            checks.append(Check(name, False, exc.message, required=False))
            continue
        origin = {"package": "Python font package", "system": "system font"}.get(face.source, face.source)
        index = f", face {face.index}" if face.path.suffix.lower() in (".ttc", ".otc") else ""
        checks.append(Check(name, True, f"{face.family} ({origin}: {face.path}{index})", required=False))
    return checks
