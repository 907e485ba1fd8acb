"""``python -m scribedesk`` / ``scribedesk``: start the workstation."""

from __future__ import annotations

import sys

from scribedesk.app import main

if __name__ == "__main__":
    sys.exit(main())
