"""Issue 21, finding 9: no credential outlives a change to its account. A new password ends
the sessions and revokes the API tokens; disabling an account revokes its tokens, so
enabling it again revives none of them."""

from __future__ import annotations

import pytest

from sdgtrack import auth

import accounts

fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world
NEW_PASSWORD = "a different horse battery"


def _me(world, role: str) -> int:
    return world.client("anonymous").get("/api/v1/me", headers=world.bearer(role)).status_code


def test_a_password_reset_revokes_the_api_tokens(world):
    assert 200 == _me(world, "kz-nso")
    admin = world.client("admin")
    done = admin.post("/admin/users/kz-nso/password",
                      data={"password": NEW_PASSWORD, "csrf": world.csrf("admin")})
    assert 303 == done.status_code
    assert 401 == _me(world, "kz-nso")  # was 200: the token outlived the password
    assert 401 == world.client("kz-nso").get("/submit.json").status_code  # session ended
    assert 200 == _me(world, "np-cbs")  # other accounts keep theirs
    assert all(t["revoked_at"] is not None for t in auth.tokens_of(
        world.store, auth.get_user(world.store, "kz-nso")))


@pytest.mark.parametrize("via", ["web", "core"])
def test_re_enabling_an_account_revives_no_token(world, via):
    assert 200 == _me(world, "np-cbs")
    if via == "web":
        admin = world.client("admin")
        for action in ("disable", "enable"):
            assert 303 == admin.post(f"/admin/users/np-cbs/{action}",
                                     data={"csrf": world.csrf("admin")}).status_code
    else:
        auth.set_disabled(world.store, "np-cbs", True)
        auth.set_disabled(world.store, "np-cbs", False)
    assert 401 == _me(world, "np-cbs")  # was 200 again once enabled
    user = auth.get_user(world.store, "np-cbs")
    assert not user.disabled
    _, fresh = auth.issue_token(world.store, user, "after")
    assert 200 == world.client("anonymous").get(
        "/api/v1/me", headers={"Authorization": f"Bearer {fresh}"}).status_code
