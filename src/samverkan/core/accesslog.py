"""Keep the health check's survey links out of the logs.

A personal survey link (``/survey/<token>/``) is the respondent's credential, and
an access log line records when it was used. While a round is open the database
keeps its answers roughly in the order they arrive, so log times set against
that order could tie a person to their answers. Therefore:

- ``samverkan serve`` runs gunicorn with ``--logger-class
  samverkan.core.accesslog.Logger``, which puts ``SurveyFilter`` on gunicorn's
  access logger: a request for a survey page, and every request made *from* one
  (the style sheets and scripts it loads carry it as their Referer), is left
  out of the access log. Everything else is logged as before, and
  ``--no-access-log`` still turns the whole log off.
- The settings put the same filter on Django's console handler, where a
  warning such as "Not Found: /survey/…/" keeps its message but loses the link.

A proxy in front of the application keeps its own log: leave ``/survey/`` out of
it too (the README says how).
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from gunicorn.glogging import Logger as GunicornLogger


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The credential paths of ``settings.CREDENTIAL_PATHS``: (a path is one, a link in a text).

    Read from the settings, not from the apps: gunicorn's master logs before Django's
    apps are loaded.
    """
    from django.conf import settings

    prefixes = "|".join(re.escape(prefix.strip("/")) for prefix in settings.CREDENTIAL_PATHS)
    return re.compile(rf"^/(?:{prefixes})/"), re.compile(rf"/({prefixes})/[^?#\s]+")


def is_survey(path: str) -> bool:
    """Whether ``path`` (a path, or a whole URL such as a Referer) is a page whose link is a
    credential (a survey page, a password-reset or invitation link)."""
    return bool(_patterns()[0].match(urlsplit(path).path if "://" in path else path))


class SurveyFilter(logging.Filter):
    """Leaves out gunicorn's access records of the survey; takes the link out of other records."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if isinstance(atoms, dict) and "U" in atoms:  # gunicorn's access log
            return not (is_survey(str(atoms["U"])) or is_survey(str(atoms.get("f", "-"))))
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                _patterns()[1].sub(r"/\1/…", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _patterns()[1].sub(r"/\1/…", record.msg)
        return True


class Logger(GunicornLogger):  # type: ignore[misc]
    """Gunicorn's logger with ``SurveyFilter`` on its access log (and on its error log)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, SurveyFilter) for f in log.filters):
                log.addFilter(SurveyFilter())
