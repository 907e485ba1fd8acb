"""The workstation's use cases in plain Python over small ports (typing.Protocol)."""
