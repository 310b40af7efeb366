"""Tiny valid audio files made on the fly (silence), to test durations read from the file itself."""

from __future__ import annotations

import io
import wave


def wav(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(b"\x80" * int(seconds * rate))
    return buffer.getvalue()


def mp3(seconds: float) -> bytes:
    """MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz: 417 bytes per 1152 samples."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    frames = round(seconds * 44100 / 1152)
    return frame * frames
