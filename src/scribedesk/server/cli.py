"""``scribedesk-server``: serve, init-db, create-user, seed-demo, import."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from pathlib import Path

from scribedesk.domain.dictation import Priority
from scribedesk.domain.roles import Role
from scribedesk.domain.templates import TemplateError
from scribedesk.server.app import build_state, create_app
from scribedesk.server.dictations import Intake
from scribedesk.server.errors import ServiceError
from scribedesk.server.importer import author_named, import_file, seed_demo, watch
from scribedesk.server.paths import resources_dir
from scribedesk.server.settings import ServerSettings, from_environment, to_environment
from scribedesk.server.users import create_user


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="data folder (default: user data dir)")
    parser.add_argument(
        "--db-url",
        help="database URL (default: SQLite in the data folder); "
        "e.g. postgresql://user:pass@host/scribedesk",
    )
    parser.add_argument("--storage-dir", type=Path, help="audio store folder")
    parser.add_argument("--templates-dir", type=Path, help="folder of template JSON files")


def build_parser() -> argparse.ArgumentParser:
    """The command line; every option can also come from a SCRIBEDESK_* variable."""
    parser = argparse.ArgumentParser(
        prog="scribedesk-server",
        description="The ScribeDesk dictation service. Settings come from flags or "
        "SCRIBEDESK_HOST, SCRIBEDESK_PORT, SCRIBEDESK_DB_URL, SCRIBEDESK_DATA_DIR, "
        "SCRIBEDESK_STORAGE_DIR, SCRIBEDESK_LEASE_SECONDS, SCRIBEDESK_TOKEN_HOURS, "
        "SCRIBEDESK_MAX_UPLOAD_MB, SCRIBEDESK_TURNAROUND (e.g. routine=24,urgent=4,stat=1).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP service")
    _common(serve)
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8765)")
    serve.add_argument(
        "--lease-seconds", type=float, help="job lease without heartbeat (default 60)"
    )
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    serve.add_argument(
        "--seed-demo", action="store_true", help="add demo users and dictations first"
    )

    init = sub.add_parser("init-db", help="create or upgrade the database schema")
    _common(init)

    user = sub.add_parser("create-user", help="add a user account")
    _common(user)
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--display-name", default="")
    user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )

    demo = sub.add_parser("seed-demo", help="add demo users (one per role) and dictations")
    _common(demo)

    imp = sub.add_parser("import", help="import audio files, or watch a folder for new ones")
    _common(imp)
    imp.add_argument("files", nargs="*", type=Path, help="audio files to import")
    imp.add_argument(
        "--watch",
        type=Path,
        metavar="FOLDER",
        help="import files dropped into FOLDER (a FILE.json sidecar may override "
        "account, template_id, priority, title, note)",
    )
    imp.add_argument("--once", action="store_true", help="with --watch: one pass, then exit")
    imp.add_argument(
        "--interval", type=float, default=2.0, help="with --watch: seconds between polls"
    )
    imp.add_argument("--author", required=True, help="user name recorded as the author")
    imp.add_argument("--account", required=True)
    imp.add_argument("--template", required=True, dest="template_id")
    imp.add_argument("--priority", default="routine", choices=[p.value for p in Priority])
    imp.add_argument("--title", default="")
    return parser


def settings_from(args: argparse.Namespace) -> ServerSettings:
    """Environment first, then flags on top."""
    return from_environment().with_overrides(
        data_dir=args.data_dir,
        db_url=args.db_url,
        storage_dir=args.storage_dir,
        templates_dir=args.templates_dir,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        lease_seconds=getattr(args, "lease_seconds", None),
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args)
        return _run(args, settings)
    except (ServiceError, TemplateError, ValueError) as exc:
        print(f"scribedesk-server: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def demo_sign_in(manifest_path: Path) -> str:
    """How to sign in as the demo users (printed when the demo data is in place)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    people = ", ".join(f"{u['username']} ({u['role']})" for u in manifest["users"])
    return f"demo users, all with the password {manifest['password']!r}: {people}"


def _run(args: argparse.Namespace, settings: ServerSettings) -> int:
    manifest = resources_dir() / "demo" / "manifest.json"
    if args.command == "serve":
        import uvicorn

        if args.seed_demo:
            users, items = seed_demo(build_state(settings), manifest)
            print(f"demo data: {users} users and {items} dictations added")
            print(demo_sign_in(manifest))
        base = f"http://{settings.host}:{settings.port}"
        print(f"ScribeDesk service on {base}/api/v1 (API document: {base}/docs)", flush=True)
        if args.workers > 1:
            build_state(settings)  # migrate once, before the workers start
            os.environ.update(to_environment(settings))
            uvicorn.run(
                "scribedesk.server.app:app_from_environment",
                factory=True,
                host=settings.host,
                port=settings.port,
                log_level="warning",
                workers=args.workers,
                **settings.uvicorn_options(),
            )
        else:
            uvicorn.run(
                create_app(settings),
                host=settings.host,
                port=settings.port,
                log_level="warning",
                **settings.uvicorn_options(),
            )
        return 0
    state = build_state(settings)
    if args.command == "init-db":
        print(f"database ready: {state.engine.url.render_as_string(hide_password=True)}")
    elif args.command == "create-user":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Again: ") != password:
                print("scribedesk-server: the passwords differ", file=sys.stderr)
                return 2
        with state.write() as session:
            user = create_user(
                session, args.username, args.display_name, Role(args.role), password, state.clock()
            )
        print(f"created {user.role} {user.username} (id {user.id})")
    elif args.command == "seed-demo":
        users, items = seed_demo(state, manifest)
        print(f"demo data: {users} users and {items} dictations added")
    elif args.command == "import":
        author = author_named(state, args.author)
        intake = Intake(
            account=args.account,
            template_id=args.template_id,
            priority=Priority(args.priority),
            title=args.title,
        )
        if args.watch:
            count = watch(state, author, args.watch, intake, interval=args.interval, once=args.once)
            print(f"imported {count} file(s) from {args.watch}")
        if not args.files and not args.watch:
            print(
                "scribedesk-server: name audio files to import, or --watch FOLDER", file=sys.stderr
            )
            return 2
        failures = 0
        for path in args.files:
            try:
                item = import_file(state, author, path, intake)
                print(f"{path}: dictation {item.id}, due {item.due_at:%Y-%m-%d %H:%M} UTC")
            except (ServiceError, OSError) as exc:
                failures += 1
                print(f"{path}: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
