"""Everything the window works with, built by app.py (the workstation's collaborators)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scribedesk.playback.transport import TransportSettings

if TYPE_CHECKING:  # only the types: the window's first page need not import them
    from scribedesk.domain.templates import Template
    from scribedesk.playback.player import VlcPlayer
    from scribedesk.services.drafts import DraftWriter
    from scribedesk.services.outbox import Outbox
    from scribedesk.services.ports import (
        AudioStore,
        DraftStore,
        FilingPort,
        ServiceApi,
        WorklistStore,
    )
    from scribedesk.services.review import ReviewPort
    from scribedesk.services.spelling import SpellChecker
    from scribedesk.services.training import TrainingPort


@dataclass
class Workstation:
    """Everything the window works with, built by app.py."""

    api: ServiceApi
    templates: dict[str, Template]
    drafts: DraftStore
    writer: DraftWriter
    outbox: Outbox
    cache: AudioStore
    peaks_dir: Path
    checker: SpellChecker
    expansions: dict[str, str]
    player: VlcPlayer | None
    player_problem: str = ""
    transport_settings: TransportSettings = field(default_factory=TransportSettings)
    prefetch: int = 3
    settings: Any = None  # config.settings.Settings, for the settings dialog
    language: str = "en_US"  # the spell-check language, for the quality checks
    worklist_cache: WorklistStore | None = None
    # Work before the service can answer (starting the embedded service, signing in); it
    # runs off the GUI thread while the window shows the saved worklist, and returns the
    # templates.
    connect: Callable[[], dict[str, Template]] | None = None
    # Signs the user in again when the service refused an expired sign-in (GUI thread: it
    # may ask for the password); True when a new token is in place.
    reauthenticate: Callable[[], bool] | None = None
    # The review, team and feedback calls (client.review_api.ReviewApi over ``api``).
    reviews: ReviewPort | None = None
    # The training calls (client.training_api.TrainingApi over ``api``).
    training: TrainingPort | None = None
    # Deliveries, exports and reports (client.filing_api.FilingApi over ``api``).
    filing: FilingPort | None = None
    # The transport hotkeys in use (action -> chord), for the menus and the list of keys.
    hotkeys: dict[Any, str] = field(default_factory=dict)
    # What app.py makes once the window's first page is on screen (the player and the
    # dictionary, loading on their threads meanwhile, and the other pages' clients).
    later: Callable[[Workstation], None] | None = None

    def ready(self) -> None:
        """Make what was left for later (waits for the player and the dictionary; the
        window calls this once its first page is on screen, before the rest of the desk)."""
        if self.later is not None:
            later, self.later = self.later, None
            later(self)

    def use_templates(self, templates: dict[str, Template]) -> None:
        """Adopt the service's templates: their product, competitor and stage names never
        flag in the spell check."""
        self.templates.update(templates)
        for template in templates.values():
            self.checker.team.add_all(choice for spec in template.fields for choice in spec.choices)
