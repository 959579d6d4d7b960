"""Data submission: uploads validated row by row, limited to the account's areas, confirmed
by their owner and loaded atomically with who and which file recorded; and stakeholder
evidence, moderated and kept apart from the official series."""

from sdgtrack.submission.evidence import Contribution
from sdgtrack.submission.uploads import (
    Submission,
    confirm,
    get_submission,
    list_submissions,
    receive,
)

__all__ = ["Contribution", "Submission", "confirm", "get_submission", "list_submissions",
           "receive"]
