"""Every URL pattern in the project, for every kind of user.

To cover a new URL, add one row to ROWS: the URL name, how to call it, and the
status each persona gets. ``test_every_url_pattern_has_a_row`` fails until you do.
Outsiders get 404, never 403, so that an agreement's existence does not leak.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from samverkan.accounts.models import Membership, SignInSession, User
from samverkan.accounts.passwords import password_reset_url
from samverkan.accounts.services import (
    invitation_create,
    invitation_url,
    organisation_create,
    token_create,
)
from samverkan.agreements.models import Agreement, Participant
from samverkan.agreements.services import agreement_create
from samverkan.appendix.services import appendix_publish
from samverkan.collaboration.models import Forum, Process, Role
from samverkan.collaboration.services import (
    escalation_version,
    forum_from_template,
    model_seed,
    objectives_version,
    process_from_template,
)
from samverkan.health import tokens
from samverkan.health.models import Invitation
from samverkan.health.services import health_round_close, health_round_open
from samverkan.negotiation import services as negotiation_services
from samverkan.relationships.services import relationship_set_type
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.health.conftest import enough_people

PERSONAS = ("anonymous", "customer_owner", "supplier_viewer", "other_supplier_user", "org_admin")


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    # anonymous, customer owner, supplier viewer, user of an unrelated supplier, org admin
    expect: tuple[int, int, int, int, int]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    json: bool = False
    content_type: str = ""  # send data (a str) as the raw body with this content type


def _participant(w: World, user: User) -> int:
    return Participant.objects.get(agreement=w.agreement, user=user).pk


def _version(w: World) -> int:
    return Agreement.objects.get(pk=w.agreement.pk).version


def _token(w: World) -> int:
    token, _raw = token_create(user=w.customer_owner, name="Skript")
    return token.pk


def _invitation(w: World) -> str:
    invitation = invitation_create(
        organisation=w.customer,
        email="ny@norrlandia.example",
        role="member",
        invited_by=w.org_admin,
    )
    return invitation_url(invitation).rsplit("/invitation/", 1)[1].rstrip("/")


def _reset_link(w: World) -> dict[str, str]:
    """The e-mailed reset link's parts for a colleague: valid, so every persona is redirected
    to the set-password form (the token moves into the session)."""
    path = password_reset_url(user=w.customer_colleague).split("/accounts/reset/", 1)[1]
    uidb64, token = path.strip("/").split("/")
    return {"uidb64": uidb64, "token": token}


def _sign_in_session(w: World) -> int:
    """A session of the customer owner's in another browser."""
    return SignInSession.objects.create(user=w.customer_owner, session_key="b" * 32).pk


def _passkey(w: World) -> int:
    """A passkey of the customer owner's (no real key: only named or removed here)."""
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.create(
        user=w.customer_owner, name="Laptop", credential_id=b"matrix", public_key=b"-"
    ).pk


def _colleague_membership(w: World) -> int:
    return Membership.objects.get(user=w.customer_colleague, organisation=w.customer).pk


A = lambda w: {"pk": w.agreement.pk}  # noqa: E731
API_A = lambda w: {"agreement_id": w.agreement.pk}  # noqa: E731

