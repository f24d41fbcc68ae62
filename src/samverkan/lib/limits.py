"""Every limit on what people and programs may store, in one place (see docs/limits.md).

The services enforce them, so the UI, the API and an imported file refuse the same
things; the forms and API schemas declare them too, so a browser stops typing at
the limit and the OpenAPI document tells programs. They are generous for real
agreements and small enough that no single request can make a page, a document
or a write slow for everyone else.
"""

from __future__ import annotations

# Texts ------------------------------------------------------------------------------------
REFERENCE_MAX = 50  # an agreement's reference
TITLE_MAX = 200  # an agreement's title, an organisation's name, a health round's title
NAME_MAX = 120  # the name of a role, a forum or a process
PERSON_MAX = 200  # a person's name (role holders)
EMAIL_MAX = 254  # an e-mail address (RFC 5321's longest path, as Django's EmailField)
LINE_MAX = 500  # one item of a list: a responsibility, a step, an objective, a service
NOTE_MAX = 200  # the note of a mandate entry or a decision right
UNIT_MAX = 60  # the unit of a goal's figures ("days", "SEK per year")
TEXT_MAX = 4000  # a description, a purpose, a rationale, a free-text survey answer

# Lists ------------------------------------------------------------------------------------
ITEMS_MAX = 50  # items in one list: responsibilities, steps, holders, mandate entries …
OBJECTIVES_MAX = 30  # objectives of one agreement
ROLES_MAX = 200  # roles of one agreement
FORUMS_MAX = 100  # forums of one agreement
PROCESSES_MAX = 100  # joint processes of one agreement
ESCALATION_STEPS_MAX = 10  # steps of the escalation path
GOALS_MAX = 30  # goals of an innovation framework
CRITERIA_MAX = 20  # evaluation criteria of an innovation framework
EVALUATORS_MAX = 12  # evaluators chosen for one idea
ENGAGEMENT_ACTIONS_MAX = 30  # engagement actions of one idea
ATTACHMENTS_MAX = 20  # files attached to one idea
FUND_ENTRIES_MAX = 2000  # lines of one agreement's innovation fund ledger
CASE_ROWS_MAX = 50  # interests, options, goals, plans B or actions of one negotiation case
CASE_MEMBERS_MAX = 30  # people on one negotiation case
CASE_DOCUMENTS_MAX = 30  # documents of one negotiation case

# Numbers ----------------------------------------------------------------------------------
ESCALATION_DAYS_MAX = 365  # days a forum may be given to resolve an escalated matter
GAIN_SHARE_MONTHS_MAX = 240  # the longest gain-share period, in months
IDEAS_PER_QUARTER_MAX = 1000  # the expected innovation rate
EFFORT_DAYS_MAX = 100_000  # an idea's estimated effort, in person-days
ATTACHMENT_BYTES_MAX = 10 * 1024 * 1024  # one attached file: 10 MiB
AMOUNT_MAX = 10**12 - 1  # the largest amount in SEK (values, mandate limits): 999 999 999 999
