"""The same film written with MoviePy 2, as its documentation teaches (run as a script).

Events are subclips joined by `concatenate_videoclips(..., padding=-xfade)` with CrossFadeIn
on the picture and fades on the sound; subtitles are TextClips in filmkit's font; the card is
an ImageClip crossfading in over the cut's last frame, held. Loudness: the mix is written to
a WAV, measured with ffmpeg's loudnorm, and turned into one gain (MultiplyVolume). The encoder
gets the preset's x264 options through `ffmpeg_params`.

    python moviepy_job.py JOB.json
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# The options MoviePy sets itself (codec, preset, audio codec/bitrate/rate) are passed as its
# own arguments; the rest of the preset's output options go to ffmpeg_params unchanged.
OWN_OPTIONS = {"-c:v", "-preset", "-c:a", "-b:a", "-ar", "-ac"}


def read_srt(path: Path) -> list[tuple[float, float, str]]:
    def seconds(text: str) -> float:
        h, m, s = text.replace(",", ".").split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    cues = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        start, end = (seconds(part.strip()) for part in lines[1].split("-->"))
        cues.append((start, end, "\n".join(lines[2:])))
    return cues


def loudness_gain(audio: Any, fps: int, target: float, ceiling: float, ffmpeg: str, folder: Path) -> float:
    """Linear gain that brings the mix to `target` LUFS without its true peak passing `ceiling`."""
    wav = folder / "mix.wav"
    audio.write_audiofile(str(wav), fps=fps, nbytes=2, codec="pcm_s16le", logger=None)
    stderr = subprocess.run([ffmpeg, "-hide_banner", "-nostdin", "-i", str(wav), "-af",
                             f"loudnorm=I={target}:TP={ceiling}:print_format=json", "-f", "null", "-"],
                            capture_output=True, text=True, check=True).stderr
    measured = json.loads(re.findall(r"\{[^{}]*\"input_i\"[^{}]*\}", stderr)[-1])
    gain_db = min(target - float(measured["input_i"]), ceiling - float(measured["input_tp"]))
    return 10 ** (gain_db / 20)


def render(job: dict[str, Any]) -> None:
    from moviepy import (CompositeVideoClip, ImageClip, TextClip, VideoFileClip, afx,
                         concatenate_videoclips, vfx)
    from moviepy.config import FFMPEG_BINARY

    fps, xfade, width, height = job["fps"], job["xfade"], job["width"], job["height"]
    events = []
    count = len(job["sources"])
    for index, (path, start, duration) in enumerate(job["sources"]):
        clip = VideoFileClip(path, audio_fps=job["audio_rate"]).subclipped(start, start + duration)
        video_fx, audio_fx = [], []
        if index:
            video_fx.append(vfx.CrossFadeIn(xfade))
            audio_fx.append(afx.AudioFadeIn(xfade))
        if index < count - 1:
            audio_fx.append(afx.AudioFadeOut(xfade))
        events.append(clip.with_effects(video_fx + audio_fx))
    cut = concatenate_videoclips(events, method="compose", padding=-xfade)
    layers = [cut]
    if job.get("srt"):
        font_size = round(job["font_em"] * height)
        for start, end, text in read_srt(Path(job["srt"])):
            line = TextClip(font=job["font"], text=text, font_size=font_size, color="white", stroke_color="black",
                            stroke_width=3, method="label", margin=(8, 8))
            y = height - round(0.06 * height) - line.h
            layers.append(line.with_start(start).with_duration(end - start).with_position(("center", y)))
    total = cut.duration
    if job.get("card_png"):
        held = ImageClip(cut.get_frame(cut.duration - 1 / fps)).with_start(cut.duration).with_duration(job["card_fade_in"])
        card = (ImageClip(job["card_png"]).with_start(cut.duration).with_duration(job["card_seconds"])
                .with_effects([vfx.CrossFadeIn(job["card_fade_in"]), vfx.FadeOut(job["card_fade_out"])]))
        layers += [held, card]
        total = cut.duration + job["card_seconds"]
    film = CompositeVideoClip(layers, size=(width, height)).with_duration(total)
    with tempfile.TemporaryDirectory(prefix="moviepy-bench-") as work:
        gain = loudness_gain(film.audio, job["audio_rate"], job["lufs"], job["true_peak"], FFMPEG_BINARY, Path(work))
        film = film.with_audio(film.audio.with_effects([afx.MultiplyVolume(gain)]))
        encoder = job["encoder"]
        params = []
        skip = False
        for token in encoder:
            if skip:
                skip = False
            elif token in OWN_OPTIONS:
                skip = True
            else:
                params.append(token)
        film.write_videofile(
            job["output"], fps=fps, codec="libx264", preset=job["x264_preset"], audio_codec="aac",
            audio_bitrate=encoder[encoder.index("-b:a") + 1], audio_fps=job["audio_rate"],
            ffmpeg_params=params, temp_audiofile_path=work, logger=None,
        )
    film.close()


if __name__ == "__main__":
    render(json.loads(Path(sys.argv[1]).read_text()))
