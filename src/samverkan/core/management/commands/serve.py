from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

# Threaded workers: a request waiting on the database or on a document being written
# holds one thread, not a whole worker. The timeout is well above the document limit
# (DOCUMENT_TIMEOUT_SECONDS, 20 s), so gunicorn never kills a worker in the middle of a
# request that the app itself bounds (docs/limits.md).
THREADS = 4
TIMEOUT_SECONDS = 60


def gunicorn_argv(*, host: str, port: int, workers: int, access_log: bool) -> list[str]:
    """The gunicorn command line ``samverkan serve`` runs.

    ``workers`` processes of ``THREADS`` threads each (the ``gthread`` worker class),
    with a ``TIMEOUT_SECONDS`` worker timeout. Gunicorn logs through
    ``samverkan.core.accesslog.Logger``: the access log (on standard output unless
    ``access_log`` is off) leaves out every request for a personal survey link and
    every request made from a survey page.
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "samverkan.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--timeout",
        str(TIMEOUT_SECONDS),
        "--logger-class",
        "samverkan.core.accesslog.Logger",
        *(["--access-logfile", "-"] if access_log else []),
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


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
            help="Number of gunicorn worker processes, of 4 threads each (default 2).",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Skip collecting static files."
        )
        parser.add_argument(
            "--no-access-log",
            action="store_true",
            help=(
                "Do not log requests at all. Without it, requests are logged to standard "
                "output except the health check's survey pages and what they load, so that "
                "the log never shows when a personal survey link was used."
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
        argv = gunicorn_argv(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            access_log=not options["no_access_log"],
        )
        self.stdout.write(f"Samverkan serving on http://{options['host']}:{options['port']}/")
        os.execve(sys.executable, argv, env)  # noqa: S606 - replaces this process with gunicorn
