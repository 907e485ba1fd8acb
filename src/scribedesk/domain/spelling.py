"""Words for spell checking: splitting text, and the team dictionary of names that never flag."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from scribedesk.domain.transcript import MARKER

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for every word outside markers; digits and markers are skipped."""
    skip = [(m.start(), m.end()) for m in MARKER.finditer(text)]
    index = 0  # both in text order: walk the markers alongside the words
    for match in WORD.finditer(text):
        start = match.start()
        while index < len(skip) and skip[index][1] <= start:
            index += 1
        if index < len(skip) and skip[index][0] <= start:
            continue
        yield start, match.end(), match.group()


class TeamDictionary:
    """Account, contact and product names (and words a team added): always correct."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._known: set[str] = set()
        self.add_all(names)

    def add_all(self, names: Iterable[str]) -> None:
        """Add every word of each name ("Acme Logistics" adds "acme" and "logistics")."""
        for name in names:
            for _start, _end, word in words(name):
                self._known.add(word.casefold())

    def __contains__(self, word: str) -> bool:
        return word.casefold() in self._known
