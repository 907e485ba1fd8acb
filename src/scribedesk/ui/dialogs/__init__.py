"""Dialogs; each has a prompt() classmethod that returns the answer."""
