"""The `safemoves` command: Django management commands with the right settings.

`safemoves match ...` runs the matching engine alone: no settings, database or network.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "match":
        from safemoves.matching.cli import main as match_main  # noqa: PLC0415 - `safemoves match` runs without Django

        sys.exit(match_main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safemoves.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - after DJANGO_SETTINGS_MODULE is set

    args[0] = "safemoves"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
