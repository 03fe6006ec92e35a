"""The closing card, drawn (not rendered): sizes, safe areas, shaping, fitting, backgrounds, errors.

Every card here is a Pillow image checked by its pixels: text and logo inside the safe area,
Arabic right to left and joined, long translations inside the frame. Set FILMKIT_CARD_PREVIEW to
a folder to also get the sample cards there as PNG files, to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import filmkit.card as card_module
from filmkit.card import (
    Aspect,
    CardContent,
    SafeArea,
    aspect_class,
    card_text_box,
    default_safe_area,
    draw_card,
    layout_card,
    save_png,
    thai_clusters,
)
from filmkit.errors import FilmkitError, MediaError, OutputError, RenderError
from filmkit.text.fonts import choose_font

SAMPLES = {
    "en": CardContent("en", "Love Always Wins", "#LoveAlwaysWins", "example.org/love"),
    "ar": CardContent("ar", "الحب ينتصر دائماً", "#LoveAlwaysWins", "example.org/love"),
    "hi": CardContent("hi", "प्यार की हमेशा जीत होती है", "#LoveAlwaysWins", "example.org/love"),
    "zh": CardContent("zh", "爱总会赢", "#LoveAlwaysWins", "example.org/love"),
    "ru": CardContent("ru", "Любовь всегда побеждает", "#LoveAlwaysWins"),
}
VERSIONS = {"en": ["en"], "ar": ["ar"], "hi": ["hi"], "zh": ["zh"], "en+ru": ["en", "ru"]}
SIZES = [(1920, 1080), (1080, 1080), (1080, 1350), (1080, 1920)]
# Meta's Reels safe zone on a 1080x1920 frame: docs/platforms.md, Instagram and Facebook.
REELS = SafeArea(top=0.14, bottom=0.35, left=0.06, right=0.06)
LONG = ("Love always wins, even when the medal is gold and the one she loves is far away in the stands and "
        "she cannot run to them, cannot celebrate, cannot say it out loud; still, in the end, love always wins.")
ACCENT = "#E8C46E"


@pytest.fixture(scope="module")
def logo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simple test logo: a gold circle with initials, on transparency."""
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 290, 290), fill=(232, 196, 110, 255))
    face = choose_font("latin", "en")
    draw.text((150, 150), "LA", font=ImageFont.truetype(str(face.path), 120), fill=(20, 20, 20, 255), anchor="mm")
    image.save(path)
    return path


def contents_of(version: str) -> list[CardContent]:
    return [SAMPLES[lang] for lang in VERSIONS[version]]


