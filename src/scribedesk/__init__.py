"""ScribeDesk: transcription workstation and dictation service."""

__version__ = "0.1.0"
