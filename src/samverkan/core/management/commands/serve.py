from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve Samverkan with gunicorn and production settings (DEBUG off, WhiteNoise serving "
        "static files). Collects static files first. Behind a TLS-terminating proxy set "
        "SECURE_PROXY_SSL_HEADER=1; for plain HTTP on a trusted network set PLAIN_HTTP=1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1)."
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default 8000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="Number of gunicorn worker processes (default 2).",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Skip collecting static files."
        )
        parser.add_argument(
            "--no-access-log",
            action="store_true",
            help=(
                "Do not log requests. A logged request shows when each personal survey link "
                "was used; leave the log off where the health check's anonymity matters."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        env = dict(os.environ, DEBUG="0")
        if not options["no_collectstatic"]:
            # Collect in a child process so that production storage settings apply.
            subprocess.run(
                [sys.executable, "-m", "samverkan.cli", "collectstatic", "--noinput", "-v0"],
                env=env,
                check=True,
            )
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "samverkan.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            *([] if options["no_access_log"] else ["--access-logfile", "-"]),
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Samverkan serving on http://{options['host']}:{options['port']}/")
        os.execve(sys.executable, argv, env)  # noqa: S606 - replaces this process with gunicorn
