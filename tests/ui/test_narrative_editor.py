"""The narrative editor: expansions, markers at the audio position, spell check, click-to-seek."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from scribedesk.domain.spelling import TeamDictionary
from scribedesk.services.spelling import SpellChecker
from scribedesk.shared.hunspell import EnchantDictionary
from scribedesk.ui.widgets.narrative_editor import NarrativeEditor


@pytest.fixture
def checker() -> SpellChecker:
    dictionary = EnchantDictionary.open("en_US")
    if dictionary is None:
        pytest.skip("the en_US Hunspell dictionary is not installed (hunspell-en-us)")
    return SpellChecker(dictionary, TeamDictionary(["Acme Logistics", "Dana Whitfield"]))


@pytest.fixture
def editor(qtbot, activate, checker):  # type: ignore[no-untyped-def]
    position = {"ms": 83_000}
    made = NarrativeEditor(
        checker, {"nxs": "next steps", "cust": "customer"}, audio_position=lambda: position["ms"]
    )
    activate(made)
    made.setFocus()
    made.position = position  # type: ignore[attr-defined]
    return made


def test_expansion_replaces_the_abbreviation_and_undoes_in_one_step(qtbot, editor):
    """'nxs ' becomes 'next steps '; capitalised stays capitalised; Ctrl+Z restores 'nxs '."""
    qtbot.keyClicks(editor, "Agreed nxs ")
    assert editor.toPlainText() == "Agreed next steps "
    qtbot.keyClicks(editor, "Cust.")
    assert editor.toPlainText() == "Agreed next steps Customer."
    editor.undo()
    assert editor.toPlainText() == "Agreed next steps Cust"
    qtbot.keyClicks(editor, "omer nxsa ")
    assert editor.toPlainText().endswith("Customer nxsa ")  # only whole words expand


def test_markers_are_inserted_at_the_audio_position(qtbot, editor):
    """Ctrl+T, Ctrl+I and Ctrl+U insert the right marker for where the audio is."""
    qtbot.keyClicks(editor, "She said")
    qtbot.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    editor.position["ms"] = 3_725_000
    qtbot.keyClick(editor, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == ("She said [inaudible 00:01:23] [01:02:05] [unclear 01:02:05] ")


def test_clicking_a_marker_jumps_the_audio(qtbot, editor):
    """A click inside [00:01:23] asks the player to seek to 83 s."""
    editor.setPlainText("Intro [00:01:23] then more")
    rect = editor.cursorRect(editor.document().find("01:23"))
    with qtbot.waitSignal(editor.seek_requested) as jumped:
        qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert jumped.args == [83_000]


def test_unknown_words_are_flagged_and_team_names_are_not(editor, checker):
    """'custmer' is wrong; 'Whitfield' and 'Acme' are team words; markers are never checked."""
    assert not checker.is_correct("custmer") and "customer" in checker.suggestions("custmer")
    assert checker.is_correct("Whitfield") and checker.is_correct("Acme")
    editor.setPlainText("Dana Whitfield from Acme is a custmer [inaudible 00:00:05]")
    block = editor.document().firstBlock()
    flagged = [
        editor.toPlainText()[r.start : r.start + r.length]
        for r in block.layout().formats()
        if r.format.underlineStyle().value
    ]
    assert flagged == ["custmer"]
    checker.learn("custmer")
    assert checker.is_correct("custmer")


def test_word_count_and_font_size(qtbot, editor):
    """The count ignores markers and follows typing; Ctrl+= grows the text."""
    editor.setPlainText("one two [00:00:01] three")
    qtbot.waitUntil(lambda: editor.word_count == 3)
    size = editor.font().pointSize()
    qtbot.keyClick(editor, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert editor.font().pointSize() == size + 1
