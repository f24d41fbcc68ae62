"""Background work of accounts: the password-reset e-mail, run by the task queue.

In production the database backend (``samverkan db_worker``) runs it; tests and
the demo run it immediately.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_password_reset(email: str) -> int:
    from samverkan.accounts import passwords

    return passwords.password_reset_send(email=email)
