"""Station sounds: short WAV cues a packer hears across the bench.

    player = SoundPlayer()
    player.play("error")        # double low tone; player.last_sound == "error"

The WAV files live in resources/sounds/ and are made by this module
(`python -m ui.sounds --generate`), so they stay small and reproducible. They play
through QtMultimedia's QSoundEffect; where that cannot load (no libpulse), the
system beep stands in.
"""

from __future__ import annotations

import argparse
import logging
import math
import struct
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

SOUNDS_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"
SAMPLE_RATE = 16_000
VOLUME = 0.6

# Each cue: (frequency in Hz or 0 for silence, duration in ms) played in turn.
CUES: dict[str, tuple[tuple[int, int], ...]] = {
    "ok": ((1_760, 70),),
    "error": ((220, 180), (0, 70), (220, 180)),
    "complete": ((1_047, 90), (1_319, 90), (1_568, 160)),
    "duplicate": ((880, 40),),
    "warning": ((660, 120), (0, 60), (660, 120), (0, 60), (660, 120)),  # a printer failed
}

log = logging.getLogger(__name__)


def tone_samples(notes: Sequence[tuple[int, int]], rate: int = SAMPLE_RATE) -> bytes:
    """16-bit mono PCM for `notes`, each faded in and out over 5 ms to avoid clicks."""
    frames = bytearray()
    fade = rate * 5 // 1000
    for frequency, duration_ms in notes:
        count = rate * duration_ms // 1000
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade) if fade else 1.0
            value = math.sin(2 * math.pi * frequency * i / rate) if frequency else 0.0
            frames += struct.pack("<h", round(32_767 * VOLUME * envelope * value))
    return bytes(frames)


def generate(folder: Path = SOUNDS_DIR) -> list[Path]:
    """Write one WAV per cue into `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sound_id, notes in CUES.items():
        path = folder / f"{sound_id}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(tone_samples(notes))
        written.append(path)
    return written


class SoundPlayer(QObject):
    """Plays a cue by id ("ok", "error", "complete", "duplicate", "warning") and remembers it."""

    def __init__(self, parent: QObject | None = None, *, folder: Path = SOUNDS_DIR) -> None:
        super().__init__(parent)
        self.last_sound: str | None = None
        self._players: dict[str, Callable[[], None]] = {}
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # QtMultimedia needs libpulse; the beep will do
            log.warning("QtMultimedia unavailable; station sounds fall back to the system beep")
            return
        for sound_id in CUES:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(folder / f"{sound_id}.wav")))
            self._players[sound_id] = effect.play

    def play(self, sound_id: str) -> None:
        if sound_id not in CUES:
            raise ValueError(f"unknown sound {sound_id!r}; known: {', '.join(CUES)}")
        self.last_sound = sound_id
        play = self._players.get(sound_id, QApplication.beep)
        play()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.sounds", description=__doc__)
    parser.add_argument("--generate", action="store_true", help="write the WAV files")
    parser.add_argument("--out", type=Path, default=SOUNDS_DIR, help="folder for the WAVs")
    args = parser.parse_args(argv)
    if not args.generate:
        parser.print_help()
        return 2
    for path in generate(args.out):
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
