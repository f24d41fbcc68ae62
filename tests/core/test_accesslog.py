"""Links whose path is a credential never reach a log: survey, password reset, invitation."""

from __future__ import annotations

import logging

import pytest

from samverkan.core.accesslog import SurveyFilter, is_survey


@pytest.mark.parametrize(
    "path",
    [
        "/survey/hemlig-lank/",
        "/accounts/reset/MQ/cabc12-0123456789abcdef/",
        "/accounts/invitation/eyJhbGciOi.hemlig/",
        "https://samverkan.example.com/accounts/reset/MQ/set-password/",
    ],
)
def test_credential_links_are_left_out(path: str) -> None:
    assert is_survey(path)


def test_other_paths_are_logged() -> None:
    assert not is_survey("/agreements/1/")
    assert not is_survey("/accounts/login/")


def test_a_warning_keeps_its_message_but_loses_the_link() -> None:
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/accounts/reset/MQ/cabc12-0123456789abcdef/",),
        None,
    )
    assert SurveyFilter().filter(record)
    assert record.getMessage() == "Not Found: /accounts/reset/…"
