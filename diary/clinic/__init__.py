"""Clinic mode: clinician accounts, and each patient's revocable consent to be seen by them.

A clinician has an account of their own (``clinician`` table, created by the admin or with a
clinician invite), no diary, and must use a second factor. A patient connects to a clinician with
a short code the clinician gives them, sees who can see the diary and every time each clinician
opened it, and disconnects at once. A clinician sees the report of connected patients only, and
changes nothing of theirs.

- accounts: clinician accounts and their sessions (apart from the patients')
- queries: codes, connections, visits, ``connected_patients``
- dashboard: every connected patient in one list, from their stored summaries (diary.summaries)
- views, sign_in: the clinician's pages (blueprint ``clinic``, /clinic)
- commands: ``admin create-clinician``, ``list-clinicians``, ``remove-second-factor``

The patient's side (connect, the access log, disconnect) is diary.clinicians, at /clinicians.
"""


def init_app(app) -> None:
    from diary.clinic import commands, sign_in, views  # noqa: F401  routes and commands

    app.register_blueprint(views.bp)
