"""The cases `fuzz.py` runs: edit files and subtitle files, generated from seeds and mutated.

Edit files start from three seeds (a project using every section, the `filmkit init` template
and the sample film, each pointed at tiny media in the workspace) and are mutated in their
structure (values replaced by hostile ones or by hostile files, keys dropped, added, duplicated)
or in their text (bytes flipped, lines cut, doubled or swapped, hostile YAML spliced in: alias
bombs, deep nesting, tags, 5000-digit numbers). Subtitle files start from the sample's and the
corpus's files and are mutated the same way, with number inflation, re-encoding and, now and
then, a file of 100,000 cues.
"""

from __future__ import annotations

import copy
import io
import random
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

HOSTILE_VALUES: list[Any] = [
    float("inf"), float("-inf"), float("nan"), 1e308, -1e308, 10**29, -(10**29), 0, -1, 1, 0.0001, 3.3, True, False,
    None, "", " ", "\x00", "a" * 300, "../" * 30 + "etc/passwd", "/dev/zero", "~", "9" * 4000, "00:00:99:99",
    "99:59:59:29", "00:00:01;00", "30000/0", "1e400", ".inf", "#GGGGGG", "#abc", "blur", "en+ru", "../../escaped",
    "{lang}", "{platform}/{lang}.mp4", "\u202e\u202e", "💖" * 50, "-rf", "<i>", "{\\an8}", [], {}, [1, 2], {"a": 1},
    "NUL\x00byte.mp4", "x" * 260 + ".mp4", "rot13", "base64", "cp1251", "utf-16",
]
PLAUSIBLE_VALUES: list[Any] = [  # near misses and valid values: mutations that get past the schema reach deeper
    0, 0.5, 1, 2.5, 4, -3, 25, 48000, 44100, 1, 2, "00:00:01:00", "00:00:02.500", "00:00:00;02", "black", "#112233",
    "crossfade", "dip", "cut", "wipeleft", "en", "ru", "ar", "youtube-1080p", "tiktok", "instagram-reel", True,
    "1080x1920", "640x360", "30000/1001", "24", "blur", "crop", "pad", "card", "top", 0.06, 1.5, 3.9, 20,
]
HOSTILE_YAML = [
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
    "x: " + "[" * 1000 + "]" * 1000 + "\n", "x: " + "{a: " * 300 + "1" + "}" * 300 + "\n",
    "title: !!python/object/apply:os.system [echo pwned]\n", "cut: !!omap [{a: 1}]\n", "x: !!binary aGVsbG8=\n",
    "x: !!set {a, b}\n", "x: !!timestamp 2001-12-14\n", "x: !custom 1\n", "a: &r [*r]\n", "b: &m {x: 1}\nc: {<<: *m}\n",
    "x: " + "9" * 5000 + "\n", "x: 0x" + "f" * 5000 + "\n", "x: 1e99999\n", "x: -.inf\n", "x: .NaN\n",
    "filmkit: 1\n---\nfilmkit: 2\n", "\t- x\n", "x: 'unclosed\n", "? [a, b]\n: c\n", "x: |\n" + "  y\n" * 1000,
    "x: \"\\x00\\uD800\"\n", "\ufeffx: 1\n", "x: *undefined\n", "%YAML 1.1\n---\nx: 1\n", "x: 2001-12-14\n",
]
SUBTITLE_SNIPPETS = [
    "1\n", "00:00:01,000 --> 00:00:02,000\n", "\n", "-->\n", "9" * 5000 + "\n", "1" * 400 + ":00:00,000 --> 1:00:00,000\n",
    "00:00:01.5 --> 00:00:02\n", "{\\an8}", "<i>", "</i>", "&amp;", "WEBVTT\n", "NOTE x\n", "STYLE\n", "[Script Info]\n",
    "[Events]\n", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n",
    "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hi\\Nthere\n", "Dialogue: 0," + "9" * 5000 + ":00:01.00,x\n",
    "\ufeff", "\x00", "\r\n", "\r", "\u0085", "Ð›ÑŽ", "\u202e", "\u0645\u0631\u062d\u0628\u0627", "/", "99:99:99,999",
    "-00:00:01,000 --> 00:00:02,000\n", "00:00:02,000 --> 00:00:01,000\n", "\\N" * 50, "{" * 100, "<" * 100,
]


def dump(data: Any) -> str:
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


def key_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found.extend(key_paths(value, (*prefix, key)))
    return found


