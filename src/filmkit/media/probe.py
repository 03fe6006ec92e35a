"""What filmkit sees in a media file, read with PyAV (no ffprobe is bundled).

Rotation comes from the first decoded frame, where libavcodec has applied the display matrix
of phone clips; duration falls back to the last packet for files whose header has none
(e.g. browser MediaRecorder WebM).
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmkit.errors import MediaError
from filmkit.media.images import image_size
from filmkit.paths import not_a_file

IMAGE_FORMATS = ("image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe", "gif")


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    width: int  # as coded
    height: int
    sar: Fraction  # sample (pixel) aspect ratio
    rotation: int  # degrees, as the display matrix asks (multiples of 90)
    rate: Fraction | None  # average frame rate, None when unknown
    pix_fmt: str
    profile: str | None = None
    variable_rate: bool = False

    @property
    def display_size(self) -> tuple[int, int]:
        """Size after rotation, before any SAR correction."""
        if self.rotation % 180:
            return self.height, self.width
        return self.width, self.height

    @property
    def display_aspect(self) -> Fraction:
        width, height = self.display_size
        sar = self.sar if self.rotation % 180 == 0 else 1 / self.sar
        return Fraction(width, height) * sar


@dataclass(frozen=True)
class AudioInfo:
    codec: str
    rate: int
    channels: int
    layout: str
    profile: str | None = None


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    container: str
    duration: Fraction  # seconds, from the first frame
    size_bytes: int
    video: VideoInfo | None
    audio: AudioInfo | None
    bit_rate: int | None = None
    timecode: str | None = None  # the start timecode an editing system sees ("01:00:00:00"), when the file has one

    @property
    def is_image(self) -> bool:
        return self.container in IMAGE_FORMATS


def probe(path: Path, *, rendered: bool = False) -> MediaInfo:
    """Open `path` with PyAV; raise MediaError saying what is wrong and how to fix it.

    `rendered`: the file is one ffmpeg has just written for filmkit (a video), so it is not
    first held against the picture size limit: that guard is for users' pictures, and on a
    video Pillow tries every format it knows (importing them all, ~40 ms) before giving up."""
    import av

    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise MediaError(f"{path}: file not found. Check the path and its spelling (paths in a project file are relative to that file)")
    if path.is_dir():
        raise MediaError(f"{path}: is a folder, not a media file; give the path of a file inside it")
    problem = not_a_file(path)  # a FIFO or device would block PyAV (and ffmpeg) forever
    if problem is not None:
        raise MediaError(f"{path}: {problem}")
    if not rendered:
        image_size(path)  # a huge picture is refused before PyAV decodes it
    try:
        container = av.open(str(path), metadata_errors="replace")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise MediaError(f"{path}: not a media file filmkit can read ({_reason(exc)}). "
                         "Re-export it, or check that the copy or download finished") from None
    with container:
        try:
            video = _video_info(container) if container.streams.video else None
            audio = _audio_info(container) if container.streams.audio else None
            duration = _duration(container)
        except (av.error.FFmpegError, StopIteration, ValueError) as exc:
            raise MediaError(f"{path}: the file is damaged: {_reason(exc)}. Re-export it or use another copy") from None
        if not container.format.name.startswith(IMAGE_FORMATS) and not _reaches_its_end(container):
            raise MediaError(
                f"{path}: the file is cut short: its header says {float(duration):.2f} s but the data ends "
                "before that. Check that the copy or download finished, or re-export it"
            )
        if video is None and audio is None:
            raise MediaError(f"{path}: has no video or audio stream. Re-export it as a video (.mp4, .mov) or audio (.wav, .mp3) file")
        return MediaInfo(
            path=path,
            container=container.format.name.split(",")[0],
            duration=duration,
            size_bytes=path.stat().st_size,
            video=video,
            audio=audio,
            bit_rate=container.bit_rate or None,
            timecode=_start_timecode(container),
        )


def _start_timecode(container) -> str | None:  # type: ignore[no-untyped-def]
    """The `timecode` tag of the video stream, a timecode track or the container (camera files, EDL sources)."""
    for stream in (*container.streams.video, *container.streams.data):
        if stream.metadata.get("timecode"):
            return str(stream.metadata["timecode"])
    return container.metadata.get("timecode") or None


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text).split(":")[0].strip() if "Errno" in str(text) else str(text)


def _video_info(container) -> VideoInfo:  # type: ignore[no-untyped-def]
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    first = None
    for frame in container.decode(stream):
        first = frame
        break
    if first is None:
        raise ValueError("no video frame could be decoded")
    context = stream.codec_context
    sar = first.sample_aspect_ratio if hasattr(first, "sample_aspect_ratio") else None
    sar = sar or stream.sample_aspect_ratio or context.sample_aspect_ratio or Fraction(1)
    rate = stream.average_rate or stream.guessed_rate or None
    base = stream.base_rate
    variable = bool(rate and base and abs(Fraction(base) - Fraction(rate)) > Fraction(1, 10))
    return VideoInfo(
        codec=context.name,
        width=first.width,
        height=first.height,
        sar=Fraction(sar) if sar > 0 else Fraction(1),
        rotation=int(round(first.rotation or 0)) % 360,
        rate=Fraction(rate) if rate else None,
        pix_fmt=first.format.name,
        profile=context.profile,
        variable_rate=variable,
    )


def _audio_info(container) -> AudioInfo:  # type: ignore[no-untyped-def]
    stream = container.streams.audio[0]
    context = stream.codec_context
    return AudioInfo(
        codec=context.name,
        rate=context.sample_rate or stream.rate,
        channels=context.channels,
        layout=context.layout.name,
        profile=context.profile,
    )


def _duration(container) -> Fraction:  # type: ignore[no-untyped-def]
    """Playable length from the start; scans packets only when the header has no duration."""
    if container.duration:
        stream = container.streams.video[0] if container.streams.video else None
        if stream is not None and stream.duration and stream.time_base:
            # Video stream duration is the length an editor can cut from.
            return Fraction(stream.duration) * stream.time_base
        return Fraction(container.duration, 1_000_000)
    container.seek(0)
    end = Fraction(0)
    first: Fraction | None = None
    for packet in container.demux():
        if packet.pts is None or packet.time_base is None:
            continue
        at = Fraction(packet.pts) * packet.time_base
        first = at if first is None else min(first, at)
        end = max(end, at + Fraction(packet.duration or 0) * packet.time_base)
    return end - (first or 0)


def _reaches_its_end(container) -> bool:  # type: ignore[no-untyped-def]
    """False for a copy cut short: its header (moov first) survives, the last packets do not.

    Seeks to half a second before the stream's stated end and reads packets there, so a large
    file costs one seek, not a scan.
    """
    import av

    streams = container.streams.video or container.streams.audio
    if not streams:
        return True
    stream = streams[0]
    if not stream.duration or not stream.time_base:
        return True  # no stated length to hold the data against
    target = (stream.start_time or 0) + max(stream.duration - int(Fraction(1, 2) / stream.time_base), 0)
    try:
        container.seek(target, stream=stream, any_frame=True, backward=True)
        return any(packet.size for packet in container.demux(stream))
    except (av.error.FFmpegError, ValueError):
        return True  # not seekable: nothing can be concluded


@dataclass(frozen=True)
class GopInfo:
    """The video packets of a file, read without decoding."""

    frames: int  # video frames (packets with data)
    keyframes: tuple[int, ...]  # their indexes in decode order
    leading_frames: int  # frames decoded after a keyframe but shown before it: the GOP is open
    level: int | None = None  # H.264 level_idc from the codec parameters, when the stream has one


def read_gop(path: Path) -> GopInfo:
    """Frames, keyframes, open-GOP leading frames and level of the first video stream: one
    pass over its packets, nothing decoded.

    A GOP is open when a frame decoded after a keyframe is shown before it: it references the
    previous GOP, so a player that starts at that keyframe cannot decode it.
    """
    import av

    frames, keyframes, leading = 0, [], 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        level = getattr(stream.codec_context, "level", None)
        key_pts: int | None = None
        for packet in container.demux(stream):
            if not packet.size:
                continue
            if packet.is_keyframe:
                keyframes.append(frames)
                key_pts = packet.pts
            elif key_pts is not None and packet.pts is not None and packet.pts < key_pts:
                leading += 1
            frames += 1
    return GopInfo(frames, tuple(keyframes), leading, level if isinstance(level, int) and level > 0 else None)


def video_packet_bits(path: Path) -> list[int]:
    """The size in bits of each video packet of the first video stream, in decode order (nothing decoded)."""
    import av

    with av.open(str(path)) as container:
        return [packet.size * 8 for packet in container.demux(container.streams.video[0]) if packet.size]


def count_video_frames(path: Path) -> int:
    """Frames in the first video stream, counted from packets (no decoding)."""
    return read_gop(path).frames


@dataclass(frozen=True)
class ReadBack:
    """A rendered file read back once: probed, and its video packets demuxed."""

    info: MediaInfo
    gop: GopInfo | None  # None when the file has no video stream


def read_back(path: Path) -> ReadBack:
    """Probe `path` and read its video packets, once, for every check of a rendered file."""
    info = probe(path, rendered=True)
    return ReadBack(info, read_gop(path) if info.video is not None else None)


@contextlib.contextmanager
def pyav_imported_meanwhile() -> Iterator[None]:
    """PyAV imported in a background thread while the block runs (~60 ms), joined at its end.

    For the block that waits on a render's ffmpeg: the waiting thread holds no GIL, so the
    import that the read-back after it needs costs no wall time. A failed import is left for
    the read-back's own `import av` to raise where it is handled."""
    thread = threading.Thread(target=_import_pyav, name="filmkit-import-av", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


def _import_pyav() -> None:
    with contextlib.suppress(Exception):  # raised again, in place, by the read-back's own import
        importlib.import_module("av")
