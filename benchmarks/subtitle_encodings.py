"""How often filmkit reads a legacy-encoded subtitle file right, with and without its language.

    .venv/bin/python benchmarks/subtitle_encodings.py [--corpus DIR] [--only NAME,...]

Every subtitle file of the corpus (../shared/corpus/subtitles, see its SOURCES.md) whose name
carries its language and whose text is not plain ASCII is read as filmkit reads it (UTF-8, with
double-encoded UTF-8 repaired), then written again in each legacy encoding that
`langs.legacy_encodings` lists for its language, where every character of the text exists in
that encoding, under a name that says nothing about the language. Each copy is loaded twice:
with the language, as a project always loads it (`load_subtitles(path, lang=...)`), and without
it, as `subs lint FILE` / `subs convert IN OUT` see a lone file. An outcome is

- right: the same cues as the UTF-8 file;
- refused: a SubtitleError asking for --lang or --encoding (exit 2, nothing written);
- wrong: other cues, i.e. garbage that would have been converted with exit 0.

Prints a Markdown table (per language and encoding, then totals); README.md quotes it.

`--held-out DIR` measures the same way on text filmkit's rules were not written against: a
folder of real legacy-encoded files in subfolders named `ENCODING-language` (as in the `tests/`
folder of github.com/chardet/chardet: web pages and feeds in Hebrew, Greek, Bulgarian, Thai,
Japanese, Korean ...). The text of each file, without its markup, becomes the cues of a
subtitle file in the file's own encoding.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from filmkit.errors import SubtitleError  # noqa: E402
from filmkit.subtitles.encoding import decode, encode_legacy  # noqa: E402
from filmkit.subtitles.langs import guess_lang, language_name, legacy_encodings  # noqa: E402
from filmkit.subtitles.load import load_subtitles  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "subtitles"
OUTCOMES = ("right", "refused", "wrong")


@dataclass(frozen=True)
class Trial:
    """One corpus file written in one legacy encoding, read with and without its language."""

    file: str
    lang: str
    encoding: str
    with_hint: str  # one of OUTCOMES
    without_hint: str
    detail: str  # what was read instead, for a wrong outcome


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


def sources(corpus: Path, only: Iterable[str] = ()) -> list[Path]:
    """Corpus subtitle files whose names carry a language that has legacy encodings."""
    wanted = set(only)
    files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".srt", ".vtt", ".ass", ".ssa"))
    return [p for p in files if (not wanted or p.name in wanted)]


def run(corpus: Path, only: Iterable[str] = ()) -> tuple[list[Trial], list[Skipped]]:
    trials: list[Trial] = []
    skipped: list[Skipped] = []
    with tempfile.TemporaryDirectory(prefix="filmkit-encodings-") as temp:
        folder = Path(temp)
        for path in sources(corpus, only):
            name = path.relative_to(corpus).as_posix()
            lang = guess_lang(path)
            if not lang or not legacy_encodings(lang):
                skipped.append(Skipped(name, f"no legacy encodings for {lang or 'an unknown language'}"))
                continue
            text = _text(path)
            if text is None:
                skipped.append(Skipped(name, "not UTF-8 in the corpus"))
                continue
            if text.isascii():
                skipped.append(Skipped(name, "plain ASCII: every encoding reads it alike"))
                continue
            if damage := _damaged(text):
                skipped.append(Skipped(name, damage))
                continue
            neutral = folder / f"subtitles{path.suffix.lower()}"  # no language in the name
            neutral.write_bytes(text.encode("utf-8"))
            expected = [cue.text for cue in load_subtitles(neutral).cues]
            for codec in legacy_encodings(lang):
                try:
                    data = encode_legacy(text, codec)
                except UnicodeEncodeError:
                    skipped.append(Skipped(f"{name} in {codec}", "not every character exists in it"))
                    continue
                neutral.write_bytes(data)
                hinted, detail_hinted = _outcome(neutral, lang, expected)
                bare, detail_bare = _outcome(neutral, None, expected)
                trials.append(Trial(name, lang, codec, hinted, bare, detail_bare or detail_hinted))
    return trials, skipped


# chardet's test folders: codec and language (None: the folder does not say).
HELD_OUT_CODECS = {"big5": "big5", "cp932": "cp932", "cp949": "cp949", "euc-jp": "euc_jp", "euc-kr": "euc_kr",
                   "gb2312": "gb18030", "ibm855": "cp855", "ibm866": "cp866", "johab": "johab", "koi8-r": "koi8_r",
                   "maccyrillic": "mac_cyrillic", "macroman": "mac_roman", "shift_jis": "cp932", "tis-620": "tis_620",
                   "iso-2022-jp": "iso2022_jp", "iso-2022-kr": "iso2022_kr", "windows-1252": "cp1252",
                   "iso-8859-1": "latin_1"}
HELD_OUT_LANGS = {"big5": "zh-tw", "cp932": "ja", "shift_jis": "ja", "euc-jp": "ja", "iso-2022-jp": "ja", "cp949": "ko",
                  "euc-kr": "ko", "johab": "ko", "iso-2022-kr": "ko", "gb2312": "zh", "ibm855": "ru", "ibm866": "ru",
                  "koi8-r": "ru", "maccyrillic": "ru", "tis-620": "th"}
LANGUAGE_CODES = {"hebrew": "he", "greek": "el", "turkish": "tr", "arabic": "ar", "russian": "ru", "bulgarian": "bg",
                  "hungarian": "hu", "czech": "cs", "slovak": "sk", "slovene": "sl", "croatian": "hr", "polish": "pl",
                  "romanian": "ro"}
CUES = 40  # about a short film's worth of subtitles


def held_out(folder: Path) -> tuple[list[Trial], list[Skipped]]:
    """Trials on real legacy files laid out as chardet's tests/ folder (see the module)."""
    trials: list[Trial] = []
    skipped: list[Skipped] = []
    with tempfile.TemporaryDirectory(prefix="filmkit-held-out-") as temp:
        neutral = Path(temp) / "subtitles.srt"
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            codec, lang = _held_out_label(sub.name)
            if codec is None or lang is None:
                skipped.append(Skipped(sub.name, "not a legacy encoding, or no language"))
                continue
            for path in sorted(p for p in sub.iterdir() if p.is_file()):
                name = f"{sub.name}/{path.name}"
                srt = _as_subtitles(path.read_bytes(), codec)
                if srt is None or _damaged(srt):
                    skipped.append(Skipped(name, _damaged(srt or "") or f"not {codec}, or too little non-ASCII text"))
                    continue
                neutral.write_bytes(srt.encode("utf-8"))
                expected = [cue.text for cue in load_subtitles(neutral).cues]
                neutral.write_bytes(srt.encode(codec))
                hinted, detail_hinted = _outcome(neutral, lang, expected)
                bare, detail_bare = _outcome(neutral, None, expected)
                trials.append(Trial(name, lang, codec, hinted, bare, detail_bare or detail_hinted))
    return trials, skipped


