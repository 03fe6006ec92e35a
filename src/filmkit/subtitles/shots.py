"""Cues against the cuts of the film: filmkit knows every shot change from the edit, which a
subtitle editor only learns by analysing the video.

The rules are Netflix's "Subtitle Timing Guidelines" (partnerhelp.netflixstudios.com/hc/en-us/
articles/360051554394): written for 24 fps, where half a second is 12 frames, and scaled for
other rates (15 frames at 30 fps, 30 at 60); the minimum gap stays 2 frames. The thresholds are
those of Subtitle Edit's coding of the guideline (github.com/SubtitleEdit/subtitleedit,
src/libse/NetflixQualityCheck/NetflixCheckShotChange.cs), with H = fps / 2 rounded half up
(12 at 24 fps, 13 at 25) and T = 3/4 of H rounded half up (9 at 24 fps):

- an in-time less than H frames after a cut goes on the cut;
- an in-time 1 to T-1 frames before a cut goes on the cut, T to H-1 frames before it goes H
  frames before the cut (so the cue is seen for half a second before the picture changes);
- an out-time within H frames of a cut, before or after it, goes 2 frames before the cut; so
  does an out-time on the cut.

A cue that starts less than H frames before a cut, or ends less than H frames after one, is
on screen for less than half a second on one side of the cut ("bridges it by less than the
minimum"); the rules above catch both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from filmkit.subtitles.model import Cue

if TYPE_CHECKING:
    from filmkit.project.timeline import Clip, Timeline

SOURCE = "Netflix Subtitle Timing Guidelines, as Subtitle Edit codes them"
GAP_FRAMES = 2  # the out-time before a cut: the 2-frame minimum gap [NG]


def shot_changes(timeline: Timeline) -> tuple[int, ...]:
    """Record frames at which one shot gives way to another in the cut (the card is not one).

    A straight cut changes shot at the first frame of the incoming event. A transition of D
    frames changes it at its midpoint, D // 2 frames after the overlap starts: where a dissolve's
    incoming picture takes over and a dip is at black; its start would put the cut where the
    old picture still dominates. Two events that continue one another (the next frames of the
    same media, the same still, a slate of the same colour, joined by a straight cut) are one
    shot on screen, so they make no change.
    """
    changes = set()
    for before, clip in zip(timeline.clips, timeline.clips[1:]):
        if clip.join is None:
            if not _continues(before, clip):
                changes.add(clip.record_start)
        else:
            changes.add(clip.record_start + clip.join.frames // 2)
    return tuple(sorted(changes))


def _continues(before: Clip, clip: Clip) -> bool:
    if before.kind != clip.kind:
        return False
    if clip.kind == "media":
        return before.source == clip.source and clip.src_in == before.src_in + before.frames
    if clip.kind == "color":
        return _rgb(before.color) == _rgb(clip.color)
    return before.source == clip.source


def _rgb(color: str | None) -> object:
    """"black" and "#000000" are one slate."""
    from PIL import ImageColor

    try:
        return ImageColor.getrgb(color or "")
    except ValueError:
        return (color or "").lower()


def half_second(fps: Fraction) -> int:
    """Netflix's "12 frames" at 24 fps at any rate: fps / 2, rounded half up."""
    return math.floor(Fraction(fps) / 2 + Fraction(1, 2))


class ShotChecker:
    """The shot-change rules for one file: cuts as record frames at `fps`."""

    def __init__(self, cuts: Sequence[int], fps: Fraction, time: Callable[[Fraction], str]) -> None:
        self.cuts = sorted(set(cuts))
        self.fps = Fraction(fps)
        self.time = time  # seconds -> the time as the file writes it
        self.half = half_second(self.fps)
        self.snap = math.floor(self.half * Fraction(3, 4) + Fraction(1, 2))  # 9 at 24 fps

    def problems(self, cue: Cue) -> list[str]:
        """What is wrong with the cue's in-time and out-time against the nearest cuts."""
        first = math.ceil(cue.start * self.fps)  # the first frame showing the cue (as the burn snaps it)
        after = math.ceil(cue.end * self.fps)  # the first frame without it
        return [message for message in (self._start(first, after), self._end(first, after)) if message]

    def _at(self, frame: int) -> str:
        return f"{self.time(Fraction(frame) / self.fps)} (frame {frame})"

    def _cut(self, frame: int) -> str:
        return f"the cut at {self._at(frame)}"

    def _start(self, first: int, after: int) -> str | None:
        since = [first - cut for cut in self.cuts if 0 < first - cut < self.half]
        until = [cut - first for cut in self.cuts if 0 < cut - first < self.half and cut < after]
        if since:
            frames = min(since)
            cut = first - frames
            return (f"starts {frames} frame(s) after {self._cut(cut)}; an in-time less than {self.half} frames "
                    f"(half a second) after a shot change goes on it. Start the cue at {self._at(cut)}")
        if until:
            frames = min(until)
            cut = first + frames
            if frames < self.snap:
                return (f"starts {frames} frame(s) before {self._cut(cut)}, so it is on screen for {frames} frame(s) "
                        f"of the outgoing shot; an in-time 1-{self.snap - 1} frames before a shot change goes on it. "
                        f"Start the cue at {self._at(cut)}")
            return (f"starts {frames} frames before {self._cut(cut)}, so it bridges the cut by less than half a second "
                    f"({self.half} frames); an in-time {self.snap}-{self.half - 1} frames before a shot change goes "
                    f"{self.half} frames before it. Start the cue at {self._at(cut - self.half)}")
        return None

    def _end(self, first: int, after: int) -> str | None:
        """Only cuts after the first frame count: a cue that starts after a cut does not bridge it."""
        near = [cut for cut in self.cuts
                if cut > first and abs(after - cut) < self.half and after != cut - GAP_FRAMES]
        if not near:
            return None
        cut = min(near, key=lambda c: (abs(after - c), c))
        target = self._at(cut - GAP_FRAMES)
        if after == cut:
            where = f"ends on {self._cut(cut)}"
        elif after > cut:
            where = (f"ends {after - cut} frame(s) after {self._cut(cut)}, so it bridges the cut by less than half a "
                     f"second ({self.half} frames)")
        else:
            where = f"ends {cut - after} frame(s) before {self._cut(cut)}"
        return (f"{where}; an out-time within {self.half} frames of a shot change goes {GAP_FRAMES} frames before it, "
                f"so the next cue can start on the cut. End the cue at {target}")
