"""``python -m scribedesk`` / ``scribedesk``: start the workstation."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Start ScribeDesk on its embedded default.

    Until the workstation window exists this runs the local service with demo data
    on 127.0.0.1 and prints how to reach it.
    """
    from scribedesk.server.cli import main as server_main

    args = list(sys.argv[1:] if argv is None else argv)
    return server_main(["serve", "--seed-demo", *args])


if __name__ == "__main__":
    sys.exit(main())
