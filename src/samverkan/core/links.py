"""Links from data files into the product: "model#forums" → the model page's forums section.

The completeness rules and the intervention playbook name where a fix is made
with these keys; this is the one place that turns them into URLs. Each
capability registers the keys of its own pages (``register_link`` in its
``AppConfig.ready()``), so core names no capability's page.
"""

from __future__ import annotations

from django.urls import reverse

_targets: dict[str, tuple[str, str]] = {}


def register_link(key: str, url_name: str, anchor: str = "") -> None:
    """Make ``key`` lead to ``url_name`` (reversed with the agreement's id) and ``anchor``."""
    existing = _targets.get(key)
    if existing is not None and existing != (url_name, anchor):
        raise ValueError(f"link {key!r} is registered twice")
    _targets[key] = (url_name, anchor)


def link_keys() -> frozenset[str]:
    return frozenset(_targets)


def agreement_link(agreement_pk: int, link: str) -> str:
    """The URL of ``link`` for an agreement; an unknown key links to the agreement's overview."""
    name, anchor = _targets.get(link, ("agreements:detail", ""))
    return reverse(name, kwargs={"pk": agreement_pk}) + anchor
