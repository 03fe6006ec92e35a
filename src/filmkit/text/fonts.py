"""A font for every script, chosen explicitly and checked for coverage before anything renders.

libass silently falls back when a family is missing, and Pillow draws boxes for glyphs a font
lacks, so filmkit never leaves the choice to the system: each script maps to a named face,
preferably one shipped as a Python package (OFL Noto fonts), else one found in the OS font
folders. fontTools tells which characters a face lacks (coverage, not shaping).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from filmkit.errors import FilmkitError
from filmkit.paths import not_a_file, resolved

# Scripts filmkit distinguishes: fontTools' Unicode Script property (UAX #24, Scripts.txt) named
# the way filmkit's candidates and doctor name them. Common and Inherited map to None.
_ISO: dict[str, str] = {
    "Latn": "latin", "Grek": "greek", "Cyrl": "cyrillic", "Hebr": "hebrew", "Arab": "arabic",
    "Deva": "devanagari", "Thai": "thai", "Hang": "hangul", "Hira": "kana", "Kana": "kana", "Hani": "han",
    "Bopo": "han", "Khmr": "khmer", "Taml": "tamil", "Telu": "telugu", "Laoo": "lao", "Mymr": "myanmar",
    "Beng": "bengali", "Gujr": "gujarati", "Guru": "gurmukhi", "Knda": "kannada", "Mlym": "malayalam",
    "Sinh": "sinhala", "Geor": "georgian", "Armn": "armenian", "Ethi": "ethiopic", "Syrc": "syriac",
    "Thaa": "thaana", "Nkoo": "nko",
}
NEUTRAL_ISO = frozenset({"Zyyy", "Zinh", "Zzzz"})
RTL_SCRIPTS = frozenset({"arabic", "hebrew", "syriac", "thaana", "nko"})
CJK_SCRIPTS = frozenset({"han", "kana", "hangul"})


@dataclass(frozen=True)
class FontChoice:
    """One face: its family name (what an ASS style names) and where its file is."""

    family: str
    path: Path
    index: int = 0  # face number inside a .ttc collection
    source: str = "package"  # "package", "system" or "project"


@dataclass(frozen=True)
class Candidate:
    family: str
    package: str | None = None  # an importable module that carries the file
    file: str = ""  # path inside the package, or a file name searched in system font folders
    index: int = 0


_NOTO = Candidate("Noto Sans", "fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf")
_DEJAVU = Candidate("DejaVu Sans", None, "DejaVuSans.ttf")
_CJK = "noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc"
# Face order inside NotoSansCJK-Regular.ttc: JP, KR, SC, TC, HK (read with fontTools).
_CJK_FACE = {"ja": ("Noto Sans CJK JP", 0), "ko": ("Noto Sans CJK KR", 1), "zh": ("Noto Sans CJK SC", 2),
             "zh-hans": ("Noto Sans CJK SC", 2), "zh-cn": ("Noto Sans CJK SC", 2), "zh-sg": ("Noto Sans CJK SC", 2),
             "zh-hant": ("Noto Sans CJK TC", 3), "zh-tw": ("Noto Sans CJK TC", 3), "zh-hk": ("Noto Sans CJK HK", 4)}

_SYSTEM_ONLY = {"lao": "Lao", "myanmar": "Myanmar", "bengali": "Bengali", "gujarati": "Gujarati",
                "gurmukhi": "Gurmukhi", "kannada": "Kannada", "malayalam": "Malayalam", "sinhala": "Sinhala",
                "georgian": "Georgian", "armenian": "Armenian", "ethiopic": "Ethiopic"}

CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "latin": (_NOTO, _DEJAVU),
    "greek": (_NOTO, _DEJAVU),
    "cyrillic": (_NOTO, _DEJAVU),
    "arabic": (Candidate("Noto Sans Arabic", "fontpkg_noto_sans_arabic", "files/NotoSansArabic[wdth,wght].ttf"),
               Candidate("Noto Sans Arabic", None, "NotoSansArabic-Regular.ttf"), _DEJAVU),
    "hebrew": (Candidate("Heebo", "fontpkg_heebo", "files/Heebo[wght].ttf"),
               Candidate("Noto Sans Hebrew", None, "NotoSansHebrew-Regular.ttf"),
               Candidate("Noto Sans Hebrew", None, "NotoSansHebrew[wdth,wght].ttf"), _DEJAVU),
    "devanagari": (Candidate("Noto Sans Devanagari", "fontpkg_noto_sans_devanagari", "files/NotoSansDevanagari[wdth,wght].ttf"),
                   Candidate("Noto Sans Devanagari", None, "NotoSansDevanagari-Regular.ttf")),
    "thai": (Candidate("Noto Sans Thai", "fontpkg_noto_sans_thai", "files/NotoSansThai[wdth,wght].ttf"),
             Candidate("Noto Sans Thai", None, "NotoSansThai-Regular.ttf")),
    **{script: (Candidate(f"Noto Sans {name}", f"fontpkg_noto_sans_{script}", f"files/NotoSans{name}[wdth,wght].ttf"),
                Candidate(f"Noto Sans {name}", None, f"NotoSans{name}-Regular.ttf"))
       for script, name in (("khmer", "Khmer"), ("tamil", "Tamil"), ("telugu", "Telugu"))},
    # No pinned package on PyPI: the files Debian's fonts-noto-core installs (DejaVu Sans, which
    # is common on Linux, also has Armenian and Georgian).
    **{script: (Candidate(f"Noto Sans {name}", None, f"NotoSans{name}-Regular.ttf"),
                *((_DEJAVU,) if script in ("armenian", "georgian") else ()))
       for script, name in _SYSTEM_ONLY.items()},
}

# What to install for each script: the pinned PyPI package filmkit depends on (first choice),
# else the Debian/Ubuntu package that puts a candidate's file into the system font folders.
_INSTALL = {
    "latin": ("fontpkg-noto-sans==2.15", "fonts-dejavu-core"),
    "greek": ("fontpkg-noto-sans==2.15", "fonts-dejavu-core"),
    "cyrillic": ("fontpkg-noto-sans==2.15", "fonts-dejavu-core"),
    "arabic": ("fontpkg-noto-sans-arabic==2.12", "fonts-noto-core"),
    "hebrew": ("fontpkg-heebo==3.100", "fonts-noto-core"),
    "devanagari": ("fontpkg-noto-sans-devanagari==2.7", "fonts-noto-core"),
    "thai": ("fontpkg-noto-sans-thai==2.2", "fonts-noto-core"),
    "han": ("noto-cjk-sans-otc==0.0.1", "fonts-noto-cjk"),
    "hangul": ("noto-cjk-sans-otc==0.0.1", "fonts-noto-cjk"),
    "khmer": ("fontpkg-noto-sans-khmer==2.4", "fonts-noto-core"),
    "tamil": ("fontpkg-noto-sans-tamil==2.4", "fonts-noto-core"),
    "telugu": ("fontpkg-noto-sans-telugu==2.5", "fonts-noto-core"),
}
INSTALL_HINT = {
    "default": "reinstall filmkit (it depends on the Noto font packages), or set subtitles.style.font to a "
               ".ttf/.otf file that covers the script",
    **{script: f"install it into filmkit's environment with `pip install {pypi}` (or system-wide on Debian/Ubuntu: "
               f"`apt install {debian}`), or set subtitles.style.font to a .ttf/.otf file that covers {script}"
       for script, (pypi, debian) in _INSTALL.items()},
    **{script: f"no Python package carries a font for {script}, so install the system one: on Debian/Ubuntu "
               f"`apt install fonts-noto-core` (elsewhere Noto Sans {name} from notofonts.github.io into a font "
               f"folder), or set subtitles.style.font to a .ttf/.otf file that covers {script}"
       for script, name in _SYSTEM_ONLY.items()},
}


@functools.lru_cache(maxsize=1 << 16)  # called for every character of every cue: 100k-cue files lint in seconds
def script_of(char: str) -> str | None:
    """filmkit's name for the script of `char`; None for Common and Inherited characters
    (spaces, digits, punctuation, combining marks), which take the script of their neighbours."""
    from fontTools import unicodedata

    code = unicodedata.script(char)
    if code in NEUTRAL_ISO:
        return None
    return _ISO.get(code) or str(unicodedata.script_name(code, default=code)).lower()


def dominant_script(text: str, lang: str | None = None) -> str:
    """The script most letters of `text` are in; "latin" for text with no letters."""
    counts = Counter(s for s in map(script_of, text) if s)
    if not counts:
        return _script_of_lang(lang) or "latin"
    script, _ = counts.most_common(1)[0]
    if script in CJK_SCRIPTS:
        return "han" if lang is None or _base(lang) != "ko" or script != "hangul" else "hangul"
    return script


def _script_of_lang(lang: str | None) -> str | None:
    return LANG_SCRIPTS.get(_base(lang or ""))


# The script each language is written in (its own script is preferred for spaces and punctuation).
LANG_SCRIPTS = {
    "ar": "arabic", "fa": "arabic", "ur": "arabic", "ps": "arabic", "sd": "arabic", "ug": "arabic", "ckb": "arabic",
    "he": "hebrew", "iw": "hebrew", "yi": "hebrew", "dv": "thaana", "hi": "devanagari", "mr": "devanagari",
    "ne": "devanagari", "th": "thai", "zh": "han", "ja": "han", "ko": "hangul", "ru": "cyrillic", "uk": "cyrillic",
    "bg": "cyrillic", "sr": "cyrillic", "mk": "cyrillic", "be": "cyrillic", "kk": "cyrillic", "el": "greek",
    "km": "khmer", "ta": "tamil", "te": "telugu", "lo": "lao", "my": "myanmar", "bn": "bengali", "as": "bengali",
    "gu": "gujarati", "pa": "gurmukhi", "kn": "kannada", "ml": "malayalam", "si": "sinhala", "ka": "georgian",
    "hy": "armenian", "am": "ethiopic", "ti": "ethiopic",
}


def _base(lang: str) -> str:
    return lang.lower().replace("_", "-").split("-")[0]


def choose_font(script: str, lang: str | None = None, override: str | None = None, project_dir: Path | None = None) -> FontChoice:
    """The face filmkit uses for `script` in language `lang`; FilmkitError saying what to install."""
    if override:
        return _override(override, project_dir)
    if script in CJK_SCRIPTS:
        return _cjk_face(lang)
    for candidate in CANDIDATES.get(script, CANDIDATES["latin"]):
        found = _locate(candidate)
        if found is not None:
            return found
    raise FilmkitError(f"no font for {script} text is installed; {INSTALL_HINT.get(script, INSTALL_HINT['default'])}")


def _cjk_face(lang: str | None) -> FontChoice:
    key = (lang or "zh").lower().replace("_", "-")
    family, index = _CJK_FACE.get(key) or _CJK_FACE.get(_base(key), _CJK_FACE["zh"])
    found = _locate(Candidate(family, _CJK[0], _CJK[1], index))
    if found is None:
        found = _locate(Candidate(family, None, "NotoSansCJK-Regular.ttc", index))
    if found is None:
        script = "hangul" if family.endswith(" KR") else "han"
        raise FilmkitError(f"no font for {script} text ({family}) is installed; {INSTALL_HINT[script]}")
    return found


def _override(value: str, project_dir: Path | None) -> FontChoice:
    path = Path(value).expanduser()
    if not path.is_absolute() and project_dir is not None:
        path = project_dir / path
    if path.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc"):
        if not path.exists() and not path.is_symlink():
            raise FilmkitError(f"subtitles.style.font: {path} does not exist; give a .ttf/.otf file or a family name")
        return FontChoice(_font_file_family(path), resolved(path), 0, "project")
    for candidates in CANDIDATES.values():
        for candidate in candidates:
            if candidate.family.lower() == value.lower() and (found := _locate(candidate)):
                return found
    system = _system_font_by_family(value)
    if system is None:
        raise FilmkitError(
            f"subtitles.style.font: no font named {value!r} was found; give the path of a .ttf/.otf file, "
            f"or one of {', '.join(sorted({c.family for cs in CANDIDATES.values() for c in cs}))}"
        )
    return system


def _locate(candidate: Candidate) -> FontChoice | None:
    if candidate.package:
        path = _package_file(candidate.package, candidate.file)
        return FontChoice(candidate.family, path, candidate.index, "package") if path else None
    path = _system_font_files().get(candidate.file.lower())
    return FontChoice(candidate.family, path, candidate.index, "system") if path else None


@functools.lru_cache(maxsize=None)
def _package_file(package: str, relative: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    return path if path.is_file() else None


def system_font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts", home / ".local/share/fonts"]
    if sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    if os.name == "nt":
        dirs += [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"]
    return [d for d in dirs if d.is_dir()]


@functools.lru_cache(maxsize=1)
def _system_font_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in system_font_dirs():
        for path in folder.rglob("*"):
            if path.suffix.lower() in (".ttf", ".otf", ".ttc"):
                found.setdefault(path.name.lower(), path)
    return found


def _system_font_by_family(family: str) -> FontChoice | None:
    for path in _system_font_files().values():
        try:
            if family_name(path, 0).lower() == family.lower():
                return FontChoice(family_name(path, 0), path, 0, "system")
        except Exception:  # noqa: BLE001 - an unreadable system font is simply not a match
            continue
    return None


def _font_file_family(path: Path) -> str:
    """The family of a user's font file, read by fontTools and FreeType as the render will; a file
    that is no font (or a FIFO, a folder ...) is refused here, before anything renders."""
    from PIL import ImageFont

    problem = not_a_file(path)
    if problem is None:
        try:
            family = family_name(path, 0)
            coverage(path, 0)
            win_extent(path, 0)
            ImageFont.truetype(str(path), size=12, index=0)
            return family
        except Exception as exc:  # noqa: BLE001 - fontTools raises many kinds on a damaged file
            problem = f"is not a font filmkit can read ({type(exc).__name__}: {str(exc)[:120]})"
    raise FilmkitError(f"subtitles.style.font: {path} {problem}. Give a .ttf/.otf/.ttc font file or a family name")


@functools.lru_cache(maxsize=None)
def family_name(path: Path, index: int) -> str:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return str(font["name"].getDebugName(1))


@functools.lru_cache(maxsize=None)
def coverage(path: Path, index: int = 0) -> frozenset[int]:
    """Code points the face maps to a glyph."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@functools.lru_cache(maxsize=None)
