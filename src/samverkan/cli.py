"""The ``samverkan`` command: Django's management commands plus the project's own."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["samverkan", *sys.argv[1:]])


if __name__ == "__main__":
    main()
