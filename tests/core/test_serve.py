"""`samverkan serve` runs gunicorn so that no bounded request is ever killed mid-way."""

from __future__ import annotations

from django.conf import settings

from samverkan.core.management.commands.serve import gunicorn_argv


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_threaded_workers_with_a_timeout_above_the_document_limit() -> None:
    argv = gunicorn_argv(host="127.0.0.1", port=8000, workers=3, access_log=True)
    assert _option(argv, "--worker-class") == "gthread"
    assert int(_option(argv, "--threads")) >= 2
    assert _option(argv, "--workers") == "3"
    # A document is refused at DOCUMENT_TIMEOUT_SECONDS; gunicorn must not kill first.
    assert int(_option(argv, "--timeout")) >= 2 * settings.DOCUMENT_TIMEOUT_SECONDS