def mutate_structure(rng: random.Random, data: dict[str, Any], hostile_files: list[str]) -> str:
    """`data` with 1-4 values replaced, dropped, added or pointed at hostile files, as YAML."""
    data = copy.deepcopy(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3, 4])):  # mostly one change: the rest of the file then checks deeper
        paths = key_paths(data)
        if not paths:
            break
        where = rng.choice(paths)
        parent: Any = data
        for key in where[:-1]:
            parent = parent[key]
        action = rng.choice(["value", "value", "file", "drop", "add", "copy"])
        if action == "drop" and isinstance(parent, dict):
            parent.pop(where[-1], None)
        elif action == "add" and isinstance(parent, dict):
            parent[rng.choice(["extra", "in", "out", "duration", "file", "logo", "fps", "x" * 300])] = rng.choice(HOSTILE_VALUES)
        elif action == "copy" and isinstance(parent, list) and parent:
            parent.extend(copy.deepcopy(parent) * rng.randint(1, 30))
        elif action == "file":
            parent[where[-1]] = rng.choice(hostile_files)
        else:
            parent[where[-1]] = rng.choice(PLAUSIBLE_VALUES if rng.random() < 0.5 else HOSTILE_VALUES)
    text = dump(data)
    return text + rng.choice(HOSTILE_YAML) if rng.random() < 0.1 else text


def mutate_text(rng: random.Random, text: str, snippets: list[str]) -> str:
    """Byte- and line-level damage: flips, cuts, doubles, swaps, splices, truncation."""
    lines = text.split("\n")
    for _ in range(rng.choice([1, 1, 2, 3, 5])):
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        choice = rng.randrange(7)
        if choice == 0:
            del lines[i]
        elif choice == 1:
            lines[i:i] = [lines[i]] * rng.randint(1, 20)
        elif choice == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif choice == 3:
            lines.insert(i, rng.choice(snippets).rstrip("\n"))
        elif choice == 4 and lines[i]:
            k = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:k] + chr(rng.choice([0, 9, 10, 13, 0x85, 0xA0, 0x2028, 0xFEFF, rng.randrange(32, 0x30000)])) + lines[i][k + 1:]
        elif choice == 5:
            lines[i] = lines[i].replace(" ", "", 1) if rng.random() < 0.5 else "  " + lines[i]
        else:
            lines[i] = "".join(str(rng.randrange(10)) if c.isdigit() and rng.random() < 0.3 else c for c in lines[i])
    text = "\n".join(lines)
    return text[: rng.randrange(len(text) + 1)] if rng.random() < 0.05 else text


def edit_case(rng: random.Random, seeds: list[dict[str, Any]], seed_texts: list[str], hostile_files: list[str]) -> bytes:
    roll = rng.random()
    if roll < 0.55:
        text = mutate_structure(rng, rng.choice(seeds), hostile_files)
    elif roll < 0.9:
        text = mutate_text(rng, rng.choice(seed_texts), HOSTILE_YAML)
    else:
        text = "filmkit: 1\ntitle: x\n" + "".join(rng.choice(HOSTILE_YAML) for _ in range(rng.randint(1, 3)))
    return _encode(rng, text)


def subtitle_case(rng: random.Random, seeds: list[str]) -> tuple[bytes, str]:
    """A mutated subtitle file and the suffix to name it with."""
    seed = rng.choice(seeds)
    suffix = rng.choice([".srt", ".vtt", ".ass", ".srt", ".txt"])
    if rng.random() < 0.003:  # a long film's worth, and more
        cues = "\n".join(f"{i + 1}\n00:{i // 60 % 60:02d}:{i % 60:02d},000 --> 00:{i // 60 % 60:02d}:{i % 60:02d},500\nx{i}\n"
                         for i in range(100_000))
        return _encode(rng, mutate_text(rng, cues, SUBTITLE_SNIPPETS)), ".srt"
    text = mutate_text(rng, seed, SUBTITLE_SNIPPETS)
    if rng.random() < 0.1:
        text = text.replace("00", "0" * rng.choice([1, 3, 400, 5000]), rng.randint(1, 3))
    return _encode(rng, text), suffix


def _encode(rng: random.Random, text: str) -> bytes:
    encoding = rng.choices(["utf-8", "utf-16", "cp1251", "latin-1", "utf-8-sig"], [80, 5, 5, 5, 5])[0]
    data = text.encode(encoding, "replace")
    if rng.random() < 0.05:
        data = bytes(b ^ (1 << rng.randrange(8)) if rng.random() < 0.01 else b for b in data)
    return data


def read_seed(path: Path) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
