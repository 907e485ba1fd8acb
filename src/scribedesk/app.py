"""The one place that builds concrete objects and wires them together."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from scribedesk.client.api import ApiClient, ApiError

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Start the workstation (or, with --service-only, just the embedded service)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="scribedesk", description="The ScribeDesk workstation.")
    parser.add_argument("--server", help="service URL (default: the embedded local service)")
    parser.add_argument("--user", help="user name (embedded default: the demo transcriptionist)")
    parser.add_argument("--password", help="password (or SCRIBEDESK_PASSWORD)")
    parser.add_argument(
        "--service-only", action="store_true", help="run only the embedded service with demo data"
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.service_only:
        from scribedesk.server.cli import main as server_main

        return server_main(["serve", "--seed-demo"])
    return run(args.server, args.user, args.password or os.environ.get("SCRIBEDESK_PASSWORD"))


def fetch_templates(api: ApiClient) -> dict[str, Any]:
    """The service's templates, validated here too; a bad one is logged and left out."""
    return api.templates(warn=logging.getLogger(__name__).warning)


def build_station(
    api: ApiClient,
    templates: dict[str, Any],
    account: str,
    settings: Any,
    data: Path,
    cache: Path,
    bridge: Any,
    audio_output: str | None = None,
    preloaded: Any = None,
    connect: Any = None,
    reauthenticate: Any = None,
) -> Any:
    """The window's collaborators: local store, writer, outbox, cache, spell check, player.

    ``preloaded`` holds the dictionary and player, made on other threads once started
    (the station takes them, and the other pages' clients, in Workstation.ready);
    ``connect`` (see Workstation.connect) starts the service while the window shows;
    ``reauthenticate`` (Workstation.reauthenticate) signs in again after a 401.
    """
    from scribedesk.client.audio_cache import AudioCache
    from scribedesk.config.settings import Key
    from scribedesk.domain.spelling import TeamDictionary
    from scribedesk.playback.transport import TransportSettings
    from scribedesk.services.drafts import DraftWriter
    from scribedesk.services.outbox import Outbox
    from scribedesk.services.spelling import SpellChecker
    from scribedesk.storage.store import (
        DraftRepository,
        OutboxRepository,
        WorklistCache,
        open_store,
    )
    from scribedesk.ui.workstation import Workstation

    store = open_store(data / "workstation.db")
    drafts = DraftRepository(store, api.base_url, account)
    outbox = Outbox(
        OutboxRepository(store, api.base_url, account),
        api.submit,
        on_outcome=bridge.on_outbox_outcome,
        probe=api.health,
    )
    team = TeamDictionary(settings.get(Key.TEAM_DICTIONARY))
    from scribedesk.preload import Preload

    preloaded = preloaded or Preload(settings.get(Key.SPELL_LANGUAGE), audio_output)

    def equip(station: Workstation) -> None:
        """The rest, made once the first page is on screen (Workstation.ready)."""
        from scribedesk.client.filing_api import FilingApi
        from scribedesk.client.review_api import ReviewApi
        from scribedesk.client.training_api import TrainingApi

        station.reviews, station.training, station.filing = (
            ReviewApi(api),
            TrainingApi(api),
            FilingApi(api),
        )
        (station.player, station.player_problem), station.checker.dictionary = preloaded.loaded()

    station = Workstation(
        api=api,
        templates={},
        drafts=drafts,
        writer=DraftWriter(drafts, on_error=bridge.on_message),
        outbox=outbox,
        cache=AudioCache(cache / "audio", settings.get(Key.CACHE_LIMIT_MB) << 20),
        peaks_dir=cache / "peaks",
        checker=SpellChecker(None, team, remember_word(settings)),  # the dictionary: equip
        expansions=settings.get(Key.EXPANSIONS),
        player=None,
        transport_settings=TransportSettings(
            play_mode=settings.get(Key.PLAY_MODE),
            backstep_s=settings.get(Key.BACKSTEP_S),
            step_s=settings.get(Key.REWIND_STEP_S),
            speed_step=settings.get(Key.SPEED_STEP),
        ),
        prefetch=settings.get(Key.PREFETCH_JOBS),
        settings=settings,
        language=settings.get(Key.SPELL_LANGUAGE),
        worklist_cache=WorklistCache(store, api.base_url, account),
        connect=connect,
        reauthenticate=reauthenticate,
        hotkeys=hotkey_preset(settings),
        later=equip,
    )
    station.use_templates(templates)
    return station


