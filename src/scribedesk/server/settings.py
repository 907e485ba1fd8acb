"""The service's settings, from command-line flags or SCRIBEDESK_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from scribedesk.domain.dictation import IdlePolicy, TurnaroundPolicy
from scribedesk.server.paths import default_data_dir, resources_dir


@dataclass(frozen=True)
class ServerSettings:
    """Everything the service needs to start; defaults give the embedded single-desk setup."""

    host: str = "127.0.0.1"
    port: int = 8765
    data_dir: Path = field(default_factory=default_data_dir)
    db_url: str = ""
    storage_dir: Path | None = None
    templates_dir: Path = field(default_factory=lambda: resources_dir() / "templates")
    lease_seconds: float = 60.0
    token_hours: float = 12.0
    max_upload_mb: int = 1024
    turnaround: TurnaroundPolicy = field(default_factory=TurnaroundPolicy)
    idle: IdlePolicy = field(default_factory=IdlePolicy)
    reaper_interval_s: float = 5.0

    @property
    def database_url(self) -> str:
        """The configured URL, or an SQLite file in the data dir."""
        return self.db_url or f"sqlite:///{self.data_dir / 'scribedesk.db'}"

    @property
    def audio_dir(self) -> Path:
        """Where the audio store keeps its files."""
        return self.storage_dir or self.data_dir / "audio"

    @property
    def lease(self) -> timedelta:
        """How long a job lease lasts without a heartbeat."""
        return timedelta(seconds=self.lease_seconds)

    @property
    def token_ttl(self) -> timedelta:
        """How long a bearer token stays valid."""
        return timedelta(hours=self.token_hours)

    def with_overrides(self, **values: Any) -> ServerSettings:
        """A copy with the non-None values replaced."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "SCRIBEDESK_HOST": ("host", str),
    "SCRIBEDESK_PORT": ("port", int),
    "SCRIBEDESK_DATA_DIR": ("data_dir", Path),
    "SCRIBEDESK_DB_URL": ("db_url", str),
    "SCRIBEDESK_STORAGE_DIR": ("storage_dir", Path),
    "SCRIBEDESK_TEMPLATES_DIR": ("templates_dir", Path),
    "SCRIBEDESK_LEASE_SECONDS": ("lease_seconds", float),
    "SCRIBEDESK_TOKEN_HOURS": ("token_hours", float),
    "SCRIBEDESK_MAX_UPLOAD_MB": ("max_upload_mb", int),
    "SCRIBEDESK_TURNAROUND": ("turnaround", TurnaroundPolicy.parse),
    "SCRIBEDESK_IDLE_MINUTES": ("idle", IdlePolicy.parse),
}


def to_environment(settings: ServerSettings) -> dict[str, str]:
    """The SCRIBEDESK_* variables that recreate ``settings`` (for worker processes)."""
    hours = settings.turnaround.hours
    return {
        "SCRIBEDESK_HOST": settings.host,
        "SCRIBEDESK_PORT": str(settings.port),
        "SCRIBEDESK_DATA_DIR": str(settings.data_dir),
        "SCRIBEDESK_DB_URL": settings.database_url,
        "SCRIBEDESK_STORAGE_DIR": str(settings.audio_dir),
        "SCRIBEDESK_TEMPLATES_DIR": str(settings.templates_dir),
        "SCRIBEDESK_LEASE_SECONDS": str(settings.lease_seconds),
        "SCRIBEDESK_TOKEN_HOURS": str(settings.token_hours),
        "SCRIBEDESK_MAX_UPLOAD_MB": str(settings.max_upload_mb),
        "SCRIBEDESK_TURNAROUND": ",".join(f"{p.value}={h}" for p, h in hours.items()),
        "SCRIBEDESK_IDLE_MINUTES": ",".join(
            f"{p.value}={m}" for p, m in settings.idle.minutes.items()
        ),
    }


def from_environment(environ: dict[str, str] | None = None) -> ServerSettings:
    """Settings from SCRIBEDESK_* variables; ValueError names the variable that is wrong."""
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    for name, (attr, convert) in ENVIRONMENT.items():
        if environ.get(name):
            try:
                values[attr] = convert(environ[name])
            except ValueError as exc:
                raise ValueError(f"{name}={environ[name]!r}: {exc}") from None
    return ServerSettings().with_overrides(**values)
