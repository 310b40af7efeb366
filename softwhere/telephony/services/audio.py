"""Reading an uploaded announcement: MP3 or WAV, at most 2 minutes, duration read from the file itself."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from mutagen import MutagenError
from mutagen.mp3 import MP3, HeaderNotFoundError
from mutagen.wave import WAVE

from ..choices import MAX_ANNOUNCEMENT_BYTES, MAX_ANNOUNCEMENT_SECONDS, AudioFormat
from .rules import duration_error


@dataclass(frozen=True)
class AudioInfo:
    format: str
    duration_seconds: float
    size: int


def read_audio(data: bytes) -> AudioInfo:
    """Format and duration from the content (never from the file name), or a French ValidationError."""
    if not data:
        raise ValidationError("Fichier audio vide.", code="audio")
    if len(data) > MAX_ANNOUNCEMENT_BYTES:
        raise ValidationError("Fichier trop volumineux : 3 Mo au plus.", code="audio_size")
    info: AudioInfo | None = None
    try:
        if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
            fmt, parsed = AudioFormat.WAV, WAVE(io.BytesIO(data)).info
        else:
            fmt, parsed = AudioFormat.MP3, MP3(io.BytesIO(data)).info
        if parsed is not None:
            info = AudioInfo(fmt, float(parsed.length), len(data))
    except (HeaderNotFoundError, MutagenError):
        info = None
    if info is None or info.duration_seconds <= 0:
        raise ValidationError("Format non reconnu : seuls les fichiers MP3 ou WAV sont acceptés.", code="audio_format")
    if info.duration_seconds > MAX_ANNOUNCEMENT_SECONDS:
        raise ValidationError(duration_error(info.duration_seconds), code="audio_duration")
    return info
