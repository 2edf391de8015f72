"""A sound for something new that needs a person, quiet where there is no audio and saying why.

No app state: the district's alarm annunciator (console/district/ui/alarm_panel.py,
which adds silencing) and the IOC's escalation inbox both play through it. QtMultimedia is imported here, not at module load: a workstation without an
audio device, or without the audio libraries QtMultimedia needs, gets a window
without sound and a ``reason`` to show, never a crash.
"""

from __future__ import annotations

import logging
import re
from importlib import resources as importlib_resources
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl

log = logging.getLogger(__name__)


def default_sound() -> str:
    return str(importlib_resources.files("resources") / "sounds" / "alarm.wav")


class Annunciator:
    """``announce`` plays the sound once (and counts it, sound or not)."""

    def __init__(self, sound: str | None = None) -> None:
        self.sounds_played = 0
        self._effect: Any = None
        self.reason = ""
        """Why there is no sound ("" when there is)."""
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if not QMediaDevices.audioOutputs():
                raise RuntimeError(
                    QCoreApplication.translate("Annunciator", "no audio output device")
                )
            effect = QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(sound or default_sound()))
            effect.setVolume(0.8)
            self._effect = effect
        except Exception as exc:  # no QtMultimedia backend / no audio libraries here
            self.reason = str(exc) or type(exc).__name__
            lib = re.search(r"([\w.+-]+\.so[.\d]*): cannot open shared object file", self.reason)
            if lib:
                self.reason = QCoreApplication.translate(
                    "Annunciator", "the audio library %1 is missing (Debian/Ubuntu: libpulse0)"
                ).replace("%1", lib.group(1))
            log.info("sound unavailable (%s): shown without sound", self.reason)

    @property
    def available(self) -> bool:
        return self._effect is not None

    def announce(self) -> None:
        self.sounds_played += 1
        if self._effect is not None:
            self._effect.play()

    def stop(self) -> None:
        if self._effect is not None:
            self._effect.stop()
