"""The overlay track of one version: which overlays it shows, where each goes, and the layers it draws.

Every overlay is placed in the version's own frame: its box (an image or clip `width` of the
frame's width, or a text laid out by the text engine) goes at its `position` inside the safe
area, so a logo sits inside the safe zone on 9:16 as on 16:9. Overlays never cover captions:
one that would meet the composed caption band, or a cue shown while it is, moves up clear of
them (down, from captions set at the top), still inside the safe area; where there is no
room it is an error naming the overlay, the frame and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.card.model import Box
from filmkit.errors import FilmkitError, Problem, ProjectError
from filmkit.graph import Layer, PipClip
from filmkit.media.probe import MediaInfo
from filmkit.project import LoadedProject, Timeline
from filmkit.project.overlay import DEFAULT_POSITION, DEFAULT_WIDTH, Overlay, TextStyle
from filmkit.project.track import OverlayTiming
from filmkit.render.overlaytext import OverlayText, draw_text, lay_out_text
from filmkit.text.faces import FaceSet


@dataclass(frozen=True)
class OverlayFrame:
    """What placing needs to know of a version's frame: its size, safe area and captions."""

    width: int
    height: int
    safe: Box
    name: str  # the platform, or WxH, as messages name the frame
    captions: tuple[tuple[Box, Fraction, Fraction], ...] = ()  # boxes and when they show (seconds)

    @property
    def gap(self) -> int:
        """Air kept between an overlay and the captions it moved away from."""
        return max(2, round(min(self.width, self.height) / 80))


@dataclass(frozen=True)
class PlacedOverlay:
    """One overlay of a version where it is drawn: the box it covers, in output pixels."""

    timing: OverlayTiming
    item: Overlay
    box: Box
    text: OverlayText | None = None  # a text overlay's layout
    column: Box | None = None  # where its lines go (the box, or the text's part of a band)

    @property
    def index(self) -> int:
        return self.timing.index


def shown_in(item: Overlay, langs: Sequence[str], platform: str | None) -> bool:
    """Whether a version in `langs` for `platform` (None: the master) shows `item`."""
    if item.platforms is not None and platform not in item.platforms:
        return False
    return item.languages is None or not langs or any(lang in item.languages for lang in langs)


def text_languages(item: Overlay, langs: Sequence[str]) -> list[str]:
    """The languages a text overlay is written in for a version in `langs`; its first one where it has
    none of them (the master, whose card language it may lack: a version's own are checked before)."""
    assert item.text is not None
    chosen = [lang for lang in langs if (item.languages is None or lang in item.languages) and lang in item.text]
    return chosen or [next(iter(item.text))]


def check_overlay_texts(loaded: LoadedProject, langs: Sequence[str], platforms: Sequence[str | None] = (None,)) -> None:
    """Versions in `langs` for `platforms` (None: the master) need every text overlay they show in each
    of their languages (never English on the Russian version); ProjectError naming each text missing."""
    problems = []
    for index, item in enumerate(loaded.project.overlays):
        if item.text is None or not langs or not any(shown_in(item, langs, platform) for platform in platforms):
            continue
        for lang in (lang for lang in langs if item.languages is None or lang in item.languages):
            if lang not in item.text:
                problems.append(loaded.locations.problem(("overlays", index, "text"), (
                    f"the overlay has no text in {lang!r}, a language this film is exported in; it has "
                    f"{', '.join(item.text)}. Add `{lang}: ...` under `text:`, or limit the overlay with "
                    f"`languages: [{', '.join(item.text)}]`")))
    if problems:
        raise ProjectError(problems)


def place_overlays(loaded: LoadedProject, timeline: Timeline, media: dict[Path, MediaInfo], frame: OverlayFrame,
                   langs: Sequence[str], platform: str | None) -> list[PlacedOverlay]:
    """The overlays a version shows, each placed in its frame clear of the captions."""
    placed = []
    for timing in timeline.overlays:
        item = loaded.project.overlays[timing.index]
        if shown_in(item, langs, platform):
            placed.append(_place(loaded, timing, item, media, frame, langs, timeline.fps))
    return placed


