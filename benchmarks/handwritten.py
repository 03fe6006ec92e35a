"""The hand-written baseline: what an ffmpeg expert would type for the same output.

Two ffmpeg commands per film, as a shell script would run them: loudnorm's measuring pass
over the sound only, then one command that seeks into each source (`-ss`/`-t`), chains
`xfade` and `acrossfade`, burns the SRT with `subtitles`, crossfades into the card PNG over
the held last frame, normalizes with the measured values (loudnorm, linear) and encodes with
the preset's x264/AAC settings. Run as a script: `python handwritten.py JOB.json...` renders
each job in turn (the batch benchmark gives it twelve); `--intermediate JOB.json` renders the
cut once as a near-lossless intermediate and makes every job from it (the alternative to
filmkit's one process per platform that the `sharing` section measures).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from common import AUDIO_RATE, FPS, ffmpeg_exe

SUB_EM = {"landscape": 0.055, "vertical": 0.042}  # of the frame height, as filmkit's subtitle style
ASS_PLAY_RES_Y = 288  # libass's frame height for an SRT: sizes are given at this scale


@dataclass
class Job:
    """One output file, described as plain data (written to JSON for the script)."""

    sources: list[tuple[str, float, float]]  # file, in point (s), duration (s)
    xfade: float
    width: int
    height: int
    reframe: str  # "crop" (a plain scale for a 16:9 frame) or "blur" (9:16 over a blurred copy)
    encoder: list[str]  # x264/AAC/muxer options, the preset's
    x264_preset: str
    output: str
    srt: str | None = None
    font_family: str = "Noto Sans"
    font_line_height: float = 1.0  # (win ascent + descent) / em of the font: libass sizes lines, not ems
    fonts_dir: str | None = None
    card_png: str | None = None
    card_seconds: float = 4.0
    card_fade_in: float = 1.0
    card_fade_out: float = 0.75
    loudness: dict[str, float] = field(default_factory=lambda: {"I": -14.0, "TP": -1.0, "LRA": 7.0})

    @property
    def cut_seconds(self) -> float:
        return sum(duration for _, _, duration in self.sources) - self.xfade * (len(self.sources) - 1)


def _inputs(job: Job, media: str) -> list[str]:
    """`-ss IN -t DUR -i FILE` per event; `media` "-vn" reads only the sound."""
    args: list[str] = []
    for path, start, duration in job.sources:
        args += ["-ss", f"{start:.3f}", "-t", f"{duration:.3f}", *([media] if media else []), "-i", path]
    return args


def _audio_chain(job: Job) -> list[str]:
    """acrossfade each event into the previous one, then silence under the card; ends at [mix]."""
    parts, last = [], "0:a"
    for index in range(1, len(job.sources)):
        label = f"a{index}"
        parts.append(f"[{last}][{index}:a]acrossfade=d={job.xfade:.3f}[{label}]")
        last = label
    pad = f",apad=pad_dur={job.card_seconds:.3f}" if job.card_png else ""
    parts.append(f"[{last}]aformat=sample_rates={AUDIO_RATE}:channel_layouts=stereo{pad}[mix]")
    return parts


def measure_args(job: Job) -> list[str]:
    graph = _audio_chain(job) + [f"[mix]loudnorm=I={job.loudness['I']}:TP={job.loudness['TP']}:"
                                 f"LRA={job.loudness['LRA']}:print_format=json[out]"]
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *_inputs(job, "-vn"),
            "-filter_complex", ";".join(graph), "-map", "[out]", "-f", "null", "-"]


def parse_loudnorm(stderr: str) -> dict[str, str]:
    found = re.findall(r"\{[^{}]*\"input_i\"[^{}]*\}", stderr)
    if not found:
        raise RuntimeError("loudnorm printed no measurement:\n" + stderr[-2000:])
    return json.loads(found[-1])


def _fit(job: Job, label: str, out: str) -> str:
    """Scale or reframe the 16:9 picture `label` into the output frame."""
    w, h = job.width, job.height
    if job.reframe != "blur":
        return f"[{label}]scale={w}:{h},setsar=1[{out}]"
    small_w, small_h = 2 * round(w / 16), 2 * round(h / 16)
    front_h = 2 * round(w * 9 / 16 / 2)
    return (f"[{label}]split[bgin][fgin];"
            f"[bgin]scale=-2:{small_h}:flags=fast_bilinear,crop={small_w}:{small_h},boxblur=20:10,"
            f"eq=brightness=-0.12,scale={w}:{h}[bg];"
            f"[fgin]scale={w}:{front_h}[fg];[bg][fg]overlay=0:(H-h)/2,setsar=1[{out}]")


def _style(job: Job) -> str:
    em = SUB_EM["vertical" if job.height > job.width else "landscape"]
    size = em * job.font_line_height * ASS_PLAY_RES_Y
    outline = 2.5 * ASS_PLAY_RES_Y / 1080
    return (f"FontName={job.font_family},FontSize={size:.1f},PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,"
            f"BorderStyle=1,Outline={outline:.2f},Shadow=0,MarginV={round(0.06 * ASS_PLAY_RES_Y)}")


def _cut_chain(job: Job, scale: str) -> tuple[list[str], str]:
    """Each source's picture (with `scale` appended) crossfaded into the previous one; the last label."""
    graph = [f"[{index}:v]setpts=PTS-STARTPTS,settb=1/{FPS}{scale},format=yuv420p[v{index}]"
             for index in range(len(job.sources))]
    last, length = "v0", job.sources[0][2]
    for index in range(1, len(job.sources)):
        length -= job.xfade
        graph.append(f"[{last}][v{index}]xfade=transition=fade:duration={job.xfade:.3f}:offset={length:.3f}[x{index}]")
        last, length = f"x{index}", length + job.sources[index][2]
    return graph, last