ROWS: list[Row] = [
    Row("home", "get", (302, 200, 200, 200, 200)),
    Row("health", "get", (200, 200, 200, 200, 200)),
    Row("favicon", "get", (301, 301, 301, 301, 301)),
    Row("set_language", "post", (302, 302, 302, 302, 302), data=lambda w: {"language": "en"}),
    Row("accounts:login", "get", (200, 302, 302, 302, 302)),
    Row("accounts:logout", "post", (302, 302, 302, 302, 302)),
    Row("accounts:profile", "get", (302, 200, 200, 200, 200)),
    Row("accounts:tokens", "get", (302, 200, 200, 200, 200)),
    Row(
        "accounts:token_revoke",
        "post",
        (302, 302, 404, 404, 404),
        kwargs=lambda w: {"pk": _token(w)},
    ),
    Row(
        "accounts:organisation",
        "get",
        (302, 200, 404, 404, 200),
        kwargs=lambda w: {"pk": w.customer.pk},
    ),
    # Sessions: one's own (another person's: 404); ending all others is always one's own.
    Row(
        "accounts:session_end",
        "post",
        (302, 302, 404, 404, 404),
        kwargs=lambda w: {"pk": _sign_in_session(w)},
    ),
    Row("accounts:sessions_end_others", "post", (302, 302, 302, 302, 302)),
    # Two-factor authentication: one's own; the steps redirect when there is nothing to do.
    Row("accounts:two_factor", "get", (302, 200, 200, 200, 200)),
    Row("accounts:two_factor_start", "post", (302, 302, 302, 302, 302)),
    Row("accounts:two_factor_confirm", "post", (302, 302, 302, 302, 302)),
    Row("accounts:two_factor_codes", "post", (302, 302, 302, 302, 302)),
    Row("accounts:two_factor_off", "post", (302, 302, 302, 302, 302)),
    Row("accounts:two_factor_verify", "get", (302, 302, 302, 302, 302)),
    # Passkeys: the ceremonies answer in JSON; they start only where the session may (to
    # register: past its second step; to verify: in it, so never here); one's own passkey.
    Row("accounts:passkey_register_begin", "post", (302, 200, 200, 200, 200)),
    Row("accounts:passkey_register_complete", "post", (302, 400, 400, 400, 400)),
    Row("accounts:passkey_verify_begin", "post", (302, 403, 403, 403, 403)),
    Row("accounts:passkey_verify_complete", "post", (302, 403, 403, 403, 403)),
    Row("accounts:passkey_script_texts", "get", (302, 200, 200, 200, 200)),
    Row(
        "accounts:passkey_name",
        "post",
        (302, 302, 404, 404, 404),
        kwargs=lambda w: {"pk": _passkey(w)},
        data=lambda w: {"name": "Laptop"},
    ),
    Row(
        "accounts:passkey_remove",
        "post",
        (302, 302, 404, 404, 404),
        kwargs=lambda w: {"pk": _passkey(w)},
    ),
    Row(
        "accounts:organisation_two_factor",
        "post",
        (302, 403, 404, 404, 302),
        kwargs=lambda w: {"pk": w.customer.pk},
        data=lambda w: {"required": "1"},
    ),
    # Company sign-in: the provider's page and its answer lead back to the sign-in page
    # unless a sign-in is under way; the organisation's provider is for its administrators.
    Row("accounts:oidc_start", "get", (302, 302, 302, 302, 302)),
    Row("accounts:oidc_callback", "get", (302, 302, 302, 302, 302)),
    Row(
        "accounts:organisation_sign_in",
        "get",
        (302, 403, 404, 404, 200),
        kwargs=lambda w: {"pk": w.customer.pk},
    ),
    Row(
        "accounts:organisation_sign_in_remove",
        "post",
        (302, 403, 404, 404, 302),
        kwargs=lambda w: {"pk": w.customer.pk},
    ),
    Row(
        "accounts:member_remove",
        "post",
        (302, 403, 404, 404, 302),
        kwargs=lambda w: {"pk": w.customer.pk, "membership_pk": _colleague_membership(w)},
    ),
    Row(
        "accounts:invitation_accept",
        "get",
        (200, 200, 200, 200, 200),
        kwargs=lambda w: {"token": _invitation(w)},
    ),
    Row("accounts:password_change", "get", (302, 200, 200, 200, 200)),
    Row("accounts:password_reset", "get", (200, 200, 200, 200, 200)),
    Row("accounts:password_reset_done", "get", (200, 200, 200, 200, 200)),
    Row(
        "accounts:password_reset_confirm",
        "get",
        (302, 302, 302, 302, 302),
        kwargs=_reset_link,
    ),
    Row("agreements:list", "get", (302, 200, 200, 200, 200)),
    Row("agreements:create", "get", (302, 200, 200, 200, 200)),
    # Lists names and numbers of possible counterparts for an organisation one belongs to.
    Row(
        "agreements:counterparts",
        "get",
        (302, 200, 404, 404, 200),
        data=lambda w: {"own_organisation": w.customer.pk, "counterpart_name": "Drift"},
    ),
    Row("agreements:detail", "get", (302, 200, 200, 404, 200), kwargs=A),
    Row("agreements:edit", "get", (302, 200, 403, 404, 403), kwargs=A),
    Row("agreements:end", "get", (302, 200, 403, 404, 403), kwargs=A),
    Row("agreements:history", "get", (302, 200, 200, 404, 200), kwargs=A),
    Row("agreements:history_export", "get", (302, 200, 200, 404, 200), kwargs=A),
    Row("api:agreement_history", "get", (401, 200, 200, 404, 200), kwargs=API_A),
    Row(
        "agreements:participant_add",
        "post",
        (302, 302, 403, 404, 302),
        kwargs=A,
        data=lambda w: {"side": "customer", "user": w.org_admin.pk, "role": "viewer"},
    ),
    Row(
        "agreements:participant_role",
        "post",
        (302, 302, 403, 404, 302),
        kwargs=lambda w: {
            "pk": w.agreement.pk,
            "participant_pk": _participant(w, w.customer_colleague),
        },
        data=lambda w: {"role": "editor"},
    ),
    Row(
        "agreements:participant_remove",
        "post",
        (302, 302, 403, 404, 302),
        kwargs=lambda w: {
            "pk": w.agreement.pk,
            "participant_pk": _participant(w, w.customer_colleague),
        },
    ),
    Row("api:api-root", "get", (404, 404, 404, 404, 404)),
    Row(
        "api_not_found", "get", (404, 404, 404, 404, 404), kwargs=lambda w: {"rest": "agreements/"}
    ),
    Row("api:openapi-json", "get", (200, 200, 200, 200, 200)),
    Row("api:openapi-view", "get", (200, 200, 200, 200, 200)),
    Row("api:agreement_file_schema", "get", (200, 200, 200, 200, 200)),  # no data in it
    Row("api:agreements", "get", (401, 200, 200, 200, 200)),
    Row(
        "api:create_agreement",
        "post",
        (401, 201, 400, 400, 201),
        json=True,
        data=lambda w: {
            "own_organisation_id": w.customer.pk,
            "counterpart_name": "Molnbro Digital AB",
            "reference": "NY-2026",
            "title": "Molnplattform",
        },
    ),
    Row("api:agreement", "get", (401, 200, 200, 404, 200), kwargs=API_A),
    Row(
        "api:update_agreement",
        "patch",
        (401, 200, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: {"version": _version(w), "title": "Ny titel"},
    ),
    Row("api:agreement_end", "post", (401, 200, 403, 404, 403), kwargs=API_A, json=True),
    Row("api:participants", "get", (401, 200, 200, 404, 200), kwargs=API_A),
    Row(
        "api:add_participant",
        "post",
        (401, 201, 403, 404, 201),
        kwargs=API_A,
        json=True,
        data=lambda w: {"email": w.org_admin.email, "side": "customer", "role": "viewer"},
    ),
    Row(
        "api:participant",
        "patch",
        (401, 200, 403, 404, 200),
        kwargs=lambda w: {
            "agreement_id": w.agreement.pk,
            "participant_id": _participant(w, w.customer_colleague),
        },
        json=True,
        data=lambda w: {"role": "editor"},
    ),
    Row(
        "api:remove_participant",
        "delete",
        (401, 204, 403, 404, 204),
        kwargs=lambda w: {
            "agreement_id": w.agreement.pk,
            "participant_id": _participant(w, w.customer_colleague),
        },
    ),
]


def _first(model: Any) -> Callable[[World], int]:
    return lambda w: model.objects.filter(agreement=w.agreement).order_by("pk").first().pk


ROLE, FORUM, PROCESS = _first(Role), _first(Forum), _first(Process)
VIEW_PAGE = (302, 200, 200, 404, 200)
EDIT_PAGE = (302, 200, 403, 404, 403)
EDIT_POST = (302, 302, 403, 404, 403)
# Owners only: the organisation's administrator does not own the agreement.
EDIT_PAGE_OWNER = (302, 200, 403, 404, 403)
OWN_POST = (302, 302, 403, 404, 403)
API_READ = (401, 200, 200, 404, 200)
API_EDIT = (401, 200, 403, 404, 403)

ROWS += [
    Row("collaboration:model", "get", VIEW_PAGE, kwargs=A),
    Row("collaboration:raci", "get", VIEW_PAGE, kwargs=A),
    Row("collaboration:chart", "get", VIEW_PAGE, kwargs=A),
    Row(
        "collaboration:section",
        "get",
        VIEW_PAGE,
        kwargs=lambda w: {"pk": w.agreement.pk, "kind": "roles"},
    ),
    Row("collaboration:objectives", "get", EDIT_PAGE, kwargs=A),
    Row("collaboration:escalation", "get", EDIT_PAGE, kwargs=A),
    Row(
        "collaboration:part_add",
        "get",
        EDIT_PAGE,
        kwargs=lambda w: {"pk": w.agreement.pk, "kind": "roles"},
    ),
    Row(
        "collaboration:part_template",
        "post",
        EDIT_POST,
        kwargs=lambda w: {"pk": w.agreement.pk, "kind": "forums"},
        data=lambda w: {"template": "steering-group"},
    ),
    Row(
        "collaboration:part_edit",
        "get",
        EDIT_PAGE,
        kwargs=lambda w: {"pk": w.agreement.pk, "kind": "roles", "part_pk": ROLE(w)},
    ),
    Row(
        "collaboration:part_move",
        "post",
        EDIT_POST,
        kwargs=lambda w: {"pk": w.agreement.pk, "kind": "forums", "part_pk": FORUM(w)},
        data=lambda w: {"direction": "down"},
    ),
    Row(
        "collaboration:part_delete",
        "post",
        EDIT_POST,
        kwargs=lambda w: {"pk": w.agreement.pk, "kind": "processes", "part_pk": PROCESS(w)},
    ),
    Row("api:decision_types", "get", (401, 200, 200, 200, 200)),
    Row("api:model", "get", API_READ, kwargs=API_A),
    Row(
        "api:objectives",
        "put",
        API_EDIT,
        kwargs=API_A,
        json=True,
        data=lambda w: {
            "version": objectives_version(w.agreement),
            "objectives": ["Hög kvalitet och driftstabilitet"],
        },
    ),
    Row(
        "api:escalation",
        "put",
        API_EDIT,
        kwargs=API_A,
        json=True,
        data=lambda w: {
            "version": escalation_version(w.agreement),
            "steps": [{"forum_id": FORUM(w), "resolve_within_days": 5}],
        },
    ),
    Row("api:roles", "get", API_READ, kwargs=API_A),
    Row(
        "api:role_create",
        "post",
        (401, 201, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: {
            "name": "Säkerhetsansvarig",
            "side": "customer",
            "level": "tactical",
            "orientation": "it",
        },
    ),
    Row(
        "api:role",
        "get",
        API_READ,
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "role_id": ROLE(w)},
    ),
    Row(
        "api:role_update",
        "patch",
        API_EDIT,
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "role_id": ROLE(w)},
        json=True,
        data=lambda w: {"version": 1, "name": "Partneransvarig"},
    ),
    Row(
        "api:role_delete",
        "delete",
        (401, 204, 403, 404, 403),
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "role_id": ROLE(w)},
    ),
    Row("api:forums", "get", API_READ, kwargs=API_A),
    Row(
        "api:forum_create",
        "post",
        (401, 201, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: {"name": "Arkitekturråd", "level": "tactical"},
    ),
    Row(
        "api:forum",
        "get",
        API_READ,
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "forum_id": FORUM(w)},
    ),
    Row(
        "api:forum_update",
        "patch",
        API_EDIT,
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "forum_id": FORUM(w)},
        json=True,
        data=lambda w: {"version": 1, "cadence": "monthly"},
    ),
    Row(
        "api:forum_delete",
        "delete",
        (401, 204, 403, 404, 403),
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "forum_id": FORUM(w)},
    ),
    Row("api:processes", "get", API_READ, kwargs=API_A),
    Row(
        "api:process_create",
        "post",
        (401, 201, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: {"name": "Problemhantering"},
    ),
    Row(
        "api:process",
        "get",
        API_READ,
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "process_id": PROCESS(w)},
    ),
    Row(
        "api:process_update",
        "patch",
        API_EDIT,
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "process_id": PROCESS(w)},
        json=True,
        data=lambda w: {"version": 1, "steps": ["Registrera", "Analysera"]},
    ),
    Row(
        "api:process_delete",
        "delete",
        (401, 204, 403, 404, 403),
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "process_id": PROCESS(w)},
    ),
]
NEW_AGREEMENT_FILE = """samverkan: 1
agreement:
  reference: NY-2026
  title: Nätverksdrift
  customer: Norrlandia Försäkring AB
  supplier: Driftpartner Norden AB
"""

