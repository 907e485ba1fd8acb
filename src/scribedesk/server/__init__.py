"""The ScribeDesk service: HTTP API, storage, assignment and audio store."""
