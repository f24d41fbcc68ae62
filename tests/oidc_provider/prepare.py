"""Migrate the test provider's database and register its clients and people (JSON argv[1])."""

from __future__ import annotations

import json
import sys

import django


def main() -> None:
    config = json.loads(sys.argv[1])
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for client_id in config["clients"]:
        Application.objects.create(
            name=client_id,
            client_id=client_id,
            client_secret=config["secret"],
            hash_client_secret=False,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(config["redirect_uris"]),
            post_logout_redirect_uris=" ".join(
                uri.replace("/oidc/callback/", "/login/") for uri in config["redirect_uris"]
            ),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
    for person in config["people"]:
        User.objects.create_user(**person)


if __name__ == "__main__":
    main()