def win_extent(path: Path, index: int = 0) -> tuple[float, float]:
    """(ascent, descent) in em where libass puts a line's top and bottom: the face's win metrics
    (VSFilter compatible; hhea when they are zero)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        upm = font["head"].unitsPerEm
        os2 = font["OS/2"] if "OS/2" in font else None
        if os2 is not None and os2.usWinAscent + os2.usWinDescent > 0:
            return os2.usWinAscent / upm, os2.usWinDescent / upm
        hhea = font["hhea"]
        return hhea.ascent / upm, -hhea.descent / upm


def line_height_units(path: Path, index: int = 0) -> float:
    """(win ascent + win descent) / units per em: what libass sizes a font by (VSFilter compatible)."""
    return sum(win_extent(path, index))


IGNORED = frozenset(" \t\n\r\u00a0\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def missing_glyphs(text: str, faces: list[FontChoice]) -> list[str]:
    """Characters of `text` that none of `faces` can draw, in order of first appearance."""
    covered = [coverage(face.path, face.index) for face in faces]
    missing: list[str] = []
    for char in text:
        if char in IGNORED or char in missing:
            continue
        if not any(ord(char) in cmap for cmap in covered):
            missing.append(char)
    return missing


def link_font_file(source: Path, link: Path) -> None:
    """`link` names the font file `source` (for libass's fonts folder): a symbolic link where the
    file system allows it, else a copy."""
    import shutil

    if link.exists():
        return
    try:
        os.symlink(source, link)
    except OSError:
        shutil.copyfile(source, link)
