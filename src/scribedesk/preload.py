"""The spell-check dictionary and the libvlc player, loaded on threads of their own while
the window paints its first page (app.py starts them; Workstation.ready takes them)."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any


class Preload:
    """The spell-check dictionary and the libvlc player, made on worker threads once
    ``start`` is called.

    Both spend most of their time in C (Hunspell parsing its word list, libvlc loading
    plugins) with the GIL released, so they overlap with the window's first paint and with
    making the rest of the desk.
    """

    def __init__(self, language: str, audio_output: str | None = None) -> None:
        self.language, self.audio_output = language, audio_output
        self.dictionary: Future[Any] = Future()
        self.player: Future[tuple[Any, str]] = Future()
        self._started = False

    def start(self) -> None:
        """Begin loading (once)."""
        if self._started:
            return
        self._started = True
        from scribedesk.shared.hunspell import EnchantDictionary

        for future, make in (
            (self.dictionary, lambda: EnchantDictionary.open(self.language)),
            (self.player, lambda: self._player(self.audio_output)),
        ):
            threading.Thread(target=_fill, args=(future, make), name="preload", daemon=True).start()

    @staticmethod
    def _player(audio_output: str | None) -> tuple[Any, str]:
        """(player, "") or (None, why playback is unavailable)."""
        from scribedesk.playback.player import PlaybackUnavailable, VlcPlayer

        try:
            return VlcPlayer(audio_output=audio_output), ""
        except PlaybackUnavailable as exc:
            return None, str(exc)


def _fill(future: Any, make: Any) -> None:
    try:
        future.set_result(make())
    except BaseException as exc:  # told to whoever waits for it
        future.set_exception(exc)
