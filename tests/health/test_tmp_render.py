import pytest
from samverkan.health.models import Round


def test_render(make_round, world, client_for):
    r = make_round(
        customer=[4, 4, 5],
        supplier=[2, 3, 2, 3],
        recommend={"customer": [9, 10, 6], "supplier": [1, 2, 8, 9]},
    )
    c = client_for(world.customer_owner)
    resp = c.get(f"/agreements/{world.agreement.pk}/health/rounds/{r.number}/")
    assert resp.status_code == 200, resp.content[:3000]
    open("/tmp/round.html", "wb").write(resp.content)
    resp = c.get(f"/agreements/{world.agreement.pk}/health/")
    assert resp.status_code == 200
    resp = c.get(f"/agreements/{world.agreement.pk}/health/rounds/new/")
    assert resp.status_code == 200
    open("/tmp/new.html", "wb").write(resp.content)
    resp = c.get("/health/survey/")
    assert resp.status_code == 200
