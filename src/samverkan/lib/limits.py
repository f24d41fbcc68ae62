"""Every limit on what people and programs may store, in one place (see docs/limits.md).

Forms, API schemas, the agreement file and the services all read these numbers,
so the UI, the API and an imported file refuse the same things with the same
words. They are generous for real agreements and small enough that no single
request can make a page, a document or a write slow for everyone else.
"""

from __future__ import annotations

# The most days a forum may be given to resolve an escalated matter: a year.
ESCALATION_DAYS_MAX = 365

# An e-mail address (RFC 5321's longest path, as Django's EmailField).
EMAIL_MAX = 254
