"""Draw the campaign logo, assets/logo.png: a heart inside a medal ring, on transparency.

The film is about a skater who wins gold and cannot celebrate the one she loves, so the mark is a
gold medal ring holding a heart. Drawn with Pillow only, at 4x and scaled down for clean edges,
so the PNG can be rebuilt (and restyled) without a design tool:

    python assets/make_logo.py [OUTPUT.png] [--size 512]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from PIL import Image, ImageDraw

GOLD = (232, 196, 110, 255)
WHITE = (255, 255, 255, 255)
SUPERSAMPLE = 4


def heart(center_x: float, center_y: float, size: float, steps: int = 720) -> list[tuple[float, float]]:
    """The classic heart curve, scaled so its width is `size` and centred on its bounding box."""
    points = []
    for step in range(steps):
        t = 2 * math.pi * step / steps
        x = 16 * math.sin(t) ** 3
        y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
        points.append((x, y))
    # The curve spans x -16..16 and y -12..17: centre that box on the requested point.
    scale = size / 32
    middle = (-12 + 17) / 2
    return [(center_x + x * scale, center_y + (y - middle) * scale) for x, y in points]


def draw_logo(size: int = 512) -> Image.Image:
    """The logo at `size` x `size` pixels with a transparent background."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring = big * 0.055
    inset = big * 0.04
    draw.ellipse((inset, inset, big - inset, big - inset), outline=GOLD, width=round(ring))
    inner = inset + ring + big * 0.035  # a thin second ring: the medal's rim
    draw.ellipse((inner, inner, big - inner, big - inner), outline=WHITE, width=round(big * 0.012))
    draw.polygon(heart(big / 2, big * 0.515, big * 0.5), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=Path(__file__).with_name("logo.png"))
    parser.add_argument("--size", type=int, default=512)
    args = parser.parse_args()
    draw_logo(args.size).save(args.output)
    print(args.output)


if __name__ == "__main__":
    main()
