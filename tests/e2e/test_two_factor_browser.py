"""Two-factor authentication in a real browser: an administrator requires it, a member who
has not set it up is led to do so before any agreement, then signs in with a code; every
control of the two-factor pages used, in Swedish."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base: str, email: str, path: str = "/agreements/") -> None:
    page.goto(f"{base}{path}")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def _sign_out(page: Page, name: str) -> None:
    page.locator(".navbar .dropdown-toggle", has_text=name).click()
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def _current_code(email: str) -> str:
    device = TOTPDevice.objects.get(user__email=email)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_a_required_second_factor_is_set_up_before_any_agreement_and_then_asked(
    page: Page, live_server: Any, live_world: Any
) -> None:
    base = live_server.url
    world = live_world

    # The administrator requires it for Norrlandia.
    _sign_in(
        page, base, world.org_admin.email, path=f"/accounts/organisations/{world.customer.pk}/"
    )
    page.get_by_role("button", name="Kräv den för alla medlemmar").click()
    expect(page.get_by_role("status").first).to_contain_text("måste nu använda tvåstegsverifiering")
    # He has no authenticator either: led to set one up first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    _sign_out(page, world.org_admin.full_name)

    # Karin signs in with her password: the set-up page, not the agreements, and nothing else.
    _sign_in(page, base, world.customer_owner.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    expect(page.get_by_role("alert")).to_contain_text("Din organisation kräver tvåstegsverifiering")
    page.goto(f"{base}/agreements/{world.agreement.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    expect(page.get_by_text(world.agreement.title)).to_have_count(0)

    page.get_by_role("button", name="Ställ in en autentiseringsapp").click()
    expect(page.get_by_role("img", name="QR-kod för autentiseringsappen")).to_be_visible()
    expect(page.locator(".sv-otp-key")).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$"))
    page.get_by_role("textbox", name="Kod").fill("000000")
    page.get_by_role("button", name="Slå på").click()
    expect(page.locator("#id_code_error")).to_contain_text("Koden stämmer inte")
    page.wait_for_timeout(1200)  # django-otp's pause after a wrong code
    page.get_by_role("textbox", name="Kod").fill(_current_code(world.customer_owner.email))
    page.get_by_role("button", name="Slå på").click()
    codes = page.locator(".sv-recovery-codes li")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text().strip()
    page.get_by_role("link", name="Jag har sparat dem, fortsätt").click()
    expect(page).to_have_url(re.compile(rf"/agreements/{world.agreement.pk}/$"))

    # The page's other controls: new recovery codes, another phone; no turning off.
    page.goto(f"{base}/accounts/profile/")
    page.get_by_role("link", name="Tvåstegsverifiering").click()
    expect(page.get_by_text("Du har 10 oanvända reservkoder.")).to_be_visible()
    expect(page.get_by_role("button", name="Stäng av")).to_have_count(0)
    expect(page.get_by_text("Din organisation kräver den")).to_be_visible()
    page.get_by_role("button", name="Nya reservkoder").click()
    expect(page.locator(".sv-recovery-codes li")).to_have_count(10)
    assert recovery not in page.locator(".sv-recovery-codes").inner_text()
    recovery = page.locator(".sv-recovery-codes li").nth(3).inner_text().strip()
    page.get_by_role("button", name="Byt till en annan telefon").click()
    expect(page.get_by_role("heading", name="Ställ in din autentiseringsapp")).to_be_visible()
    _sign_out(page, world.customer_owner.full_name)

    # The next sign-in asks for a code; cancelling signs out.
    _sign_in(page, base, world.customer_owner.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ange din kod")
    page.get_by_role("button", name="Avbryt och logga ut").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    # A wrong code is refused; a recovery code lets her in, where she was going.
    _sign_in(page, base, world.customer_owner.email)
    page.get_by_role("textbox", name="Kod").fill("123456")
    page.get_by_role("button", name="Verifiera").click()
    expect(page.locator("#id_code_error")).to_contain_text("Koden stämmer inte")
    page.get_by_role("textbox", name="Kod").fill(recovery)
    page.get_by_role("button", name="Verifiera").click()
    expect(page).to_have_url(re.compile(r"/agreements/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtal")
