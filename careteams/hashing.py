"""Secret link and device tokens: made here, and stored only as their SHA-256.

One helper for every kind (device tokens, team invitations, family invitations), so that a
change to how tokens are made or hashed happens in one place. A token is 32 random bytes, so
a plain SHA-256 is enough: there is nothing to guess that a slow hash would protect.
"""

import hashlib
import secrets


def token_new() -> str:
    """A fresh random token (43 URL-safe characters), to show once and never store."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: 64 hex characters."""
    return hashlib.sha256(token.encode()).hexdigest()
