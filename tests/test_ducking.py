"""Music that ducks under the cut's sound, and each event's own fades and mute, measured in real renders.

The cut's "speech" is a 1 kHz tone, the bed a 220 Hz tone; the bed's level is the RMS of the
decoded mix at 220 Hz (an FFT band) over 50 ms windows, compared with its level in silence.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fractions import Fraction

from conftest import audio_samples, ffmpeg
from filmkit.graph.duck import envelope, loud_spans
from filmkit.media.levels import SoundLevels, parse_levels
from filmkit.project.timeline import Ducking

WINDOW = 0.05  # seconds per measurement
# speech at -12 dBFS from 1.0 to 1.8 s and 2.1 to 2.5 s (a 0.3 s pause), a murmur at -45 dBFS from 3.3 to 3.7 s
SPEECH = "0.25*sin(2*PI*1000*t)*(between(t,1,1.8)+between(t,2.1,2.5))+0.0056*sin(2*PI*1000*t)*between(t,3.3,3.7)"
BY_DB, ATTACK, RELEASE = 10, 0.2, 0.6


def band_level(samples: np.ndarray, rate: int, start: float, freq: float, seconds: float = WINDOW) -> float:
    """dB of the band around `freq` in the first channel from `start` for `seconds` (Hann window)."""
    part = samples[0, int(start * rate):int((start + seconds) * rate)]
    spectrum = np.abs(np.fft.rfft(part * np.hanning(len(part))))
    freqs = np.fft.rfftfreq(len(part), 1 / rate)
    band = (freqs > freq * 0.85) & (freqs < freq * 1.15)
    return float(20 * np.log10(np.sqrt((spectrum[band] ** 2).sum()) + 1e-12))


ONE_EVENT = """
  - media: talk
    in: 0
    out: 4"""


def _project(folder: Path, duck: str | None, cut: str = ONE_EVENT) -> Path:
    """4 s of "speech" (SPEECH) under a gray picture, and a 220 Hz bed that ducks as `duck` says (None: no bed)."""
    (folder / "media").mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=320x180:r=25:d=4", "-f", "lavfi", "-i",
           f"aevalsrc='{SPEECH}':s=48000:d=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "pcm_s16le", "-ac", "2", str(folder / "media" / "talk.mov"))
    ffmpeg("-f", "lavfi", "-i", "sine=f=220:r=48000:d=6", "-af", "volume=0.1", "-ac", "2", str(folder / "media" / "bed.wav"))
    music = f"music:\n  - file: media/bed.wav\n    gain_db: -3\n    {duck}\n" if duck is not None else ""
    text = ("filmkit: 1\ntitle: Ducking\nformat: {size: 320x180, fps: 25}\nmedia: {talk: media/talk.mov}\n"
            f"cut:{cut}\n{music}")
    (folder / "edit.yaml").write_text(text, encoding="utf-8")
    return folder / "edit.yaml"


@pytest.fixture(scope="module")
def ducked(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, int]:
    from filmkit.render.plan import plan_render
    from filmkit.render.run import render

    folder = tmp_path_factory.mktemp("duck")
    project = _project(folder, f"duck: {{by_db: {BY_DB}, attack: {ATTACK}, release: {RELEASE}, threshold_db: -30}}")
    render(plan_render(project, folder / "out.mov"))
    return audio_samples(folder / "out.mov")


def test_the_bed_drops_by_the_configured_amount_within_the_attack_and_recovers_after_the_release(ducked) -> None:  # type: ignore[no-untyped-def]
    samples, rate = ducked
    silence = band_level(samples, rate, 0.1, 220)
    assert silence > -60

    def level(start: float) -> float:
        """The bed's level in the window from `start`, in dB against its level in silence."""
        return band_level(samples, rate, start, 220) - silence

    # full level in silence, until `attack` before the speech
    for start in np.arange(0.1, 1.0 - ATTACK - WINDOW, WINDOW):
        assert abs(level(start)) < 0.5, start
    # down by the configured dB when the speech starts (within the attack), through the pause, to its end
    for start in np.arange(1.0, 2.5 - WINDOW, WINDOW):
        assert abs(level(start) + BY_DB) < 0.6, (start, level(start))
    # halfway through the attack and the release, halfway down
    assert -7 < level(1.0 - ATTACK / 2 - WINDOW / 2) < -3
    assert -7 < level(2.5 + RELEASE / 2 - WINDOW / 2) < -3
    # back to full level after the release, and a murmur under the threshold leaves it alone
    for start in np.arange(2.5 + RELEASE, 3.9, WINDOW):
        assert abs(level(start)) < 0.5, start
    # the speech itself is untouched: as loud in the pause-bridged second phrase as in the first
    assert abs(band_level(samples, rate, 1.2, 1000) - band_level(samples, rate, 2.2, 1000)) < 0.5


