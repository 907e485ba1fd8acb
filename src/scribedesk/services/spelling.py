"""Spell checking as the editor uses it: a dictionary port plus the team's own words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from scribedesk.domain.spelling import TeamDictionary


class Dictionary(Protocol):
    """A language dictionary (shared.hunspell.EnchantDictionary)."""

    def check(self, word: str) -> bool: ...
    def suggest(self, word: str) -> list[str]: ...


@dataclass
class SpellChecker:
    """Language dictionary + team dictionary; remembers answers (a word is checked once)."""

    dictionary: Dictionary | None
    team: TeamDictionary = field(default_factory=TeamDictionary)
    #: Keeps a learnt word for the next start (the app saves it in the settings).
    on_learn: Callable[[str], None] = lambda _word: None

    def __post_init__(self) -> None:
        self._cache: dict[str, bool] = {}

    def is_correct(self, word: str) -> bool:
        """True for dictionary words, team words, and always when no dictionary is available."""
        if self.dictionary is None or word in self.team:
            return True
        known = self._cache.get(word)
        if known is None:
            known = self._cache[word] = bool(self.dictionary.check(word))
        return known

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        """Likely corrections, best first."""
        return [] if self.dictionary is None else list(self.dictionary.suggest(word))[:limit]

    def learn(self, word: str) -> None:
        """Accept ``word`` from now on (added to the team dictionary)."""
        self.team.add_all([word])
        self._cache.pop(word, None)
        self.on_learn(word)