def _held_out_label(folder: str) -> tuple[str | None, str | None]:
    key = folder.lower()
    for language, code in LANGUAGE_CODES.items():
        if key.endswith(f"-{language}"):
            return _python_codec(key.removesuffix(f"-{language}")), code
    return HELD_OUT_CODECS.get(key), HELD_OUT_LANGS.get(key)


def _python_codec(label: str) -> str | None:
    import codecs

    try:
        return codecs.lookup(HELD_OUT_CODECS.get(label, label)).name
    except LookupError:
        return None


def _as_subtitles(data: bytes, codec: str) -> str | None:
    """The file's text lines (markup removed) as SubRip cues of two lines, or None."""
    import html
    import re

    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    text = html.unescape(re.sub(r"<[^<>]*>", " ", re.sub(r"<!\[CDATA\[|\]\]>", " ", text)))
    lines: list[str] = []
    for raw in text.splitlines():
        words = raw.split()
        while words and len(lines) < 2 * CUES:
            line = ""
            while words and len(line) + len(words[0]) < 42:
                line = f"{line} {words.pop(0)}".strip()
            lines.append(line or words.pop(0)[:42])
    lines = [line for line in lines if any(ch.isalpha() for ch in line)]
    if sum(1 for line in lines for ch in line if ord(ch) > 0x7F) < 20:
        return None
    cues = [f"{n}\n00:{n // 60:02d}:{n % 60:02d},000 --> 00:{n // 60:02d}:{n % 60:02d},900\n" + "\n".join(lines[i : i + 2])
            for n, i in enumerate(range(0, len(lines), 2), start=1)]
    srt = "\n\n".join(cues) + "\n"
    try:
        srt.encode(codec)
    except UnicodeEncodeError:
        return None
    return srt