def render_args(job: Job, measured: dict[str, str]) -> list[str]:
    n = len(job.sources)
    inputs = _inputs(job, "")
    per_input = job.reframe != "blur" and (job.width, job.height) != (1920, 1080)
    graph, last = _cut_chain(job, f",scale={job.width}:{job.height}" if per_input else "")
    if per_input or (job.width, job.height) == (1920, 1080):
        graph.append(f"[{last}]null[fit]")
    else:
        graph.append(_fit(job, last, "fit"))
    video = "fit"
    if job.srt:
        fonts = f":fontsdir={job.fonts_dir}" if job.fonts_dir else ""
        graph.append(f"[{video}]subtitles=filename={job.srt}{fonts}:force_style='{_style(job)}'[subs]")
        video = "subs"
    if job.card_png:
        card_index = n
        inputs += ["-loop", "1", "-framerate", str(FPS), "-t", f"{job.card_seconds:.3f}", "-i", job.card_png]
        fade_start = job.card_seconds - job.card_fade_out
        graph.append(f"[{video}]tpad=stop_mode=clone:stop_duration={job.card_fade_in:.3f}[held]")
        graph.append(f"[{card_index}:v]format=yuv420p,setsar=1,fade=t=out:st={fade_start:.3f}:d={job.card_fade_out:.3f},"
                     f"settb=1/{FPS}[card]")
        graph.append(f"[held][card]xfade=transition=fade:duration={job.card_fade_in:.3f}:"
                     f"offset={job.cut_seconds:.3f}[vout]")
        video = "vout"
    graph += _audio_chain(job)
    lr = job.loudness
    graph.append(
        f"[mix]loudnorm=I={lr['I']}:TP={lr['TP']}:LRA={lr['LRA']}:measured_I={measured['input_i']}:"
        f"measured_TP={measured['input_tp']}:measured_LRA={measured['input_lra']}:"
        f"measured_thresh={measured['input_thresh']}:offset={measured['target_offset']}:linear=true:"
        f"print_format=summary,aresample={AUDIO_RATE}[aout]")
    encoder = list(job.encoder)
    if "-preset" in encoder:
        encoder[encoder.index("-preset") + 1] = job.x264_preset
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *inputs, "-filter_complex", ";".join(graph),
            "-map", f"[{video}]", "-map", "[aout]", *encoder, job.output]


