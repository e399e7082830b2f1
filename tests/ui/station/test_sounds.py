"""Station sounds: small reproducible WAVs, played by id, remembered for tests."""

from __future__ import annotations

import sys
import wave
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ui.sounds import CUES, SOUNDS_DIR, SoundPlayer, generate, main


def test_the_committed_sounds_are_exactly_what_the_generator_makes(tmp_path: Path) -> None:
    for path in generate(tmp_path):
        committed = SOUNDS_DIR / path.name
        assert committed.read_bytes() == path.read_bytes(), f"regenerate {committed.name}"


def test_every_sound_is_a_short_16_bit_mono_wav_under_40_kb() -> None:
    for sound_id in CUES:
        path = SOUNDS_DIR / f"{sound_id}.wav"
        with wave.open(str(path), "rb") as wav:
            assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
            assert wav.getnframes() / wav.getframerate() < 0.6
        assert path.stat().st_size < 40_000


def test_the_player_remembers_the_last_sound_and_refuses_unknown_ids(qapp: QApplication) -> None:
    player = SoundPlayer()
    player.play("error")
    assert player.last_sound == "error"
    with pytest.raises(ValueError, match="unknown sound 'boom'"):
        player.play("boom")
    assert player.last_sound == "error"


def test_without_qtmultimedia_the_player_falls_back_to_the_beep(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    beeps: list[bool] = []
    monkeypatch.setattr(QApplication, "beep", lambda: beeps.append(True))
    player = SoundPlayer()
    player.play("complete")
    assert (player.last_sound, beeps) == ("complete", [True])


def test_the_command_line_writes_the_files_where_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--generate", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{s}.wav" for s in CUES)
    assert "ok.wav" in capsys.readouterr().out