def _place(loaded: LoadedProject, timing: OverlayTiming, item: Overlay, media: dict[Path, MediaInfo],
           frame: OverlayFrame, langs: Sequence[str], fps: Fraction) -> PlacedOverlay:
    left, top, right, bottom = frame.safe
    text = None
    if item.text is not None:
        text = _text(loaded, timing.index, item, frame, langs)
        size = (text.width, text.height)
    else:
        size = _fitted(_picture_aspect(timing, media), item, frame)
    position = item.position or DEFAULT_POSITION[item.kind]
    x = left + round(float(position.x) * (right - left - size[0]))
    y = top + round(float(position.y) * (bottom - top - size[1]))
    column = (x, y, x + size[0], y + size[1])
    box = text.layer_box(column, frame.width) if text is not None else column
    shown_from, shown_to = timing.start / fps, timing.end / fps
    moved = _clear(box, [c for c, start, end in frame.captions if start < shown_to and shown_from < end], frame)
    if moved is None:
        raise ProjectError([loaded.locations.problem(("overlays", timing.index, "position"), (
            f"the overlay ({size[0]}x{size[1]} px on {frame.name}) would cover the subtitles there, and there is "
            "no room above or below them inside the safe area. Move it (`position`), make it smaller "
            "(`width`), or show it at another time"))])
    shift = moved[1] - box[1]
    column = (column[0], column[1] + shift, column[2], column[3] + shift)
    return PlacedOverlay(timing, item, moved, text, column)


def _text(loaded: LoadedProject, index: int, item: Overlay, frame: OverlayFrame, langs: Sequence[str]) -> OverlayText:
    assert item.text is not None
    style = item.style or TextStyle()
    texts = [(lang, item.text[lang]) for lang in text_languages(item, langs)]
    safe_width = frame.safe[2] - frame.safe[0]
    wanted = float(item.width) * frame.width if item.width is not None else None
    text, overflow = lay_out_text(texts, style, (frame.width, frame.height), wanted, safe_width,
                                  {lang: overlay_faces(loaded, item, lang) for lang, _ in texts})
    if overflow:
        raise ProjectError([loaded.locations.problem(("overlays", index, "text", overflow[0]), (
            f"the text needs more than {style.max_lines} lines on {frame.name} even at the smallest size allowed; "
            "shorten it, allow more lines (`style: {max_lines: N}`) or a wider overlay (`width`)"))])
    return text


def overlay_faces(loaded: LoadedProject, item: Overlay, lang: str) -> FaceSet:
    """The faces of a text overlay in `lang`: the subtitles' (their font setting), unless the overlay names its own."""
    subtitles = loaded.project.subtitles
    font = item.style.font if item.style is not None and item.style.font else (
        subtitles.style.font if subtitles is not None else None)
    return FaceSet(lang, font, loaded.folder, setting="overlays.style.font")


def _picture_aspect(timing: OverlayTiming, media: dict[Path, MediaInfo]) -> Fraction:
    """Width over height of an image or clip as shown: a clip's rotation and pixel aspect applied, an
    image turned as its EXIF orientation says (as Pillow draws it, see `_draw_image`)."""
    assert timing.source is not None
    if timing.kind == "image":
        from PIL import Image

        with Image.open(timing.source) as image:
            width, height = image.size
            turned = image.getexif().get(0x0112) in (5, 6, 7, 8)  # orientations that swap the sides
        return Fraction(height, width) if turned else Fraction(width, height)
    video = media[timing.source].video
    assert video is not None, "check_media refuses an overlay without a picture"
    return video.display_aspect


def _fitted(aspect: Fraction, item: Overlay, frame: OverlayFrame) -> tuple[int, int]:
    """An image's or clip's box: `width` of the frame, kept inside the safe area; even sides for a clip."""
    share = float(item.width) if item.width is not None else DEFAULT_WIDTH[item.kind]
    width = share * frame.width
    room_w, room_h = frame.safe[2] - frame.safe[0], frame.safe[3] - frame.safe[1]
    width = min(width, room_w, room_h * aspect)
    height = width / aspect
    if item.kind == "video":
        return max(2, 2 * int(width / 2)), max(2, 2 * int(height / 2))
    return max(1, round(width)), max(1, round(height))