def _run(argv: list[str]) -> str:
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, errors="replace")
    if done.returncode != 0:
        sys.stderr.write(" ".join(argv) + "\n" + done.stderr[-4000:])
        raise SystemExit(done.returncode)
    return done.stderr


def render(job: Job) -> None:
    """Both passes of one output."""
    measured = parse_loudnorm(_run(measure_args(job)))
    _run(render_args(job, measured))


def intermediate_args(job: Job, master: str) -> list[str]:
    """The cut alone (crossfades, sound mixed, no loudness) as a high-quality intermediate."""
    graph, last = _cut_chain(job, "")
    graph += _audio_chain(replace(job, card_png=None))
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *_inputs(job, ""), "-filter_complex", ";".join(graph),
            "-map", f"[{last}]", "-map", "[mix]", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10",
            "-pix_fmt", "yuv420p", "-c:a", "pcm_s16le", master]


def render_via_intermediate(jobs: list[Job]) -> None:
    """The other way to share work: the cut rendered once, then every output made from it."""
    master = str(Path(jobs[0].output).with_name("intermediate-master.mkv"))
    _run(intermediate_args(jobs[0], master))
    derived = [replace(job, sources=[(master, 0.0, jobs[0].cut_seconds)], xfade=0.0) for job in jobs]
    measured = parse_loudnorm(_run(measure_args(derived[0])))  # one sound for every output
    for job in derived:
        _run(render_args(job, measured))
    Path(master).unlink()


def write_jobs(jobs: list[Job], path: Path) -> Path:
    path.write_text(json.dumps([asdict(job) for job in jobs], indent=1))
    return path


def read_jobs(path: Path) -> list[Job]:
    return [Job(**{**item, "sources": [tuple(s) for s in item["sources"]]}) for item in json.loads(path.read_text())]


if __name__ == "__main__":
    if sys.argv[1] == "--intermediate":
        render_via_intermediate([job for job_file in sys.argv[2:] for job in read_jobs(Path(job_file))])
        raise SystemExit(0)
    for job_file in sys.argv[1:]:
        for one in read_jobs(Path(job_file)):
            render(one)


# --- building jobs (runner side; not used when this file runs as the script) -----------------

SCRIPT_OF = {"en": "latin", "es": "latin", "ru": "cyrillic", "ar": "arabic"}


def fonts_dir(lang: str, folder: Path) -> tuple[str, Path, float]:
    """filmkit's font for `lang`: family, a folder holding only it (plain name), line height in ems."""
    from filmkit.text.fonts import choose_font
    from fontTools.ttLib import TTFont

    choice = choose_font(SCRIPT_OF[lang], lang)
    target = folder / SCRIPT_OF[lang]
    target.mkdir(parents=True, exist_ok=True)
    link = target / ("font" + choice.path.suffix)
    if not link.exists():
        link.symlink_to(choice.path)
    font = TTFont(str(choice.path), fontNumber=choice.index, lazy=True)
    line_height = (font["OS/2"].usWinAscent + font["OS/2"].usWinDescent) / font["head"].unitsPerEm
    return choice.family, target, line_height


def encoder_from_dry_run(stdout: str) -> list[str]:
    """The output options of filmkit's own argv (`render --dry-run`): everything after the maps."""
    import shlex

    line = next(line for line in stdout.splitlines() if "ffmpeg" in line and " -map " in line)
    tokens = shlex.split(line)
    last_map = len(tokens) - 1 - tokens[::-1].index("-map")
    return tokens[last_map + 2 : -1]
