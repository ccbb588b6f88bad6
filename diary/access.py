"""Ownership: one helper that every patient-facing view uses to look a row up."""

from flask import abort
from flask_login import current_user

from diary.db import get_session


def owned_or_404(model, row_id: int):
    """The ``model`` row with ``row_id`` if it belongs to the logged-in patient, else 404.

    Another patient's row answers exactly like a missing one, so ids reveal nothing.
    """
    row = get_session().get(model, row_id)
    if row is None or row.patient_id != current_user.id:
        abort(404)
    return row