def ink_box(image: Image.Image, background: tuple[int, int, int] = (0, 0, 0), threshold: int = 24) -> tuple[int, int, int, int] | None:
    """Bounding box (right/bottom exclusive) of the pixels that differ from the background."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    differs = np.abs(pixels - np.array(background)).max(axis=2) > threshold
    if not differs.any():
        return None
    rows, cols = np.where(differs.any(axis=1))[0], np.where(differs.any(axis=0))[0]
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def inside(box: tuple[int, int, int, int], area: tuple[int, int, int, int], slack: int = 0) -> bool:
    return (box[0] >= area[0] - slack and box[1] >= area[1] - slack and box[2] <= area[2] + slack
            and box[3] <= area[3] + slack)


def tagline_columns(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """Leftmost and rightmost inked column within the rows of `box`, up to a little past its right
    edge (beyond is the lockup's hairline and logo)."""
    region = np.asarray(image.convert("L"))[box[1]:box[3], :box[2] + 12] > 60
    cols = np.where(region.any(axis=0))[0]
    return int(cols[0]), int(cols[-1]) + 1


# --- every language in every frame ---------------------------------------------------------


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("version", list(VERSIONS))
def test_card_fills_its_frame_inside_the_title_safe_area(version: str, width: int, height: int, logo: Path) -> None:
    image = draw_card(contents_of(version), width, height, background="#000000", logo=logo, accent=ACCENT)
    assert image.size == (width, height)
    assert image.mode == "RGBA"
    drawn = ink_box(image)
    assert drawn is not None
    assert inside(drawn, default_safe_area(width, height).box(width, height)), drawn
    planned = card_text_box(contents_of(version), width, height, logo=logo, accent=ACCENT)
    assert inside(drawn, planned, slack=2), (drawn, planned)
    # Composed for the frame, not shrunk into a corner: the block spans a fair share of it.
    assert drawn[2] - drawn[0] > 0.25 * width


@pytest.mark.parametrize("version", list(VERSIONS))
def test_reels_safe_zone_is_kept(version: str, logo: Path) -> None:
    image = draw_card(contents_of(version), 1080, 1920, background="#000000", logo=logo, safe_area=REELS)
    drawn = ink_box(image)
    assert drawn is not None
    assert REELS.box(1080, 1920) == (65, 269, 1015, 1248)
    assert inside(drawn, (65, 269, 1015, 1248)), drawn


@pytest.mark.parametrize("width,height", [(320, 180), (180, 320), (64, 36)])
def test_small_test_sizes(width: int, height: int, logo: Path) -> None:
    image = draw_card(contents_of("en+ru"), width, height, background="#000000", logo=logo)
    assert image.size == (width, height)
    drawn = ink_box(image)
    assert drawn is not None and inside(drawn, default_safe_area(width, height).box(width, height))


def test_default_margins_come_from_title_safe_figures() -> None:
    assert default_safe_area(1920, 1080).box(1920, 1080) == (96, 54, 1824, 1026)  # SMPTE ST 2046-1: 90%
    assert default_safe_area(1080, 1920).box(1080, 1920) == (54, 240, 1026, 1680)  # BBC 9:16: 90% x 75%


# --- composition ---------------------------------------------------------------------------


def test_each_frame_shape_gets_its_own_composition(logo: Path) -> None:
    assert [aspect_class(w, h) for w, h in SIZES] == [Aspect.LANDSCAPE, Aspect.SQUARE, Aspect.PORTRAIT,
                                                      Aspect.VERTICAL]
    wide = layout_card([SAMPLES["en"]], 1920, 1080, logo_size=(300, 300))
    tagline = next(line for line in wide.lines if line.role == "tagline")
    assert wide.logo is not None and wide.logo.box[2] < tagline.box[0]  # lockup: logo, then the text
    assert len(wide.rules) == 1 and wide.rules[0].box[3] - wide.rules[0].box[1] > 100  # a vertical hairline
    rtl = layout_card([SAMPLES["ar"]], 1920, 1080, logo_size=(300, 300))
    arabic = next(line for line in rtl.lines if line.role == "tagline")
    assert rtl.logo is not None and rtl.logo.box[0] > arabic.box[2]  # mirrored: read from the logo outwards
    tall = layout_card([SAMPLES["en"]], 1080, 1920, logo_size=(300, 300))
    first = min(line.box[1] for line in tall.lines)
    assert tall.logo is not None and tall.logo.box[3] < first  # stacked: logo above the tagline
    centre = (tall.logo.box[0] + tall.logo.box[2]) / 2
    assert abs(centre - 540) <= 1
    # Vertical frames set the tagline larger (relative to the width) and stack it.
    assert len([line for line in tall.lines if line.role == "tagline"]) == 2
    assert next(line for line in tall.lines if line.role == "tagline").size > tagline.size


def test_hierarchy_sizes_colours_and_weight(logo: Path) -> None:
    layout = layout_card(contents_of("en+ru"), 1080, 1080, logo_size=(300, 300), accent=ACCENT)
    size = {line.role: line.size for line in layout.lines}
    assert size["tagline"] > size["tagline2"] > size["url"]
    assert size["tagline"] > size["hashtag"] > size["url"]
    colour = {line.role: line.color for line in layout.lines}
    assert colour["hashtag"][:3] == (0xE8, 0xC4, 0x6E) and colour["tagline"][:3] == (255, 255, 255)
    top = {line.role: line.box[1] for line in layout.lines}
    assert top["tagline"] < top["tagline2"] < top["hashtag"] < top["url"]
    # The tagline is set bold on the variable font's weight axis: more ink than the regular.
    tagline = next(line for line in layout.lines if line.role == "tagline")
    assert tagline.weight == 700
    bold = draw_card([CardContent("en", "Love Always Wins")], 1080, 1080, background=None)
    regular = Image.new("L", bold.size)
    font = ImageFont.truetype(str(tagline.font.path), tagline.size, layout_engine=ImageFont.Layout.RAQM)
    ImageDraw.Draw(regular).text((540, 540), "Love Always Wins", font=font, fill=255, anchor="ms")
    assert np.asarray(bold)[..., 3].sum() > 1.2 * np.asarray(regular).sum()


def test_optical_centre_sits_a_little_above_the_middle() -> None:
    layout = layout_card([CardContent("en", "Love Always Wins")], 1080, 1080)
    top, bottom = layout.box[1], layout.box[3]
    assert (top + bottom) / 2 < 540 - 10
    assert (top + bottom) / 2 > 540 - 80


def test_lines_are_balanced_with_the_longer_line_last() -> None:
    layout = layout_card([CardContent("en", "Love Always Wins")], 1080, 1920)
    assert [line.text for line in layout.lines] == ["Love", "Always Wins"]


def test_chinese_and_japanese_use_their_regional_faces() -> None:
    zh = layout_card([SAMPLES["zh"]], 1080, 1080).lines[0]
    ja = layout_card([CardContent("ja", "愛はいつも勝つ")], 1080, 1080).lines[0]
    assert (zh.font.family, zh.font.index) == ("Noto Sans CJK SC", 2)
    assert (ja.font.family, ja.font.index) == ("Noto Sans CJK JP", 0)


# --- shaping -------------------------------------------------------------------------------


def test_arabic_is_joined_and_right_to_left(logo: Path) -> None:
    text = "الحب ينتصر دائماً!"
    contents = [CardContent("ar", text)]
    layout = layout_card(contents, 1920, 1080, logo_size=(300, 300))
    line = next(line for line in layout.lines if line.role == "tagline")
    assert line.engine == "raqm" and line.align == "r"  # right-aligned beside the logo
    image = draw_card(contents, 1920, 1080, background="#000000", logo=logo)
    left, right = tagline_columns(image, line.box)
    # Joined: the shaped line is much narrower than the same letters in isolated forms.
    basic = ImageFont.truetype(str(line.font.path), line.size, layout_engine=ImageFont.Layout.BASIC)
    raqm = ImageFont.truetype(str(line.font.path), line.size, layout_engine=ImageFont.Layout.RAQM)
    assert basic.getlength(text) > 1.1 * raqm.getlength(text, language="ar")
    assert abs((right - left) - (line.box[2] - line.box[0])) <= 12
    # Right to left: the line ends at its right-hand anchor, and the "!" typed last sits at the
    # far left, so the line reaches further left from that anchor than without it.
    without = draw_card([CardContent("ar", text[:-1])], 1920, 1080, background="#000000", logo=logo)
    without_line = next(line for line in layout_card([CardContent("ar", text[:-1])], 1920, 1080,
                                                     logo_size=(300, 300)).lines)
    left_without, right_without = tagline_columns(without, without_line.box)
    assert abs(right - line.x) <= 8 and abs(right_without - without_line.x) <= 8
    assert line.x - left > without_line.x - left_without + 10
    # Pillow's basic layout would have put it on the right, with the letters unjoined.
    plain = Image.new("L", (2000, 300))
    ImageDraw.Draw(plain).text((1900, 200), text, font=basic, fill=255, anchor="rs")
    assert ink_box(plain.convert("RGB"))[2] - ink_box(plain.convert("RGB"))[0] > 1.1 * (right - left)


def test_devanagari_forms_conjuncts() -> None:
    line = layout_card([SAMPLES["hi"]], 1920, 1080).lines[0]
    basic = ImageFont.truetype(str(line.font.path), line.size, layout_engine=ImageFont.Layout.BASIC)
    raqm = ImageFont.truetype(str(line.font.path), line.size, layout_engine=ImageFont.Layout.RAQM)
    # प्य is one conjunct shaped, three glyphs (with a visible virama) unshaped.
    assert basic.getlength("प्यार") > raqm.getlength("प्यार", language="hi")
    assert line.engine == "raqm"


# --- fitting -------------------------------------------------------------------------------


@pytest.mark.parametrize("width,height,safe", [(1920, 1080, None), (1080, 1080, None), (1080, 1350, None),
                                               (1080, 1920, None), (1080, 1920, REELS), (320, 180, None)],
                         ids=["16x9", "1x1", "4x5", "9x16", "reels", "320x180"])
def test_a_very_long_tagline_still_fits(width: int, height: int, safe: SafeArea | None, logo: Path) -> None:
    assert len(LONG) == 200
    contents = [CardContent("en", LONG, "#LoveAlwaysWins", "example.org/love/and/a/long/path/to/the/campaign")]
    image = draw_card(contents, width, height, background="#000000", logo=logo, safe_area=safe)
    area = (safe or default_safe_area(width, height)).box(width, height)
    drawn = ink_box(image)
    assert drawn is not None and inside(drawn, area), (drawn, area)
    layout = layout_card(contents, width, height, logo_size=(300, 300), safe_area=safe)
    taglines = [line for line in layout.lines if line.role == "tagline"]
    assert len(taglines) >= 3
    assert " ".join(line.text for line in taglines) == LONG  # wrapped, nothing lost
    boxes = [line.box for line in taglines]
    assert all(upper[3] <= lower[1] for upper, lower in zip(boxes, boxes[1:]))  # lines never overlap


def test_a_short_tagline_wraps_before_it_gets_small() -> None:
    """At the minimum size a tagline wraps into more lines instead of shrinking further."""
    text = "Love always wins, in every language, on every screen, in every frame"
    layout = layout_card([CardContent("en", text)], 1080, 1080)
    taglines = [line for line in layout.lines if line.role == "tagline"]
    nominal = card_module.SPECS[Aspect.SQUARE].tagline * 1080
    assert taglines[0].size >= card_module.MIN_TAGLINE * nominal - 1
    assert len(taglines) >= 2


def test_chinese_breaks_between_characters_with_kinsoku() -> None:
    text = "无论她在哪里，无论结果如何，爱总会赢，爱总会赢，爱总会赢，爱总会赢，爱总会赢。"
    layout = layout_card([CardContent("zh", text)], 1080, 1920)
    lines = [line.text for line in layout.lines]
    assert len(lines) >= 2 and "".join(lines) == text
    assert not any(line[0] in "，。、" for line in lines)
    area = default_safe_area(1080, 1920).box(1080, 1920)
    assert all(inside(line.box, area) for line in layout.lines)


def test_thai_breaks_without_spaces_between_clusters() -> None:
    text = "ความรักชนะเสมอไม่ว่าจะเกิดอะไรขึ้นก็ตามความรักชนะเสมอไม่ว่าจะเกิดอะไรขึ้น"
    layout = layout_card([CardContent("th", text)], 1080, 1920)
    lines = [line.text for line in layout.lines]
    assert len(lines) >= 2 and "".join(lines) == text
    # No line starts with a vowel or mark that belongs to the consonant before it.
    assert not any(line[0] in card_module._THAI_FOLLOWING for line in lines)
    assert thai_clusters("เสมอไม่") == ["เส", "ม", "อ", "ไม่"]


# --- backgrounds ---------------------------------------------------------------------------


def test_transparent_background_is_clear_away_from_the_text(logo: Path) -> None:
    box = card_text_box(contents_of("en"), 1920, 1080, logo=logo)
    for shadow, reach in ((False, 2), (None, 30)):  # by default a soft shadow reaches a little further
        image = draw_card(contents_of("en"), 1920, 1080, background=None, logo=logo, shadow=shadow)
        alpha = np.asarray(image)[..., 3]
        assert alpha.max() == 255
        outside = alpha.copy()
        outside[box[1] - reach:box[3] + reach, box[0] - reach:box[2] + reach] = 0
        assert outside.max() == 0
        assert alpha[0, 0] == alpha[-1, -1] == 0


def test_soft_shadow_over_pictures_only(logo: Path) -> None:
    plain = np.asarray(draw_card(contents_of("en"), 1080, 1080, background="#808080"))
    assert set(map(tuple, plain[:, 5])) == {(128, 128, 128, 255)}
    shaded = np.asarray(draw_card(contents_of("en"), 1080, 1080, background="#808080", shadow=True)).astype(int)
    unshaded = np.asarray(draw_card(contents_of("en"), 1080, 1080, background="#808080", shadow=False)).astype(int)
    assert (shaded[..., :3] <= unshaded[..., :3]).all() and (shaded[..., :3] < unshaded[..., :3]).any()
    halo = np.asarray(draw_card(contents_of("en"), 1080, 1080, background=None))
    bare = np.asarray(draw_card(contents_of("en"), 1080, 1080, background=None, shadow=False))
    only_shadow = halo[(bare[..., 3] == 0) & (halo[..., 3] > 0)]
    assert len(only_shadow) > 1000
    assert only_shadow[..., :3].max() == 0 and only_shadow[..., 3].max() <= round(255 * card_module.SHADOW)


def test_image_background_covers_the_frame_centre_cropped_and_darkened(tmp_path: Path) -> None:
    # A wide picture: blue | green | red thirds. A tall card shows only its green middle.
    picture = Image.new("RGB", (900, 300), (0, 0, 255))
    picture.paste((0, 255, 0), (300, 0, 600, 300))
    picture.paste((255, 0, 0), (600, 0, 900, 300))
    path = tmp_path / "rink.jpg"
    picture.save(path, quality=95)
    image = draw_card([CardContent("en", "Love")], 1080, 1920, background=path)
    pixels = np.asarray(image).astype(int)
    assert image.size == (1080, 1920) and (pixels[..., 3] == 255).all()
    for x, y in [(2, 2), (1077, 2), (2, 1917), (1077, 1917)]:
        red, green, blue, _ = pixels[y, x]
        assert green > 100 and red < 40 and blue < 40  # the centre third, edge to edge
        assert green < 200  # darkened for legible text
    wide = np.asarray(draw_card([CardContent("en", "Love")], 1920, 1080, background=path)).astype(int)
    assert wide[540, 2][2] > 100 and wide[540, 1917][0] > 100  # a wide card shows all three


def test_colour_backgrounds_by_hex_and_name() -> None:
    assert draw_card([CardContent("en", "Love")], 320, 180, background="#102030").getpixel((1, 1)) == (16, 32, 48, 255)
    assert draw_card([CardContent("en", "Love")], 320, 180, background="white", color="black").getpixel((1, 1)) == (
        255, 255, 255, 255)


def test_logo_keeps_its_aspect_and_alpha(tmp_path: Path) -> None:
    wide = Image.new("RGBA", (400, 100), (0, 0, 0, 0))
    ImageDraw.Draw(wide).rectangle((0, 25, 399, 74), fill=(255, 0, 0, 255))  # transparent top and bottom
    path = tmp_path / "wordmark.png"
    wide.save(path)
    layout = layout_card([SAMPLES["en"]], 1080, 1080, logo_size=wide.size)
    assert layout.logo is not None
    left, top, right, bottom = layout.logo.box
    assert abs((right - left) / (bottom - top) - 4) < 0.1
    image = np.asarray(draw_card([SAMPLES["en"]], 1080, 1080, background="#0000FF", logo=path)).astype(int)
    middle_y = (top + bottom) // 2
    assert image[middle_y, (left + right) // 2][0] > 200  # the red bar
    assert tuple(image[top + 2, (left + right) // 2][:3]) == (0, 0, 255)  # its transparent edge shows the blue


# --- errors --------------------------------------------------------------------------------


def test_missing_logo_names_the_file_and_the_fix(tmp_path: Path) -> None:
    missing = tmp_path / "assets" / "logo.png"
    with pytest.raises(MediaError) as caught:
        draw_card(contents_of("en"), 1920, 1080, background="#000000", logo=missing)
    assert str(caught.value) == (f"card.logo: {missing} does not exist. Check the path (relative to the project "
                                 "file), or remove `logo:` from the card")


def test_paths_are_relative_to_the_project(tmp_path: Path, logo: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(logo.read_bytes())
    Image.new("RGB", (64, 64), (200, 0, 0)).save(tmp_path / "assets" / "bg.png")
    image = draw_card(contents_of("en"), 320, 180, background="assets/bg.png", logo=Path("assets/logo.png"),
                      project_dir=tmp_path)
    assert image.getpixel((1, 1))[0] > 90  # the red picture, darkened
    assert card_text_box(contents_of("en"), 320, 180, logo=Path("assets/logo.png"), project_dir=tmp_path)


def test_unreadable_logo_and_background(tmp_path: Path) -> None:
    broken = tmp_path / "logo.png"
    broken.write_text("not a picture")
    with pytest.raises(MediaError, match=r"card\.logo: .*logo\.png is not a readable image .*Export it again as PNG"):
        draw_card(contents_of("en"), 1920, 1080, background="#000000", logo=broken)
    with pytest.raises(MediaError, match=r"card\.background: .*nothing\.jpg does not exist"):
        draw_card(contents_of("en"), 1920, 1080, background=tmp_path / "nothing.jpg")


def test_a_character_no_font_has_is_named_with_its_language() -> None:
    with pytest.raises(FilmkitError) as caught:
        draw_card([CardContent("en", "Love Always Wins \U0001F496")], 1920, 1080, background="#000000")
    message = str(caught.value)
    assert "U+1F496" in message and "card.text.en.tagline" in message and "'en'" in message
    assert "card.font" in message


def test_wrong_colours_and_counts() -> None:
    with pytest.raises(FilmkitError, match=r"card\.accent: 'goldish' is not a colour"):
        draw_card(contents_of("en"), 320, 180, background="#000000", accent="goldish")
    with pytest.raises(FilmkitError, match="one language, or two"):
        draw_card([SAMPLES["en"], SAMPLES["ru"], SAMPLES["ar"]], 320, 180, background="#000000")
    with pytest.raises(FilmkitError, match="background=None"):
        draw_card(contents_of("en"), 320, 180, background="blur")


# --- without raqm: libass through ffmpeg -------------------------------------------------------


@pytest.mark.parametrize("lang,text", [("ar", "الحب ينتصر دائماً!"), ("hi", "प्यार की हमेशा जीत होती है"),
                                       ("he", "האהבה תמיד מנצחת!"), ("th", "ความรักชนะเสมอ")])
def test_without_raqm_complex_text_is_drawn_by_libass(lang: str, text: str, monkeypatch: pytest.MonkeyPatch,
                                                      logo: Path) -> None:
    contents = [CardContent(lang, text, "#LoveAlwaysWins")]
    shaped = draw_card(contents, 1080, 1920, background="#000000", logo=logo)
    shaped_line = layout_card(contents, 1080, 1920, logo_size=(300, 300)).lines[0]
    monkeypatch.setattr(card_module, "raqm_available", lambda: False)
    layout = layout_card(contents, 1080, 1920, logo_size=(300, 300))
    assert {line.role: line.engine for line in layout.lines} == {"tagline": "libass", "hashtag": "basic"}
    image = draw_card(contents, 1080, 1920, background="#000000", logo=logo)
    drawn = ink_box(image)
    assert drawn is not None and inside(drawn, default_safe_area(1080, 1920).box(1080, 1920))
    if len([line for line in layout.lines if line.role == "tagline"]) == 1:
        # One line both ways: libass's shaping matches raqm's within a few percent of width...
        first = layout.lines[0]
        left, right = tagline_columns(image, first.box)
        raqm_left, raqm_right = tagline_columns(shaped, shaped_line.box)
        assert abs((right - left) - (raqm_right - raqm_left)) < 0.12 * (raqm_right - raqm_left)
        # ...and sits on the same baseline.
        rows = np.where((np.asarray(image.convert("L"))[:, left:right] > 60).any(axis=1))[0]
        raqm_rows = np.where((np.asarray(shaped.convert("L"))[:, raqm_left:raqm_right] > 60).any(axis=1))[0]
        assert abs(int(rows[0]) - int(raqm_rows[0])) < 0.08 * shaped_line.size


def test_without_raqm_arabic_punctuation_stays_on_the_left(monkeypatch: pytest.MonkeyPatch, logo: Path) -> None:
    monkeypatch.setattr(card_module, "raqm_available", lambda: False)
    text = "الحب ينتصر!"
    full = draw_card([CardContent("ar", text)], 1920, 1080, background="#000000", logo=logo)
    bare = draw_card([CardContent("ar", text[:-1])], 1920, 1080, background="#000000", logo=logo)
    line = layout_card([CardContent("ar", text)], 1920, 1080, logo_size=(300, 300)).lines[0]
    bare_line = layout_card([CardContent("ar", text[:-1])], 1920, 1080, logo_size=(300, 300)).lines[0]
    left, right = tagline_columns(full, line.box)
    bare_left, bare_right = tagline_columns(bare, bare_line.box)
    assert abs(right - line.x) <= 8 and abs(bare_right - bare_line.x) <= 8
    assert line.x - left > bare_line.x - bare_left + 10


def test_without_raqm_and_without_ffmpeg_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import filmkit.media.ffmpeg

    def broken(args: list[str], *, what: str) -> str:
        raise RenderError(f"{what}: ffmpeg failed (exit code 1): No such filter: 'ass'")

    monkeypatch.setattr(card_module, "raqm_available", lambda: False)
    monkeypatch.setattr(filmkit.media.ffmpeg, "run_tool", broken)
    with pytest.raises(FilmkitError) as caught:
        draw_card([SAMPLES["ar"]], 1920, 1080, background="#000000")
    message = str(caught.value)
    assert "libfribidi" in message and "apt install libfribidi0" in message and "No such filter" in message
    # Scripts that need no shaping are still drawn by Pillow alone.
    assert draw_card([SAMPLES["en"]], 320, 180, background="#000000").size == (320, 180)


# --- writing -------------------------------------------------------------------------------


def test_save_png_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "cards" / "en.png"
    image = draw_card(contents_of("en"), 320, 180, background="#000000")
    assert save_png(image, target) == target
    assert Image.open(target).size == (320, 180)
    before = target.read_bytes()

    class Failing:
        def save(self, *args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left on device"):
        save_png(Failing(), target)  # type: ignore[arg-type]
    assert target.read_bytes() == before  # the good card survives
    assert sorted(p.name for p in target.parent.iterdir()) == ["en.png"]  # no temporary file left


def test_preview_cards(tmp_path: Path, logo: Path) -> None:
    """The sample cards as PNG files (in FILMKIT_CARD_PREVIEW if set): the ones to look at."""
    folder = Path(os.environ.get("FILMKIT_CARD_PREVIEW") or tmp_path)
    for lang in ("en", "ar", "hi", "zh"):
        for width, height in ((1920, 1080), (1080, 1920)):
            image = draw_card([SAMPLES[lang]], width, height, background="#0E1116", logo=logo, accent=ACCENT)
            path = save_png(image, folder / f"{lang}_{width}x{height}.png")
            assert Image.open(path).size == (width, height)