def _clear(box: Box, captions: list[Box], frame: OverlayFrame) -> Box | None:
    """`box` moved up from captions in the lower half of the frame (down from captions at the top)
    until none meets it; None when that leaves the safe area."""
    direction = 0
    for _ in range(len(captions) + 1):
        hits = [c for c in captions if c[0] < box[2] and box[0] < c[2] and c[1] < box[3] and box[1] < c[3]]
        if not hits:
            return box if frame.safe[1] <= box[1] and box[3] <= frame.safe[3] else None
        if not direction:  # away from the captions: up from captions in the lower half, down from the upper
            middle = sum(c[1] + c[3] for c in hits) / (2 * len(hits))
            direction = -1 if middle >= frame.height / 2 else 1
        shift = (min(c[1] for c in hits) - frame.gap - box[3] if direction < 0
                 else max(c[3] for c in hits) + frame.gap - box[1])
        box = (box[0], box[1] + shift, box[2], box[3] + shift)
    return None


def write_layers(placed: Sequence[PlacedOverlay], loaded: LoadedProject, frame: OverlayFrame,
                 workdir: Path) -> tuple[Layer, ...]:
    """Each placed overlay as a layer of the graph: stills drawn into `workdir`, clips by reference."""
    layers = []
    for overlay in placed:
        timing, item, box = overlay.timing, overlay.item, overlay.box
        png, clip = None, None
        target = workdir / f"overlay{timing.index}_{frame.width}x{frame.height}.png"
        if overlay.text is not None:
            assert overlay.column is not None
            png = draw_text(overlay.text, overlay.column, (frame.width, frame.height), target)
        elif timing.kind == "image":
            png = _draw_image(loaded, timing, box, target)
        else:
            assert timing.source is not None
            clip = PipClip(timing.source, timing.src_in, box[2] - box[0], box[3] - box[1])
        layers.append(Layer(box[0], box[1], timing.start, timing.frames, timing.fade_in, timing.fade_out,
                            float(item.opacity), timing.over_card, png, clip))
    return tuple(layers)


def _draw_image(loaded: LoadedProject, timing: OverlayTiming, box: Box, target: Path) -> Path:
    """The overlay's image scaled to its box (Lanczos), as a transparent PNG."""
    from PIL import Image, ImageOps

    from filmkit.card import open_image, save_png

    assert timing.source is not None
    image = ImageOps.exif_transpose(open_image(timing.source, "image", key=f"overlays[{timing.index}].image"))
    scaled = image.convert("RGBA").resize((box[2] - box[0], box[3] - box[1]), Image.Resampling.LANCZOS)
    return save_png(scaled, target)


def check_overlays(loaded: LoadedProject) -> None:
    """What `filmkit check` holds each overlay to beyond its times: images Pillow reads, platforms
    that exist, texts the fonts can draw. ProjectError listing every problem."""
    from filmkit.card import open_image
    from filmkit.platform.presets import load_preset
    from filmkit.text.runs import itemize, missing

    problems: list[Problem] = []
    for index, item in enumerate(loaded.project.overlays):
        path = ("overlays", index)
        try:
            if item.image is not None:
                open_image(loaded.resolve(item.image), "image", key=f"overlays[{index}].image")
        except FilmkitError as exc:
            problems.append(loaded.locations.problem((*path, "image"), exc.message.split(": ", 1)[-1]))
        for number, name in enumerate(item.platforms or []):
            try:
                load_preset(name, loaded.folder)
            except FilmkitError as exc:
                problems.append(loaded.locations.problem((*path, "platforms", number), exc.message))
        for lang, text in (item.text or {}).items():
            try:
                faces = overlay_faces(loaded, item, lang)
                faces.face(None)
                lacking = missing(itemize(text, faces))
            except FilmkitError as exc:
                problems.append(loaded.locations.problem((*path, "text", lang), exc.message))
                continue
            if lacking:
                shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in lacking[:6])
                problems.append(loaded.locations.problem((*path, "text", lang), (
                    f"{shown} cannot be drawn with the fonts filmkit uses for {lang!r}; replace the characters, "
                    "or set `style: {font: ...}` to a .ttf/.otf file that has them")))
    if problems:
        raise ProjectError(problems)