def test_a_platform_version_keeps_the_ducking_through_loudness_normalization(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    project = _project(tmp_path, "duck: true")
    from test_export import tiny_preset

    tiny_preset(tmp_path, "tiny-landscape", "youtube-1080p", (320, 180))
    done = run_cli("render", str(project), "--platform", "tiny-landscape", "-o", str(tmp_path / "out.mp4"))
    assert done.exit_code == 0, done
    samples, rate = audio_samples(tmp_path / "out.mp4")
    drop = band_level(samples, rate, 1.3, 220, 0.4) - band_level(samples, rate, 0.1, 220, 0.4)
    assert abs(drop + 10) < 1.0, drop  # the defaults: 10 dB


def test_events_fade_their_own_sound_and_a_muted_event_is_silent(tmp_path: Path) -> None:
    from filmkit.render.plan import plan_render
    from filmkit.render.run import render

    project = _project(tmp_path, None, """
  - media: talk
    in: 1
    out: 1.8
    fade_in: 0.4
    fade_out: 0.2
  - media: talk
    in: 1
    out: 1.8
    mute: true""")
    render(plan_render(project, tmp_path / "out.mov"))
    samples, rate = audio_samples(tmp_path / "out.mov")
    full = band_level(samples, rate, 0.5, 1000, 0.02)
    assert band_level(samples, rate, 0.0, 1000, 0.02) < full - 15, "rises from silence"
    assert abs(band_level(samples, rate, 0.2 - 0.01, 1000, 0.02) - (full - 6)) < 1.5, "halfway up: half the amplitude"
    assert abs(band_level(samples, rate, 0.7 - 0.01, 1000, 0.02) - (full - 6)) < 1.5, "halfway down"
    assert band_level(samples, rate, 1.1, 1000, 0.02) < full - 60, "the muted event"


def test_the_envelope_bridges_short_pauses_and_ramps_ahead_of_the_sound() -> None:
    levels = SoundLevels(48000, 960, tuple([-60.0] * 50 + [-12.0] * 40 + [-60.0] * 15 + [-12.0] * 20 + [-60.0] * 100))
    duck = Ducking(10, Fraction(1, 5), Fraction(3, 5), -30)
    assert loud_spans(levels, duck) == [(Fraction(1), Fraction(5, 2))]  # 1.0-1.8 and 2.1-2.5: one span
    assert envelope(loud_spans(levels, duck), duck) == "pow(10,-10/20*(clip((t-0.8)/0.2,0,1)*clip((3.1-t)/0.6,0,1)))"
    instant = Ducking(6, Fraction(0), Fraction(0), -30)
    assert envelope([(Fraction(1, 10), Fraction(1))], instant) == "pow(10,-6/20*(gte(t,0.1)*lt(t,1)))"
    early = envelope([(Fraction(1, 10), Fraction(1))], duck)
    assert early.startswith("pow(10,-10/20*(clip((t+0.1)/0.2"), "a ramp that starts before the film: no double minus"


def test_levels_are_read_from_ffmpegs_log() -> None:
    log = ("[Parsed_ametadata_3 @ 0x1] [info] frame:0    pts:0       pts_time:0\n"
           "[Parsed_ametadata_3 @ 0x1] [info] lavfi.astats.Overall.RMS_level=-inf\n"
           "[Parsed_ametadata_3 @ 0x1] [info] frame:1    pts:960     pts_time:0.02\n"
           "[Parsed_ametadata_3 @ 0x1] [info] lavfi.astats.Overall.RMS_level=-15.051500\n")
    levels = parse_levels(log, 48000, 960)
    assert levels.db == (float("-inf"), -15.0515) and levels.seconds == Fraction(1, 50)
