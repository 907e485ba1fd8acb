"""Hunspell dictionaries through Enchant (pyenchant), loaded lazily."""

from __future__ import annotations

from typing import Any


class EnchantDictionary:
    """One language's dictionary; None from ``open`` when Enchant or the language is missing."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    @classmethod
    def open(cls, language: str) -> EnchantDictionary | None:
        """The dictionary for ``language`` (e.g. en_US), or None when it is not installed."""
        try:
            import enchant

            return cls(enchant.Dict(language))
        except Exception:  # ImportError, enchant.errors.DictNotFoundError, missing libenchant
            return None

    def check(self, word: str) -> bool:
        return bool(self._handle.check(word))

    def suggest(self, word: str) -> list[str]:
        return [str(s) for s in self._handle.suggest(word)]
