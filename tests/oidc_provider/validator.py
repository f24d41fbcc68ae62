"""The test provider's claims, and the clients for which it misbehaves on purpose.

``email`` and ``email_verified`` come from the provider's user (a user whose last
name is ``unverified`` has an unverified address). Three clients get a broken ID
token, so that Samverkan's checks of a real provider's answer can be seen to refuse
it: signed with a key the provider never published, issued to another audience,
or already expired.
"""

from __future__ import annotations

import json
import time
from typing import Any

from jwcrypto import jwk, jwt
from jwcrypto.common import base64url_decode
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.server import EXPIRED, WRONG_AUDIENCE, WRONG_SIGNATURE


class CompanyValidator(OAuth2Validator):  # type: ignore[misc]
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.last_name != "unverified",
            "name": user.first_name,
        }

    def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> Any:
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        client_id = request.client.client_id
        if client_id == WRONG_AUDIENCE:
            claims["aud"] = "another-application"
        elif client_id == EXPIRED:
            claims["iat"] = int(time.time()) - 7200
            claims["exp"] = int(time.time()) - 3600
        return claims, expiration_time

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any) -> str:
        signed = str(super().finalize_id_token(id_token, token, token_handler, request))
        if request.client.client_id != WRONG_SIGNATURE:
            return signed
        # The same header (with the published key's id) and claims, signed with another key.
        header_part, claims_part, _signature = signed.split(".")
        header = json.loads(base64url_decode(header_part))
        claims = json.loads(base64url_decode(claims_part))
        forged = jwt.JWT(header=header, claims=claims)
        forged.make_signed_token(jwk.JWK.generate(kty="RSA", size=2048))
        return str(forged.serialize())