ROWS += [
    Row("agreements:import", "get", (302, 200, 200, 200, 200)),
    Row("collaboration:file", "get", VIEW_PAGE, kwargs=A),
    Row("api:agreement_file", "get", API_READ, kwargs=API_A),
    # Anyone in either party may import a new agreement for it; others are refused.
    Row(
        "api:agreement_import",
        "post",
        (401, 201, 201, 403, 201),
        data=lambda w: NEW_AGREEMENT_FILE,
        content_type="application/yaml",
    ),
]


def _proposal(w: World) -> dict[str, int]:
    """A proposal to Norrlandia from a supplier none of the personas belongs to: only
    Norrlandia's administrator (org_admin) may read and answer it."""
    proposer = organisation_create(name="Molnbro Digital AB", kind="supplier")
    person = UserFactory(email="sofia@molnbro.example")
    MembershipFactory(user=person, organisation=proposer)
    proposal = agreement_create(
        actor=person,
        own_organisation=proposer,
        counterpart=w.customer,
        reference="MOLN-2026",
        title="Molnplattform",
    )
    return {"pk": proposal.pk}


def _api_proposal(w: World) -> dict[str, int]:
    return {"agreement_id": _proposal(w)["pk"]}


ANSWER = lambda w: {"version": 1}  # noqa: E731  # a new proposal's version
ROWS += [
    Row("agreements:proposal", "get", (302, 404, 404, 404, 200), kwargs=_proposal),
    Row(
        "agreements:proposal_accept",
        "post",
        (302, 404, 404, 404, 302),
        kwargs=_proposal,
        data=ANSWER,
    ),
    Row(
        "agreements:proposal_decline",
        "post",
        (302, 404, 404, 404, 302),
        kwargs=_proposal,
        data=ANSWER,
    ),
    Row("api:proposals", "get", (401, 200, 200, 200, 200)),
    Row("api:proposal", "get", (401, 404, 404, 404, 200), kwargs=_api_proposal),
    Row(
        "api:proposal_accept",
        "post",
        (401, 404, 404, 404, 200),
        kwargs=_api_proposal,
        json=True,
        data=ANSWER,
    ),
    Row(
        "api:proposal_decline",
        "post",
        (401, 404, 404, 404, 200),
        kwargs=_api_proposal,
        json=True,
        data=ANSWER,
    ),
]
ANSWERS = {
    "criticality": "high",
    "customisation": "unique",
    "supplier_innovation": "drive",
    "switching_cost": "high",
    "market_alternatives": "few",
    "business_involvement": "strategic",
    "contract_length": "long",
    "knowledge_dependency": "high",
}
PROFILE = {
    "scorecard_weights": {
        "price": 10,
        "service_level": 15,
        "satisfaction": 15,
        "relationship": 20,
        "shared_vision": 20,
        "innovation": 20,
    },
    "forum_cadence": {"strategic": "quarterly", "tactical": "monthly", "operational": "weekly"},
    "innovation": "joint",
    "ideas_per_quarter": 6,
    "health_check": "quarterly",
    "version": 2,
}
ROWS += [
    Row("relationships:detail", "get", VIEW_PAGE, kwargs=A),
    Row("relationships:questionnaire", "post", EDIT_POST, kwargs=A, data=lambda w: ANSWERS),
    Row(
        "relationships:choose",
        "post",
        EDIT_POST,
        kwargs=A,
        data=lambda w: {
            "type": "business_enhancement",
            "rationale": "Vi vill börja försiktigt.",
            "version": 2,
        },
    ),
    # An incomplete profile is shown again with its errors (200) to editors.
    Row("relationships:profile", "post", EDIT_PAGE, kwargs=A, data=lambda w: {"version": 2}),
    Row("relationships:apply_defaults", "post", EDIT_POST, kwargs=A),
    Row("api:relationship", "get", API_READ, kwargs=API_A),
    Row(
        "api:relationship_update",
        "put",
        API_EDIT,
        kwargs=API_A,
        json=True,
        data=lambda w: {"type": "frontier", "rationale": "", "version": 2},
    ),
    Row(
        "api:relationship_questionnaire",
        "post",
        API_EDIT,
        kwargs=API_A,
        json=True,
        data=lambda w: {"answers": ANSWERS},
    ),
    Row(
        "api:relationship_profile", "put", API_EDIT, kwargs=API_A, json=True, data=lambda w: PROFILE
    ),
    Row("api:relationship_apply_defaults", "post", API_EDIT, kwargs=API_A),
    # Innovation (issue 12): editors of both sides edit the framework; an incomplete
    # form is shown again with its errors (200) to editors.
    Row("innovation:framework", "get", VIEW_PAGE, kwargs=A),
    Row("innovation:edit", "post", EDIT_PAGE, kwargs=A, data=lambda w: {"version": 0}),
    Row("api:innovation_framework", "get", API_READ, kwargs=API_A),
    # An empty framework is refused by the service (400) once access is granted.
    Row(
        "api:innovation_framework_update",
        "put",
        (401, 400, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: {
            "goals": [],
            "criteria": [],
            "deciding_forum": None,
            "customer_lead": None,
            "supplier_lead": None,
            "funding": {"model": "none"},
            "version": 0,
        },
    ),
]


def _idea(w: World) -> int:
    """Idea 1 of the agreement, proposed by the supplier (made once per test)."""
    from samverkan.innovation.idea_services import idea_propose
    from samverkan.innovation.models import Idea

    idea = Idea.objects.filter(agreement=w.agreement, number=1).first()
    if idea is None:
        idea = idea_propose(
            agreement=w.agreement,
            actor=w.supplier_owner,
            title="Automatisera prisändringar",
            area="processes",
            problem="Prisändringar görs för hand.",
            proposal="Ett flöde som uppdaterar portalen.",
            cost=100000,
        )
    return idea.number


IDEA = lambda w: {"pk": w.agreement.pk, "number": _idea(w)}  # noqa: E731
API_IDEA = lambda w: {"agreement_id": w.agreement.pk, "number": _idea(w)}  # noqa: E731
IDEA_FORM = {
    "title": "Självservice för behörigheter",
    "area": "processes",
    "problem": "Behörigheter beställs via e-post.",
    "proposal": "Ett formulär i portalen.",
    "cost": "50000",
}
ROWS += [
    # Ideas (issue 12): editors of both sides propose and move ideas on; viewers read.
    Row("innovation:ideas", "get", VIEW_PAGE, kwargs=A),
    Row("innovation:idea_new", "get", EDIT_PAGE, kwargs=A),
    Row("innovation:idea_new", "post", EDIT_POST, kwargs=A, data=lambda w: IDEA_FORM),
    Row("innovation:idea", "get", VIEW_PAGE, kwargs=IDEA),
    Row(
        "innovation:idea_transition",
        "post",
        EDIT_POST,
        kwargs=IDEA,
        data=lambda w: {"to": "evaluation", "version": 1},
    ),
    # A proposed idea is not referred: the refusal is shown on the idea's page (200).
    Row("innovation:idea_refer", "post", EDIT_PAGE, kwargs=IDEA, data=lambda w: {"version": 1}),
    # The board and the register's export: everyone who sees the agreement reads them;
    # moving a card is an edit (viewers 403).
    Row("innovation:board", "get", VIEW_PAGE, kwargs=A),
    Row(
        "innovation:board_move",
        "post",
        EDIT_POST,
        kwargs=IDEA,
        data=lambda w: {"to": "evaluation", "version": 1},
    ),
    Row("innovation:ideas_export", "get", VIEW_PAGE, kwargs=A),
    Row("api:innovation_ideas", "get", API_READ, kwargs=API_A),
    Row(
        "api:innovation_idea_create",
        "post",
        (401, 201, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: {**IDEA_FORM, "cost": 50000},
    ),
    Row("api:innovation_idea", "get", API_READ, kwargs=API_IDEA),
    Row(
        "api:innovation_idea_transition",
        "post",
        API_EDIT,
        kwargs=API_IDEA,
        json=True,
        data=lambda w: {"to": "evaluation", "version": 1},
    ),
    Row(
        "api:innovation_idea_refer",
        "post",
        (401, 400, 403, 404, 403),
        kwargs=API_IDEA,
        json=True,
        data=lambda w: {"version": 1},
    ),
]


def _evaluating(w: World) -> int:
    """Idea 1 under evaluation with the customer owner chosen as evaluator; its version.

    The matrix's agreement has no framework, so a score is refused for want of criteria
    (the page shows it: 200; the API: 400) once access is granted."""
    from samverkan.innovation.evaluation_services import evaluators_choose
    from samverkan.innovation.idea_services import idea_transition
    from samverkan.innovation.models import Idea

    idea = Idea.objects.get(agreement=w.agreement, number=_idea(w))
    if idea.stage == "proposed":
        idea_transition(idea=idea, actor=None, to="evaluation", version=idea.version)
        evaluators_choose(idea=idea, actor=None, users=[w.customer_owner], version=idea.version)
    idea.refresh_from_db()
    return idea.version


def _pdf() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("Offert.pdf", b"%PDF-1.7\n%%EOF\n")}


def _attachment(w: World) -> int:
    """A file attached to idea 1 by nobody in particular (made once per test)."""
    from samverkan.innovation.attachment_services import attachment_add
    from samverkan.innovation.models import Attachment, Idea

    idea = Idea.objects.get(agreement=w.agreement, number=_idea(w))
    found = Attachment.objects.filter(idea=idea).first()
    if found is None:
        found = attachment_add(idea=idea, actor=None, upload=_pdf()["file"])
    return found.pk


ATTACHMENT = lambda w: {**IDEA(w), "attachment": _attachment(w)}  # noqa: E731
API_ATTACHMENT = lambda w: {**API_IDEA(w), "attachment_id": _attachment(w)}  # noqa: E731

ROWS += [
    # Evaluation (issue 12, point 4): editors choose evaluators and close; only a chosen
    # evaluator scores; viewers score nothing.
    Row(
        "innovation:idea_evaluators",
        "post",
        EDIT_POST,
        kwargs=IDEA,
        data=lambda w: {"evaluators": [w.customer_owner.pk], "version": 1},
    ),
    Row(
        "innovation:idea_score",
        "post",
        EDIT_PAGE,
        kwargs=IDEA,
        data=lambda w: {"version": _evaluating(w)},
    ),
    Row(
        "innovation:idea_evaluation_close",
        "post",
        EDIT_POST,
        kwargs=IDEA,
        data=lambda w: {"version": _evaluating(w)},
    ),
    Row("api:innovation_idea_evaluation", "get", API_READ, kwargs=API_IDEA),
    Row(
        "api:innovation_idea_evaluators",
        "put",
        API_EDIT,
        kwargs=API_IDEA,
        json=True,
        data=lambda w: {"evaluators": [w.customer_owner.email], "version": 1},
    ),
    Row(
        "api:innovation_idea_scores",
        "put",
        (401, 400, 403, 404, 403),
        kwargs=API_IDEA,
        json=True,
        data=lambda w: {"scores": {"x": _evaluating(w) and 3}},
    ),
    Row(
        "api:innovation_idea_evaluation_close",
        "post",
        API_EDIT,
        kwargs=API_IDEA,
        json=True,
        data=lambda w: {"version": _evaluating(w)},
    ),
    Row("api:innovation_ranking", "get", API_READ, kwargs=API_A),
    # Editing an idea (issue 12, point 2): editors of either side; viewers 403.
    Row("innovation:idea_edit", "get", EDIT_PAGE, kwargs=IDEA),
    Row(
        "innovation:idea_edit",
        "post",
        EDIT_POST,
        kwargs=IDEA,
        data=lambda w: {**IDEA_FORM, "version": 1},
    ),
    Row(
        "api:innovation_idea_update",
        "put",
        API_EDIT,
        kwargs=API_IDEA,
        json=True,
        data=lambda w: {**IDEA_FORM, "cost": 50000, "version": 1},
    ),
    # An idea's attachments: participants of both sides download, editors attach, the
    # uploader's side removes (a file attached by nobody: an editor of either side).
    Row("innovation:idea_attachments", "post", EDIT_POST, kwargs=IDEA, data=lambda w: _pdf()),
    Row("innovation:idea_attachment", "get", VIEW_PAGE, kwargs=ATTACHMENT),
    Row("innovation:idea_attachment_remove", "post", EDIT_POST, kwargs=ATTACHMENT),
    Row("api:innovation_attachments", "get", API_READ, kwargs=API_IDEA),
    Row(
        "api:innovation_attachment_upload",
        "post",
        (401, 201, 403, 404, 403),
        kwargs=API_IDEA,
        data=lambda w: _pdf(),
    ),
    Row("api:innovation_attachment", "get", API_READ, kwargs=API_ATTACHMENT),
    Row(
        "api:innovation_attachment_delete",
        "delete",
        (401, 204, 403, 404, 403),
        kwargs=API_ATTACHMENT,
    ),
    Row("innovation:rate", "get", VIEW_PAGE, kwargs=A),
    Row("api:innovation_rate", "get", API_READ, kwargs=API_A),
]


def _measured(w: World) -> int:
    """Idea 1 implemented and its realised effect recorded (so it is measured); the
    effect's version, for a correction."""

    from samverkan.innovation.effect_services import effect_record
    from samverkan.innovation.idea_services import idea_transition
    from samverkan.innovation.models import Idea, RealisedEffect, Stage

    idea = Idea.objects.get(agreement=w.agreement, number=_idea(w))
    if idea.stage != Stage.MEASURED:
        idea_transition(idea=idea, actor=None, to=Stage.EVALUATION, version=None)
        # Without a framework no forum may approve: the approval is written directly.
        Idea.objects.filter(pk=idea.pk).update(stage=Stage.APPROVED)
        for to in (Stage.IMPLEMENTATION, Stage.IMPLEMENTED):
            idea_transition(idea=idea, actor=None, to=to, version=None)
        idea.refresh_from_db()
        effect_record(
            idea=idea,
            actor=None,
            realised="30",
            measured_on=timezone.localdate(),
            evidence="Tidrapporterna.",
            version=idea.version,
        )
    return RealisedEffect.objects.get(idea=idea).version


def _fund_line(w: World) -> int:
    """A contribution in the agreement's ledger (the matrix's agreement has no framework,
    so the line is written directly)."""
    import datetime

    from samverkan.innovation.models import FundEntry

    entry = FundEntry.objects.create(
        agreement=w.agreement,
        kind="contribution",
        side="customer",
        on=datetime.date(2026, 1, 30),
        amount=100000,
    )
    return entry.pk


EFFECT_FORM = {"realised": "30", "measured_on": "", "evidence": "Tidrapporterna."}
ROWS += [
    # Realised effects and the fund's ledger (issue 12, points 1 and 6): editors of both
    # sides record them; viewers read. A proposed idea has no effect to record, and the
    # matrix's agreement has no joint fund: refused on the page (400) once access is granted.
    Row(
        "innovation:idea_effect",
        "post",
        (302, 400, 403, 404, 403),
        kwargs=IDEA,
        data=lambda w: {**EFFECT_FORM, "measured_on": str(timezone.localdate()), "version": 1},
    ),
    Row("innovation:effects", "get", VIEW_PAGE, kwargs=A),
    Row(
        "innovation:fund_add",
        "post",
        (302, 400, 403, 404, 403),
        kwargs=A,
        data=lambda w: {
            "kind": "contribution",
            "side": "customer",
            "on": "2026-01-30",
            "amount": "100000",
        },
    ),
    Row(
        "innovation:fund_remove",
        "post",
        EDIT_POST,
        kwargs=lambda w: {"pk": w.agreement.pk, "entry": _fund_line(w)},
    ),
    Row(
        "api:innovation_idea_effect",
        "get",
        API_READ,
        kwargs=lambda w: {**API_IDEA(w), "number": _measured(w) and _idea(w)},
    ),
    Row(
        "api:innovation_idea_effect_put",
        "put",
        API_EDIT,
        kwargs=API_IDEA,
        json=True,
        data=lambda w: {
            **EFFECT_FORM,
            "measured_on": str(timezone.localdate()),
            "version": _measured(w),
        },
    ),
    Row("api:innovation_effects", "get", API_READ, kwargs=API_A),
    Row(
        "api:innovation_fund_add",
        "post",
        (401, 400, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: {
            "kind": "contribution",
            "side": "customer",
            "on": "2026-01-30",
            "amount": 100000,
        },
    ),
    Row(
        "api:innovation_fund_remove",
        "delete",
        (401, 204, 403, 404, 403),
        kwargs=lambda w: {"agreement_id": w.agreement.pk, "entry_id": _fund_line(w)},
    ),
]


def _people(w: World) -> int:
    """Idea 1 approved, its people impact recorded (version 1) with one engagement action;
    the action's id. The matrix's agreement has no framework, so the approval and the
    record are written directly."""
    import datetime

    from samverkan.innovation.models import EngagementAction, Idea, PeopleImpact

    idea = Idea.objects.get(agreement=w.agreement, number=_idea(w))
    if idea.stage != "approved":
        Idea.objects.filter(pk=idea.pk).update(stage="approved")
        PeopleImpact.objects.create(
            idea=idea, agreement=w.agreement, affected_groups="Kundtjänst", resistance="low"
        )
        EngagementAction.objects.create(
            idea=idea,
            agreement=w.agreement,
            action="Workshop med kundtjänst",
            owner=w.customer_owner,
            due=datetime.date(2027, 3, 15),
        )
    return EngagementAction.objects.get(idea=idea).pk


PEOPLE_ACTION = lambda w: {**IDEA(w), "action": _people(w)}  # noqa: E731
ROWS += [
    # People impact (issue 12, point 5): editors of both sides record it and its
    # engagement actions on an approved idea; viewers read.
    Row(
        "innovation:idea_people",
        "post",
        EDIT_POST,
        kwargs=lambda w: {**IDEA(w), "number": _people(w) and _idea(w)},
        data=lambda w: {
            "people-affected_groups": "Kundtjänst och skadehandläggarna",
            "people-resistance": "medium",
            "people-resistance_reason": "Nya rutiner.",
            "people-version": 1,
        },
    ),
    Row(
        "innovation:idea_people_action_add",
        "post",
        EDIT_POST,
        kwargs=lambda w: {**IDEA(w), "number": _people(w) and _idea(w)},
        data=lambda w: {
            "new-action": "Pilotgrupp",
            "new-owner": w.supplier_owner.pk,
            "new-due": "2027-04-01",
            "new-version": 1,
        },
    ),
    Row(
        "innovation:idea_people_action_edit",
        "post",
        EDIT_POST,
        kwargs=PEOPLE_ACTION,
        data=lambda w: {
            f"action-{_people(w)}-action": "Workshop med alla",
            f"action-{_people(w)}-owner": w.customer_owner.pk,
            f"action-{_people(w)}-due": "2027-03-20",
            f"action-{_people(w)}-version": 1,
        },
    ),
    Row(
        "innovation:idea_people_action_mark",
        "post",
        EDIT_POST,
        kwargs=PEOPLE_ACTION,
        data=lambda w: {"version": 1, "done": "on"},
    ),
    Row(
        "innovation:idea_people_action_remove",
        "post",
        EDIT_POST,
        kwargs=PEOPLE_ACTION,
        data=lambda w: {"version": 1},
    ),
    Row("api:innovation_idea_people", "get", API_READ, kwargs=API_IDEA),
    Row(
        "api:innovation_idea_people_update",
        "put",
        API_EDIT,
        kwargs=lambda w: {**API_IDEA(w), "number": _people(w) and _idea(w)},
        json=True,
        data=lambda w: {
            "affected_groups": "Kundtjänst",
            "resistance": "high",
            "resistance_reason": "Nya rutiner.",
            "actions": [
                {"action": "Workshop", "owner": w.customer_owner.email, "due": "2027-03-15"}
            ],
            "version": 1,
        },
    ),
]


V1 = lambda w: {"pk": w.agreement.pk, "number": 1}  # noqa: E731
API_V1 = lambda w: {"agreement_id": w.agreement.pk, "number": 1}  # noqa: E731


def _after_a_change(w: World, data: dict[str, Any]) -> dict[str, Any]:
    """Change the model first: a version identical to version 1 is refused (400)."""
    from samverkan.collaboration.services import objectives_set

    objectives_set(agreement=w.agreement, actor=None, texts=["Nytt mål"])
    return data


ROWS += [
    Row("appendix_rules", "get", (302, 200, 200, 200, 200)),
    Row("appendix:appendix", "get", VIEW_PAGE, kwargs=A),
    Row(
        "appendix:publish",
        "post",
        EDIT_POST,
        kwargs=A,
        data=lambda w: _after_a_change(w, {"change_summary": "Ny version", "accept_errors": "on"}),
    ),
    Row("appendix:preview", "get", VIEW_PAGE, kwargs=A),
    Row(
        "appendix:draft_download",
        "get",
        VIEW_PAGE,
        kwargs=lambda w: {"pk": w.agreement.pk, "fmt": "docx"},
    ),
    Row("appendix:diff", "get", VIEW_PAGE, kwargs=A),
    Row("appendix:version", "get", VIEW_PAGE, kwargs=V1),
    # Approving is for owners, confirmed; the customer owner approves for the customer side.
    Row(
        "appendix:approve",
        "post",
        (302, 302, 403, 404, 403),
        kwargs=V1,
        data=lambda w: {"confirm": "on"},
    ),
    Row(
        "appendix:version_download",
        "get",
        VIEW_PAGE,
        kwargs=lambda w: {"pk": w.agreement.pk, "number": 1, "fmt": "pdf"},
    ),
    Row("api:appendix_check", "get", API_READ, kwargs=API_A),
    Row("api:appendix_versions", "get", API_READ, kwargs=API_A),
    Row(
        "api:appendix_publish",
        "post",
        (401, 201, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: _after_a_change(w, {"change_summary": "Ny version", "accept_errors": True}),
    ),
    Row("api:appendix_approve", "post", API_EDIT, kwargs=API_V1),
    Row("api:appendix_version_document", "get", API_READ, kwargs=API_V1),
    Row("api:appendix_draft_document", "get", API_READ, kwargs=API_A),
    Row("api:appendix_diff", "get", API_READ, kwargs=API_A, data=lambda w: {"a": 1, "b": 1}),
]


def _survey_token(w: World) -> dict[str, str]:
    invitation = Invitation.objects.filter(round__agreement=w.agreement).first()
    assert invitation is not None
    return {"token": tokens.token_for(invitation.nonce)}


def _round_form(w: World) -> dict[str, Any]:
    return {
        "title": "Hälsokontroll våren 2027",
        "closes_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "participants": list(
            Participant.objects.filter(agreement=w.agreement).values_list("pk", flat=True)
        ),
        "threshold": 3,
    }


ROWS += [
    Row("health:health", "get", VIEW_PAGE, kwargs=A),
    Row("health:round_new", "get", EDIT_PAGE_OWNER, kwargs=A),
    Row("health:round_new", "post", OWN_POST, kwargs=A, data=_round_form),
    Row("health:round", "get", VIEW_PAGE, kwargs=V1),
    Row("health:round_close", "post", OWN_POST, kwargs=V1),
    Row("health:round_remind", "post", OWN_POST, kwargs=V1),
    # The questions before closing and reminding; round 1 is closed, so owners go back to it.
    Row("health:round_close", "get", OWN_POST, kwargs=V1),
    Row("health:round_remind", "get", OWN_POST, kwargs=V1),
    Row(
        "health:round_export",
        "get",
        VIEW_PAGE,
        kwargs=lambda w: {"pk": w.agreement.pk, "number": 1, "fmt": "xlsx"},
    ),
    Row("health_instrument", "get", (302, 200, 200, 200, 200)),
    # The personal link is the credential: anyone holding it reaches the survey.
    Row("health_survey", "get", (200, 200, 200, 200, 200), kwargs=_survey_token),
    Row("api:health_rounds", "get", API_READ, kwargs=API_A),
    Row(
        "api:health_round_open",
        "post",
        (401, 201, 403, 404, 403),
        kwargs=API_A,
        json=True,
        data=lambda w: {
            "title": "Hälsokontroll våren 2027",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        },
    ),
    Row("api:health_round", "get", API_READ, kwargs=API_V1),
    Row("api:health_round_close", "post", API_EDIT, kwargs=API_V1),
    Row("api:health_round_remind", "post", API_EDIT, kwargs=API_V1),
    Row("api:health_round_results", "get", API_READ, kwargs=API_V1),
]


def _brief_case(w: World) -> int:
    """A negotiation case of Norrlandia's that only the customer's owner is on: the
    counterparty, a third organisation and Norrlandia's own administrator get 404."""
    case = negotiation_services.case_create(
        organisation=w.customer,
        actor=w.customer_owner,
        title="Förnyelse av driftavtalet",
        kind="renewal",
        agreement=w.agreement,
    )
    return case.pk


CASE_ONLY = (302, 200, 404, 404, 404)  # a negotiation case's page: its members only
API_CASE_ONLY = (401, 200, 404, 404, 404)
ROWS += [
    Row(
        "negotiation:brief",
        "get",
        CASE_ONLY,
        kwargs=lambda w: {"pk": _brief_case(w), "fmt": "docx"},
    ),
    # Everyone lists their own cases (none, for those on no case).
    Row("api:negotiation_cases", "get", (401, 200, 200, 200, 200)),
    Row(
        "api:negotiation_case",
        "get",
        API_CASE_ONLY,
        kwargs=lambda w: {"case_id": _brief_case(w)},
    ),
    Row(
        "api:negotiation_brief",
        "get",
        API_CASE_ONLY,
        kwargs=lambda w: {"case_id": _brief_case(w)},
        data=lambda w: {"format": "docx"},
    ),
]


def _case(w: World) -> int:
    """The customer owner's negotiation case on the agreement (made once per test). Nobody
    else of the personas is on it: the supplier, the other supplier and the customer's
    own administrator all get 404 (an invited adviser: tests/negotiation/test_privacy.py)."""
    from samverkan.negotiation.models import Case
    from samverkan.negotiation.services import case_create

    found = Case.objects.filter(organisation=w.customer).first()
    if found is None:
        found = case_create(
            organisation=w.customer,
            actor=w.customer_owner,
            title="Förnyelse av driftavtalet",
            kind="renewal",
            agreement=w.agreement,
        )
    return found.pk


def _case_version(w: World) -> int:
    from samverkan.negotiation.models import Case

    return Case.objects.get(pk=_case(w)).version


def _case_member(w: World) -> int:
    from samverkan.negotiation.models import Member

    return Member.objects.get(case_id=_case(w), user=w.customer_owner).pk


def _case_document(w: World) -> int:
    from samverkan.negotiation.document_services import document_add
    from samverkan.negotiation.models import Case, Document

    found = Document.objects.filter(case_id=_case(w)).first()
    if found is None:
        case = Case.objects.get(pk=_case(w))
        found = document_add(case=case, actor=w.customer_owner, upload=_pdf()["file"])
    return found.pk


CASE = lambda w: {"pk": _case(w)}  # noqa: E731
# A negotiation case: its members only; everyone else 404, the organisation's admin too.
CASE_PAGE = (302, 200, 404, 404, 404)
CASE_POST = (302, 302, 404, 404, 404)

ROWS += [
    Row("negotiation:cases", "get", (302, 200, 200, 200, 200)),
    Row("negotiation:new", "get", (302, 200, 200, 200, 200)),
    Row("negotiation:case", "get", CASE_PAGE, kwargs=CASE),
    Row("negotiation:step", "get", CASE_PAGE, kwargs=lambda w: {**CASE(w), "step": "context"}),
    Row(
        "negotiation:step",
        "post",
        CASE_POST,
        kwargs=lambda w: {**CASE(w), "step": "challenge"},
        data=lambda w: {"version": _case_version(w), "problem": "Tillgängligheten sjunker."},
    ),
    Row("negotiation:members", "get", CASE_PAGE, kwargs=CASE),
    Row(
        "negotiation:member_add",
        "post",
        CASE_POST,
        kwargs=CASE,
        data=lambda w: {"email": w.customer_colleague.email, "role": "Ekonomi"},
    ),
    Row(
        "negotiation:member_change",
        "post",
        CASE_POST,
        kwargs=lambda w: {**CASE(w), "member": _case_member(w)},
        data=lambda w: {
            f"m{_case_member(w)}-role": "Förhandlingsledare",
            f"m{_case_member(w)}-owner": "on",
        },
    ),
    # The last owner is not removed (the page says why): a redirect back to the team.
    Row(
        "negotiation:member_remove",
        "post",
        CASE_POST,
        kwargs=lambda w: {**CASE(w), "member": _case_member(w)},
    ),
    Row("negotiation:documents", "post", CASE_POST, kwargs=CASE, data=lambda w: _pdf()),
    Row(
        "negotiation:document",
        "get",
        CASE_PAGE,
        kwargs=lambda w: {**CASE(w), "document": _case_document(w)},
    ),
    Row(
        "negotiation:document_remove",
        "post",
        CASE_POST,
        kwargs=lambda w: {**CASE(w), "document": _case_document(w)},
    ),
]
ROWS_BY_NAME = {row.name: row for row in ROWS}

# The Django admin is for the operator's staff accounts only; none of the personas is staff.
ADMIN_NAMESPACE = "admin:"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)


ALL_PATTERNS = list(_walk(get_resolver().url_patterns))


def test_every_url_pattern_has_a_row() -> None:
    missing = [
        (name, route)
        for name, route in ALL_PATTERNS
        if not name.startswith(ADMIN_NAMESPACE) and name not in ROWS_BY_NAME
    ]
    assert missing == [], "add a Row to tests/test_access_matrix.py for each of these"
    stale = set(ROWS_BY_NAME) - {name for name, _ in ALL_PATTERNS}
    assert stale == set()


def _persona(world: World, persona: str) -> User | None:
    return None if persona == "anonymous" else getattr(world, persona)


@pytest.fixture
def matrix_world(world: World) -> World:
    # A customer-side viewer for the participant rows to act on.
    Participant.objects.create(
        agreement=world.agreement, user=world.customer_colleague, side="customer", role="viewer"
    )
    # A small collaboration model for the model's rows to act on.
    model_seed(agreement=world.agreement)
    forum_from_template(agreement=world.agreement, actor=None, template="steering-group")
    forum_from_template(agreement=world.agreement, actor=None, template="collaboration-council")
    process_from_template(agreement=world.agreement, actor=None, template="change-management")
    relationship_set_type(agreement=world.agreement, actor=None, type="frontier")  # version 2
    appendix_publish(
        agreement=world.agreement, actor=None, change_summary="Första", accept_errors=True
    )
    health_round_close(
        round=health_round_open(
            agreement=world.agreement,
            actor=None,
            title="Hälsokontroll hösten 2026",
            closes_on=timezone.localdate() + datetime.timedelta(days=7),
            participants=enough_people(world.agreement),  # a side needs more than the threshold
        )
    )
    return world


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_access(row: Row, persona: str, matrix_world: World, client_for: Any) -> None:
    client = client_for(_persona(matrix_world, persona))
    url = reverse(row.name, kwargs=row.kwargs(matrix_world))
    data = row.data(matrix_world)
    call = getattr(client, row.method)
    if row.content_type:
        response = call(url, data=data, content_type=row.content_type)
    elif row.json:
        response = call(url, data=json.dumps(data), content_type="application/json")
    elif row.method == "post":
        response = call(url, data=data)
    else:
        response = call(url, data=data) if data else call(url)
    expected = row.expect[PERSONAS.index(persona)]
    assert response.status_code == expected, response.content[:500]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "route", [route for name, route in ALL_PATTERNS if name.startswith(ADMIN_NAMESPACE)]
)
def test_admin_is_closed_to_every_persona(
    route: str, persona: str, matrix_world: World, client_for: Any
) -> None:
    path = "/" + re.sub(r"<[^>]+>", "1", route).replace("^", "").replace("$", "")
    response = client_for(_persona(matrix_world, persona)).get(path)
    if path == "/admin/login/":  # the admin's own sign-in form, empty of data
        assert response.status_code in (200, 302)
    else:
        assert response.status_code in (302, 404), path
