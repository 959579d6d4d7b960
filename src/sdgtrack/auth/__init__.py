"""Who may write: accounts and roles, passwords (argon2), web sessions with CSRF tokens, API
tokens, and sign-in rate limiting. Everything is kept in the store file."""

from sdgtrack.auth.accounts import (
    Role,
    User,
    add_user,
    authenticate,
    get_user,
    has_accounts,
    list_users,
    require_user,
    set_areas,
    set_disabled,
    set_password,
)
from sdgtrack.auth.ratelimit import SignInLimiter, StoredLimiter
from sdgtrack.auth.tokens import (
    Session,
    end_session,
    issue_token,
    revoke_token,
    same,
    session_of,
    start_session,
    token_user,
    tokens_of,
)

__all__ = [
    "Role",
    "Session",
    "SignInLimiter",
    "StoredLimiter",
    "User",
    "add_user",
    "authenticate",
    "end_session",
    "get_user",
    "has_accounts",
    "issue_token",
    "list_users",
    "require_user",
    "revoke_token",
    "same",
    "session_of",
    "set_areas",
    "set_disabled",
    "set_password",
    "start_session",
    "token_user",
    "tokens_of",
]
