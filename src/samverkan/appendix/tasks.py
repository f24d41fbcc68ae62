"""Background work of the appendix: asking the owners to approve a new version, by e-mail.

In production the database backend (``samverkan db_worker``) runs it; tests and
the demo run it immediately.
"""

from __future__ import annotations

from django_tasks import task

from samverkan.appendix.models import AppendixVersion


@task()
def send_approval_requests(version_id: int) -> int:
    """E-mail the owners of both sides that the version awaits their approval."""
    from samverkan.appendix import services

    version = AppendixVersion.objects.filter(pk=version_id).first()
    return services.approval_requests_send(version=version) if version else 0
