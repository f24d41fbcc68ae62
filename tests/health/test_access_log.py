"""The survey path never reaches an access log (issue 10, point 7).

A personal survey link is the respondent's credential, and an access log line
says when it was used; set against the order in which an open round stores its
answers, that could tie a person to their answers. ``samverkan serve`` therefore
runs gunicorn with a filter on its access logger that leaves out every request
for ``/survey/…`` and every request made from such a page (its Referer), and
Django's own warnings name a survey path without its link.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from samverkan.core.accesslog import SurveyFilter
from samverkan.core.management.commands.serve import gunicorn_argv
from tests.core.test_plain_http import _env, _free_port, home

__all__ = ["home"]  # the module-scoped fixture: a migrated production database

LINK = "hemlig-lank-4f2c9a"


def _access_record(path: str, referer: str = "-") -> logging.LogRecord:
    """A record as gunicorn's access logger makes it: the format, and the atoms as args."""
    atoms = {"U": path, "r": f"GET {path} HTTP/1.1", "f": referer, "s": "200"}
    return logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '"%(r)s" %(s)s "%(f)s"', (atoms,), None
    )


@pytest.mark.parametrize(
    ("path", "referer", "kept"),
    [
        (f"/survey/{LINK}/", "-", False),
        (f"/survey/{LINK}/?sent=1&lang=sv", "-", False),
        ("/static/health/survey.js", f"https://samverkan.example/survey/{LINK}/", False),
        ("/health/", "-", True),
        ("/agreements/1/health/", "https://samverkan.example/agreements/", True),
        ("/health/survey/", "-", True),  # the instrument page holds no link
    ],
)
def test_the_filter_leaves_out_the_survey_and_what_its_page_loads(
    path: str, referer: str, kept: bool
) -> None:
    assert SurveyFilter().filter(_access_record(path, referer)) is kept


def test_django_s_warning_about_a_survey_path_keeps_the_warning_but_not_the_link() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/survey/{LINK}/",), None
    )
    assert SurveyFilter().filter(record) is True
    assert LINK not in record.getMessage() and "/survey/" in record.getMessage()


def test_serve_runs_gunicorn_with_the_filter_and_still_without_any_access_log() -> None:
    argv = gunicorn_argv(host="127.0.0.1", port=8123, workers=2, access_log=True)
    assert argv[argv.index("--logger-class") + 1] == "samverkan.core.accesslog.Logger"
    assert argv[argv.index("--access-logfile") + 1] == "-"
    quiet = gunicorn_argv(host="127.0.0.1", port=8123, workers=2, access_log=False)
    assert "--access-logfile" not in quiet


def _run(home: Path, access_log: bool) -> tuple[str, str]:
    """Start gunicorn as ``samverkan serve`` does, make requests, and return its output."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - the serve command's own command line
        gunicorn_argv(host="127.0.0.1", port=port, workers=1, access_log=access_log),
        env=_env(home, PLAIN_HTTP="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/health/", timeout=5)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

        def get(path: str, referer: str | None = None) -> None:
            request = urllib.request.Request(f"{url}{path}")  # noqa: S310
            if referer:
                request.add_header("Referer", referer)
            with contextlib.suppress(urllib.error.HTTPError):  # a 404 is logged like a 200
                urllib.request.urlopen(request, timeout=30)  # noqa: S310

        get(f"/survey/{LINK}/")
        get("/static/health/survey.js", referer=f"{url}/survey/{LINK}/")
        get("/accounts/login/")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=20)
    return out, err


def test_a_survey_request_is_not_in_gunicorn_s_access_log_while_others_are(home: Path) -> None:
    out, err = _run(home, access_log=True)
    assert "GET /accounts/login/" in out and "GET /health/" in out
    assert "/survey/" not in out and "survey.js" not in out
    assert LINK not in out and LINK not in err  # nor the link in Django's "Not Found" warning


def test_without_the_access_log_gunicorn_logs_no_request(home: Path) -> None:
    out, err = _run(home, access_log=False)
    assert "GET /" not in out and "GET /" not in err
