"""The spell-check dictionary and the libvlc player, loaded on threads of their own while
the window paints its first page (app.py starts them; Workstation.ready takes them)."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
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
        self._loading: tuple[Future[tuple[Any, str]], Future[Any]] | None = None

    def start(self) -> None:
        """Begin loading (once)."""
        if self._loading is not None:
            return
        from scribedesk.shared.hunspell import EnchantDictionary

        pool = ThreadPoolExecutor(2, thread_name_prefix="preload")
        self._loading = (
            pool.submit(self._player, self.audio_output),
            pool.submit(EnchantDictionary.open, self.language),
        )
        pool.shutdown(wait=False)  # the threads finish their one task each and end

    def loaded(self) -> tuple[tuple[Any, str], Any]:
        """((player, why not), dictionary), waiting for them (started if need be)."""
        self.start()
        assert self._loading is not None
        player, dictionary = self._loading
        return player.result(), dictionary.result()

    @staticmethod
    def _player(audio_output: str | None) -> tuple[Any, str]:
        """(player, "") or (None, why playback is unavailable)."""
        from scribedesk.playback.player import PlaybackUnavailable, VlcPlayer

        try:
            return VlcPlayer(audio_output=audio_output), ""
        except PlaybackUnavailable as exc:
            return None, str(exc)
