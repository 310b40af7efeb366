"""The ``softwhere`` console script: Django's manage.py with the project settings.

``softwhere catalogue export`` is a management command named ``catalogue`` with a
sub-action, so every project command reads as ``softwhere <domain> <action>``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softwhere.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["softwhere", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