def signing_in() -> Any:
    """The sign-in use case wired to the real client, the OS keyring and the dialog."""
    from scribedesk.client.credentials import KeyringTokens
    from scribedesk.services.sign_in import Answer, SignIn
    from scribedesk.ui.dialogs.sign_in import SignInDialog

    def ask(server: str, user: str, message: str) -> Answer | None:
        answer = SignInDialog.prompt(server, user, message)
        return None if answer is None else Answer(answer.server, answer.user, answer.password)

    return SignIn(lambda url, token: ApiClient(url, token), KeyringTokens(), ask)


def sign_in(server: str, user: str, password: str | None) -> Any:
    """Sign in to a team's service at start (services.sign_in.SignIn.first)."""
    return signing_in().first(server, user, password)


def team_reauthenticate(api: ApiClient, user: str) -> Any:
    """Sign ``api`` in again to its team service (the sign-in dialog, on the GUI thread)."""
    return lambda: signing_in().again(api, user)


def demo_role(user: str) -> Any:
    """The role of a demo user of the embedded service (the demo manifest says; a user it
    does not list is taken for a transcriptionist, as the workstation's default)."""
    import json

    from scribedesk.domain.roles import Role
    from scribedesk.server.paths import resources_dir

    manifest = json.loads((resources_dir() / "demo" / "manifest.json").read_text("utf-8"))
    for entry in manifest.get("users", []):
        if entry.get("username") == user:
            return Role(entry.get("role", Role.TRANSCRIPTIONIST.value))
    return Role.TRANSCRIPTIONIST


def remember_word(settings: Any) -> Any:
    """Save a word added to the team dictionary, so it is known at the next start."""
    from scribedesk.config.settings import Key

    def remember(word: str) -> None:
        known = list(settings.get(Key.TEAM_DICTIONARY))
        if word not in known:
            settings.set(Key.TEAM_DICTIONARY, [*known, word])

    return remember


def hotkey_preset(settings: Any, say: Any = lambda _m: None) -> dict[Any, str]:
    """The transport hotkeys: the chosen preset with the user's own keys over it."""
    from scribedesk.config.settings import Key
    from scribedesk.playback.hotkeys import PRESETS
    from scribedesk.playback.transport import Action

    preset = dict(PRESETS.get(settings.get(Key.HOTKEY_PRESET), PRESETS["scribedesk"]))
    for name, chord in settings.get(Key.HOTKEYS).items():
        try:
            preset[Action(name)] = chord
        except ValueError:
            say(f"Ignoring the hotkey setting for unknown action {name!r}.")
    return preset


def guard_hotkeys(preset: dict[Any, str]) -> Any:
    """Keep the transport chords out of ScribeDesk's fields (ui.key_guard); returns the
    function that removes the guard."""
    from PySide6.QtWidgets import QApplication

    from scribedesk.playback.hotkeys import check_mapping
    from scribedesk.ui.key_guard import guard

    usable, _problems = check_mapping(preset)
    keeper = guard(usable)
    app = QApplication.instance()
    return lambda: app.removeEventFilter(keeper) if app is not None else None


