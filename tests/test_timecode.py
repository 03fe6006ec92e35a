"""Exact time: every form an editor writes, at every common rate, and the errors."""

from __future__ import annotations

from fractions import Fraction

import pytest

from filmkit.timecode import (
    TimecodeError,
    format_timecode,
    parse_rate,
    parse_time,
    seconds_arg,
    seconds_to_frames,
)

NTSC = Fraction(30000, 1001)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(25, Fraction(25)), ("25", Fraction(25)), ("30000/1001", NTSC), (29.97, NTSC), ("29.97", NTSC),
     (23.976, Fraction(24000, 1001)), ("59.94", Fraction(60000, 1001)), ("24000 / 1001", Fraction(24000, 1001)), (50, Fraction(50))],
)
def test_rates_are_exact(value: object, expected: Fraction) -> None:
    assert parse_rate(value) == expected


@pytest.mark.parametrize("value", ["fast", "0", -25, True, "25/0x", None, 5000])
def test_bad_rates_name_the_allowed_forms(value: object) -> None:
    with pytest.raises(TimecodeError, match="30000/1001"):
        parse_rate(value)


@pytest.mark.parametrize(
    ("value", "rate", "frames"),
    [
        ("00:00:02:00", Fraction(25), 50),
        ("00:00:06:12", Fraction(25), 162),
        ("01:00:00:00", Fraction(25), 90000),
        ("00:00:01:29", NTSC, 59),  # timecode counts 30 per second at 29.97
        ("00:00:04.500", Fraction(25), 112 + 1),  # 112.5 frames rounds half up
        ("00:00:04.480", Fraction(25), 112),
        ("1:05.000", Fraction(25), 65 * 25),
        (4.5, Fraction(25), 113),  # 112.5 -> 113
        (3, Fraction(24), 72),
        ("2.5", Fraction(24), 60),
        (0, NTSC, 0),
        (1.001, NTSC, 30),  # one NTSC second of 30 frames
        ("00:01:00;02", NTSC, 1800),  # drop-frame: 00;00 and 00;01 are skipped at minute 1
        ("00:10:00;00", NTSC, 17982),  # every tenth minute keeps its first two frame numbers
    ],
)
def test_time_forms_give_exact_frames(value: object, rate: Fraction, frames: int) -> None:
    assert parse_time(value, rate) == frames


@pytest.mark.parametrize(
    ("value", "rate", "message"),
    [
        ("00:00:01:25", Fraction(25), "frames must be 00-24"),
        ("00:00:01:30", NTSC, "frames must be 00-29"),
        ("00:00:60:00", Fraction(25), "seconds must be 00-59"),
        ("00:61:00:00", Fraction(25), "minutes must be 00-59"),
        ("1:2:3", Fraction(25), "HH:MM:SS:FF"),
        ("soon", Fraction(25), "HH:MM:SS.mmm"),
        (-1, Fraction(25), "negative"),
        ("00:00:01;00", Fraction(25), "drop-frame"),
        ("00:01:00;00", NTSC, "skipped"),
        (True, Fraction(25), "not a time"),
    ],
)
def test_bad_times_say_what_is_allowed(value: object, rate: Fraction, message: str) -> None:
    with pytest.raises(TimecodeError, match=message):
        parse_time(value, rate)


def test_seconds_arg_floors_so_a_frame_at_the_seek_point_is_kept() -> None:
    # frame 100 at 29.97 starts at 3.3366666...; ffmpeg keeps frames with pts >= the seek point
    assert seconds_arg(Fraction(100) / NTSC) == "3.336666"
    assert seconds_arg(Fraction(5, 2)) == "2.500000"
    assert seconds_arg(Fraction(0)) == "0.000000"


def test_round_trip_of_every_frame_through_timecode_text() -> None:
    for rate in (Fraction(24), Fraction(25), NTSC, Fraction(60)):
        for frames in (0, 1, 59, 1799, 86399):
            assert parse_time(format_timecode(frames, rate), rate) == frames


def test_half_frames_round_up() -> None:
    assert seconds_to_frames(Fraction(1, 50), Fraction(25)) == 1
    assert seconds_to_frames(Fraction(1, 51), Fraction(25)) == 0