def _damaged(text: str) -> str | None:
    """Why `text` cannot serve as the right answer: a control character no legacy tool writes
    (U+009D for an "ù" in sintel-it.vtt; C1 codes where TIS-620 has no quotes)."""
    control = next((ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"), None)
    if control is None:
        return None
    return f"has the control character U+{ord(control):04X}: its text is already damaged"


def _text(path: Path) -> str | None:
    """The file's text as filmkit reads a UTF-8 file (mojibake repaired), or None if it is not UTF-8."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return decode(data, path, lang=None, encoding=None).text


def _outcome(path: Path, lang: str | None, expected: list[str]) -> tuple[str, str]:
    try:
        loaded = load_subtitles(path, lang=lang)
    except SubtitleError as exc:
        return "refused", exc.message.split(": ", 2)[-1][:160]
    got = [cue.text for cue in loaded.cues]
    if got == expected:
        return "right", ""
    first = next((g for g, e in zip(got, expected) if g != e), "")
    return "wrong", f"read as {loaded.encoding}: {first[:40]!r}"


def table(trials: list[Trial]) -> str:
    """Markdown: per language and encoding, then all together."""
    rows = ["| language | encoding | files | with the language: right / refused / wrong "
            "| without it: right / refused / wrong |", "| --- | --- | ---: | --- | --- |"]
    groups: dict[tuple[str, str], list[Trial]] = {}
    for trial in trials:
        groups.setdefault((trial.lang.split("-")[0], trial.encoding), []).append(trial)
    for (lang, codec), group in sorted(groups.items()):
        rows.append(f"| {language_name(lang)} | {codec} | {len(group)} | {_counts(group, 'with_hint')} "
                    f"| {_counts(group, 'without_hint')} |")
    rows.append(f"| **all** | | **{len(trials)}** | **{_counts(trials, 'with_hint')}** "
                f"| **{_counts(trials, 'without_hint')}** |")
    return "\n".join(rows)


def _counts(trials: list[Trial], field: str) -> str:
    counts = Counter(getattr(trial, field) for trial in trials)
    return " / ".join(str(counts[outcome]) for outcome in OUTCOMES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of subtitle files (default: %(default)s)")
    parser.add_argument("--only", default="", help="comma-separated file names to measure")
    parser.add_argument("--held-out", type=Path, default=None, metavar="DIR",
                        help="measure real legacy files in DIR/ENCODING-language/ instead (chardet's tests/ layout)")
    args = parser.parse_args(argv)
    folder = args.held_out or args.corpus
    if not folder.is_dir():
        print(f"no folder at {folder}; pass --corpus DIR or --held-out DIR", file=sys.stderr)
        return 2
    if args.held_out:
        trials, skipped = held_out(args.held_out)
    else:
        trials, skipped = run(args.corpus, [name for name in args.only.split(",") if name])
    print(table(trials))
    for outcome in ("wrong", "refused"):
        listed = [t for t in trials if outcome in (t.with_hint, t.without_hint)]
        if listed:
            print(f"\n{outcome.capitalize()}:")
        for trial in listed:
            print(f"- {trial.file} in {trial.encoding} (with the language: {trial.with_hint}, without: "
                  f"{trial.without_hint}) {trial.detail}")
    print(f"\n{len(trials)} trials; skipped: " + "; ".join(f"{s.file} ({s.reason})" for s in skipped), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
