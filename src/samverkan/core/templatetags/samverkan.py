"""Template helpers shared by every page."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from samverkan.core import registry
from samverkan.core.formatting import format_money

register = template.Library()


# "1 250 000 kr" / "SEK 1,250,000", for templates; documents call format_money directly.
money = register.filter("money", format_money)


@register.filter
def money_exact(value: Any) -> str:
    """An amount with its öre when it has any ("1 250 000,50 kr"): ledgers, shares."""
    return format_money(value, exact=True)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for filters and paging)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def agreement_tabs(context: dict[str, Any]) -> list[registry.TabLink]:
    """The agreement's tabs, as the capabilities registered them (``registry.Tab``)."""
    from samverkan.agreements.access import agreement_access
    from samverkan.core.requests import request_user

    request: HttpRequest = context["request"]
    access = context.get("access")
    if access is None:  # a page that did not pass it: ask the access module
        access = agreement_access(request_user(request), context["agreement"])
        if access is None:
            return []
    return registry.agreement_tabs(request, access)


_SELECT_WIDGETS = {"Select", "SelectMultiple", "NullBooleanSelect"}


@register.filter
def bs(field: Any) -> str:
    """Render a bound field's widget with Bootstrap classes, marked invalid when it has errors."""
    widget = field.field.widget
    kind = type(widget).__name__
    if kind == "CheckboxInput":
        css = "form-check-input"
    elif kind in _SELECT_WIDGETS:
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    result: str = field.as_widget(attrs={"class": f"{existing} {css}".strip()})
    return result


@register.filter
def is_checkbox(field: Any) -> bool:
    return type(field.field.widget).__name__ == "CheckboxInput"


@register.filter
def status_class(status: str) -> str:
    return {
        "draft": "text-bg-secondary",
        "active": "text-bg-success",
        "ending": "text-bg-warning",
        "ended": "text-bg-dark",
    }.get(status, "text-bg-light")


@register.filter
def object_kind(entry: Any) -> str:
    """The translated name of the kind of object an audit-log entry is about."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    return str(model._meta.verbose_name).capitalize() if model else ""


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping|lookup:key`` – a dictionary value by a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
