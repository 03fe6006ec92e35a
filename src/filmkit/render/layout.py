"""What `filmkit subs layout` shows: every cue's lines exactly as they will be burned at an output size.

The report comes from the same plan and the same placed cues a render burns (RenderPlan.placed),
so a translator sees the line breaks, faces, direction and boxes of the real output before
anything renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from filmkit.graph.picture import fit_inside, place_fitted
from filmkit.render.plan import RenderPlan, plan_render, plan_single_platform
from filmkit.subtitles.ass import PlacedCue
from filmkit.subtitles.model import Finding

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class LayoutReport:
    """One version's subtitles laid out: frame, safe area, where the picture lies, cues, findings."""

    width: int
    height: int
    frame: str  # the platform, or "WxH" for the project's own format
    safe_area: Box
    picture: Box
    cues: tuple[PlacedCue, ...]
    findings: tuple[Finding, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "width": self.width, "height": self.height, "frame": self.frame,
            "safe_area": list(self.safe_area), "picture": list(self.picture),
            "cues": [cue_dict(cue) for cue in self.cues],
            "findings": [finding.as_dict() for finding in self.findings],
        }


def cue_dict(cue: PlacedCue) -> dict[str, Any]:
    """One placed cue as `subs layout --json` prints it: text in logical (reading) order."""
    return {
        "index": cue.cue.number, "lang": cue.lang,
        "start": float(cue.cue.start), "end": float(cue.cue.end),
        "box": list(cue.box), "font_size": round(cue.font_size, 2), "fits": cue.fits,
        "lines": [{"text": line.text, "direction": line.direction,
                   "runs": [{"text": run.text, "font": run.font.family, "file": str(run.font.path)} for run in line.runs]}
                  for line in cue.lines],
    }


def layout_report(project_file: Path, lang: str, platform: str | None = None) -> LayoutReport:
    """The layout of `lang`'s subtitles on `platform` (default: the project's own format)."""
    if platform:
        plan = plan_single_platform(project_file, platform, lang, None, measure=False)
        frame = platform
    else:
        plan = plan_render(project_file, lang=lang)
        frame = f"{plan.picture.width}x{plan.picture.height}"
    placed = plan.placed()
    lint = [finding for track in plan.tracks for finding in track.findings]
    return LayoutReport(plan.picture.width, plan.picture.height, frame, _safe_box(plan), picture_box(plan),
                        tuple(placed), tuple([*lint, *plan.layout_findings(frame)]))


def _safe_box(plan: RenderPlan) -> Box:
    picture = plan.picture
    if plan.subtitle_safe_area is None:
        return (0, 0, picture.width, picture.height)
    return plan.subtitle_safe_area.box(picture.width, picture.height)


def picture_box(plan: RenderPlan) -> Box:
    """Where the film's own picture lies in the output frame (the rest is padding or a blurred fill)."""
    picture = plan.picture
    if picture.reframe == "crop":
        return (0, 0, picture.width, picture.height)
    left, top, right, bottom = picture.area
    width, height = fit_inside(Fraction(plan.timeline.width, plan.timeline.height), right - left, bottom - top)
    x, y = place_fitted(width, height, picture)
    return (x, y, x + width, y + height)


def version_layout_findings(plan: RenderPlan, platform: str) -> list[Finding]:
    """`layout` warnings of every version of a platform plan (what `check` lists per platform)."""
    return [finding for version in plan.versions for finding in plan.layout_findings(platform, version)]