def run(server: str | None, user: str | None, password: str | None) -> int:
    """Build the workstation and run the Qt event loop until the window closes."""
    from scribedesk.config.paths import cache_dir, config_dir, data_dir
    from scribedesk.config.settings import Key, Settings

    settings = Settings(config_dir() / "scribedesk.ini")
    server = server or settings.get(Key.SERVER_URL) or None
    first_look = None
    if not server:  # the local service answers with the worklist while Qt is imported
        from scribedesk.client import first_look as look

        first_look = look.begin(data_dir() / "service", str(user or "tara"))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from scribedesk.domain.roles import Role
    from scribedesk.services.sign_in import LOCAL
    from scribedesk.ui.bridge import ThreadBridge
    from scribedesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    app.setApplicationName("ScribeDesk")
    connect = None
    reauthenticate = None
    templates: dict[str, Any] = {}
    try:
        signed = sign_in(server, user or settings.get(Key.USERNAME), password) if server else LOCAL
        if signed is None:
            return 0
        if signed == LOCAL:
            # The window opens on the saved worklist while the service starts behind it.
            settings.reset(Key.SERVER_URL)
            user = user or "tara"
            role = demo_role(str(user))
            from scribedesk.client.local_service import LocalConnection

            local = LocalConnection(data_dir() / "service", str(user), fetch_templates)
            api, connect, reauthenticate = local.api, local.connect, local.reauthenticate

        else:
            assert isinstance(signed, tuple)
            api, user = signed
            role = Role(api.me().get("role", Role.TRANSCRIPTIONIST.value))
            settings.set(Key.SERVER_URL, api.base_url)
            settings.set(Key.USERNAME, user)
            templates = fetch_templates(api)
            reauthenticate = team_reauthenticate(api, str(user))
    except (ApiError, RuntimeError) as exc:
        QMessageBox.critical(None, "ScribeDesk", f"Cannot start: {exc}")
        return 1
    from scribedesk.ui.theme import apply_text_size, apply_theme

    apply_theme(settings.get(Key.THEME))
    apply_text_size(settings.get(Key.FONT_SIZE))  # the saved size, from the start
    bridge = ThreadBridge()
    account = str(user or settings.get(Key.USERNAME))
    from scribedesk.preload import Preload

    preloaded = Preload(settings.get(Key.SPELL_LANGUAGE))  # started once the window shows
    station = build_station(
        api,
        templates,
        account,
        settings,
        data_dir(),
        cache_dir(),
        bridge,
        preloaded=preloaded,
        connect=connect,
        reauthenticate=reauthenticate,
    )
    window = MainWindow(station, bridge, role, first_look)
    bridge.outbox_outcome.connect(window.outbox_outcome)
    bridge.message.connect(lambda text: window.statusBar().showMessage(text, 15_000))
    station.outbox.start()
    stops: list[Any] = []
    # Pedals and hotkeys start once the worklist is painted, not on the way to it.
    window.worklist_ready.connect(
        lambda: QTimer.singleShot(
            0, lambda: stops.append(_start_inputs(settings, bridge, window.learning))
        )
    )
    window.show()
    preloaded.start()  # libvlc and Hunspell load while the first page is painted
    code = app.exec()
    for stop_inputs in stops:  # none when the window closed before the first worklist
        stop_inputs()
    station.outbox.stop()
    station.writer.close()
    return int(code)


def pedal_managers(settings: Any, bridge: Any) -> list[Any]:
    """The pedal managers: raw HID pedals (hidapi) with the layouts learned before, and
    keyboard-emulating pedals (evdev, grabbed) with their learned keys; each that cannot
    start says why in the status bar. Not started yet."""
    from scribedesk.playback.pedals.keyboard import KeyboardPedalSource, load_evdev
    from scribedesk.playback.pedals.learn import load_layouts
    from scribedesk.playback.pedals.manager import (
        HidSource,
        PedalManager,
        PedalUnavailable,
        load_hidapi,
    )
    from scribedesk.ui.pedal_learning import KEYS_FILE, LAYOUTS_FILE, load_key_maps

    managers = []
    for make, load, name in (
        (lambda learned: HidSource(load_hidapi(), learned), load_layouts, LAYOUTS_FILE),
        (lambda keys: KeyboardPedalSource(load_evdev(), keys), load_key_maps, KEYS_FILE),
    ):
        try:
            saved = load(settings.folder / name)
        except ValueError as exc:  # damaged: said, and learned again when plugged in
            bridge.on_message(str(exc))
            saved = {}
        try:
            managers.append(PedalManager(make(saved), bridge.on_pedal))
        except PedalUnavailable as exc:
            bridge.on_message(str(exc))
    return managers


def _start_inputs(settings: Any, bridge: Any, learning: Any = None) -> Any:
    """Pedals and global hotkeys (pynput); each says why when it cannot start. The pedal
    managers are handed to the window's pedal learning."""
    from scribedesk.playback.hotkeys import GlobalHotkeys, HotkeysUnavailable

    stops = []
    managers = pedal_managers(settings, bridge)
    for manager in managers:
        manager.start()
        stops.append(manager.stop)
    if learning is not None:
        learning.managers = managers
    preset = hotkey_preset(settings, bridge.on_message)
    stops.append(guard_hotkeys(preset))
    hotkeys = GlobalHotkeys(preset, bridge.on_hotkey_press, bridge.on_hotkey_release)
    for problem in hotkeys.problems:
        bridge.on_message(problem)
    try:
        hotkeys.start()
        stops.append(hotkeys.stop)
    except HotkeysUnavailable as exc:
        bridge.on_message(str(exc))

    def stop() -> None:
        for each in stops:
            each()

    return stop
