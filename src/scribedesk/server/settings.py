"""The service's settings (pydantic-settings): SCRIBEDESK_* environment variables, then flags.

``ServerSettings()`` reads the environment; keyword arguments win over it. Every value is
validated, and a wrong one names its variable (``SCRIBEDESK_PORT='x': …``).
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from scribedesk.domain.dictation import IdlePolicy, TurnaroundPolicy
from scribedesk.domain.sampling import SamplingPolicy
from scribedesk.server.paths import default_data_dir, resources_dir

PREFIX = "SCRIBEDESK_"


def _policy(kind: Any) -> Any:
    def parse(value: Any) -> Any:
        return kind.parse(value) if isinstance(value, str) else value

    return parse


Turnaround = Annotated[
    TurnaroundPolicy,
    NoDecode,
    BeforeValidator(_policy(TurnaroundPolicy)),
    PlainSerializer(lambda p: ",".join(f"{k.value}={v:g}" for k, v in p.hours.items())),
]


def _networks(value: Any) -> Any:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    for item in value:
        ipaddress.ip_network(item, strict=False)  # ValueError names a malformed one
    return tuple(value)


Sampling = Annotated[
    SamplingPolicy,
    NoDecode,
    BeforeValidator(_policy(SamplingPolicy)),
    PlainSerializer(
        lambda p: (
            f"first={p.first_jobs},share={p.share:g},rolling={p.rolling_reviews},"
            f"inaudible={p.max_inaudible},flagged={int(p.flagged)}"
        )
    ),
]


#: Addresses (or networks) of reverse proxies whose X-Forwarded-For is believed.
Proxies = Annotated[
    tuple[str, ...], NoDecode, BeforeValidator(_networks), PlainSerializer(",".join)
]
Idle = Annotated[
    IdlePolicy,
    NoDecode,
    BeforeValidator(_policy(IdlePolicy)),
    PlainSerializer(lambda p: ",".join(f"{k.value}={v:g}" for k, v in p.minutes.items())),
]


class ServerSettings(BaseSettings):
    """Everything the service needs to start; defaults give the embedded single-desk setup."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        frozen=True,
        arbitrary_types_allowed=True,
        extra="forbid",
        populate_by_name=True,
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)
    data_dir: Path = Field(default_factory=default_data_dir)
    db_url: str = ""
    storage_dir: Path | None = None
    templates_dir: Path = Field(default_factory=lambda: resources_dir() / "templates")
    lease_seconds: float = Field(default=60.0, gt=0)
    token_hours: float = Field(default=12.0, gt=0)
    max_upload_mb: int = Field(default=1024, gt=0)
    turnaround: Turnaround = Field(default_factory=TurnaroundPolicy)
    idle: Idle = Field(default_factory=IdlePolicy, validation_alias="SCRIBEDESK_IDLE_MINUTES")
    reaper_interval_s: float = Field(default=5.0, gt=0)
    #: Off by default: the sign-in throttle counts the connection's own address, and a
    #: client's X-Forwarded-For is ignored (else anyone could claim any address).
    trusted_proxies: Proxies = ()
    #: Which submitted transcripts are reviewed (domain.sampling).
    sampling: Sampling = Field(default_factory=SamplingPolicy)
    #: How long after a review its transcriptionist may dispute an error.
    dispute_days: float = Field(default=7.0, gt=0)
    #: A transcriptionist whose rolling review accuracy falls under this is shown to the
    #: trainers, who may send them back to a curriculum.
    recertify_below: float = Field(default=95.0, ge=0, le=100)
    #: Where final transcripts are delivered as signed webhooks (none when empty), and the
    #: shared secret (whsec_ + base64) receivers verify them with.
    webhook_url: str = ""
    webhook_secret: str = Field(default="", repr=False)
    #: How long one webhook attempt may take before it is retried (same message id).
    webhook_timeout_s: float = Field(default=15.0, gt=0)
    #: How often the delivery worker looks for deliveries that are due.
    delivery_interval_s: float = Field(default=1.0, gt=0)
    #: The CRM mappings (resources/crm/<crm>/<template>.json), checked at start.
    crm_dir: Path = Field(default_factory=lambda: resources_dir() / "crm")
    #: A Salesforce org (its instance URL and an access token): delivery there is on
    #: when both are set. The token comes from the environment, never from a file.
    salesforce_url: str = ""
    salesforce_token: str = Field(default="", repr=False)
    salesforce_api_version: str = "59.0"
    #: A HubSpot portal (a private app's token): delivery there is on when it is set.
    hubspot_url: str = "https://api.hubapi.com"
    hubspot_token: str = Field(default="", repr=False)
    #: How long one CRM request may take before the delivery is retried.
    crm_timeout_s: float = Field(default=30.0, gt=0)

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

    @property
    def dispute_window(self) -> timedelta:
        """How long a reviewed transcriptionist may dispute an error."""
        return timedelta(days=self.dispute_days)

    def uvicorn_options(self) -> dict[str, Any]:
        """How uvicorn reads forwarded headers: only from ``trusted_proxies``. Every
        launch of the service passes these (uvicorn alone would trust 127.0.0.1)."""
        return {
            "proxy_headers": bool(self.trusted_proxies),
            "forwarded_allow_ips": list(self.trusted_proxies) or [],
        }

    def with_overrides(self, **values: Any) -> ServerSettings:
        """A copy with the non-None values replaced (validated like the rest)."""
        given = {k: v for k, v in values.items() if v is not None}
        return type(self)(**{**self._own(), **given})

    def _own(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in type(self).model_fields}


def _variable(field: str) -> str:
    return "SCRIBEDESK_IDLE_MINUTES" if field == "idle" else PREFIX + field.upper()


def to_environment(settings: ServerSettings) -> dict[str, str]:
    """The SCRIBEDESK_* variables that recreate ``settings`` (for worker processes)."""
    dumped = settings.model_dump(mode="json")
    dumped["db_url"] = settings.database_url
    dumped["storage_dir"] = str(settings.audio_dir)
    return {_variable(name): str(value) for name, value in dumped.items() if value is not None}


def from_environment(environ: dict[str, str] | None = None) -> ServerSettings:
    """Settings from SCRIBEDESK_* variables (``environ``: instead of the process's own);
    ValueError naming the variable that is wrong."""
    saved = None
    if environ is not None:
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(environ)
    try:
        return ServerSettings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error.get("loc") else ""
        variable = name if name.startswith(PREFIX) else _variable(name)
        value = os.environ.get(variable, "")
        raise ValueError(f"{variable}={value!r}: {error['msg']}") from None
    finally:
        if saved is not None:
            os.environ.clear()
            os.environ.update(saved)
