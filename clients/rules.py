"""The client app's named thresholds, and the small pure checks built on them."""

import datetime as dt

# A note received this long after it was written (offline, synced later) is shown as a late entry.
LATE_ENTRY_AFTER = dt.timedelta(hours=24)
# How long a family invitation link works before the team must send a new one.
INVITATION_LIFETIME = dt.timedelta(days=7)
# Notes shown on the client's record page; the full list is one link away.
RECENT_NOTES = 20
# Upcoming visits shown on the record page and to the family.
UPCOMING_VISITS = 10


def is_late(*, written_at: dt.datetime, received_at: dt.datetime) -> bool:
    return received_at - written_at > LATE_ENTRY_AFTER
