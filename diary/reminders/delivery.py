"""Sending what is due: one pass over every patient with reminders on (``admin send-reminders``).

Safe to run twice at once: each reminder is first claimed by inserting its row into
``reminder_sent``, whose unique (patient, kind, reference) lets only one INSERT win; only the
claims that come back are sent. A reminder whose sending fails stays claimed: a patient may miss
one, never get one twice.

A reminder says "Time to log today's pain" and carries a link, nothing more: it shows on lock
screens and in mail previews.
"""

import json
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from itsdangerous import URLSafeSerializer
from pywebpush import WebPushException, webpush
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from diary import days, mail
from diary.models import (
    Entry, Infusion, InfusionSeries, Patient, PushSubscription, ReminderSent, ReminderSetting,
)
from diary.reminders import vapid
from diary.reminders.due import InfusionStart, PatientReminders, Reminder, due_reminders, parse_times
from diary.treatments.series import PGIC_AFTER_DAYS

MESSAGE = "Time to log today's pain"
PUSH_GONE = (404, 410)  # the push service says the subscription no longer exists
log = logging.getLogger("diary.reminders")

SETTING, PATIENT, ENTRY = ReminderSetting.__table__, Patient.__table__, Entry.__table__
INFUSION, SERIES = Infusion.__table__, InfusionSeries.__table__
SUBSCRIPTION, SENT = PushSubscription.__table__, ReminderSent.__table__


def unsubscribe_token(app: Flask, patient_id: int) -> str:
    return URLSafeSerializer(app.config["SECRET_KEY"], salt="reminder-unsubscribe").dumps(patient_id)


def unsubscribed_patient(app: Flask, token: str) -> int | None:
    try:
        return URLSafeSerializer(app.config["SECRET_KEY"], salt="reminder-unsubscribe").loads(token)
    except Exception:  # itsdangerous.BadData and malformed input alike: not a valid link
        return None


def patients_to_remind(connection: Connection, now: datetime) -> list[PatientReminders]:
    """Everyone with a channel on, with what decides their reminders: a query per table."""
    rows = connection.execute(
        select(SETTING, PATIENT.c.time_zone).join(PATIENT, PATIENT.c.id == SETTING.c.patient_id)
        .where(or_(SETTING.c.by_email, SETTING.c.by_push))).all()
    # Once per zone, not per patient: loading a zone is the slowest step of a pass.
    zone_now = {zone: now.astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)
                for zone in {row.time_zone for row in rows}}
    local_now = {row.patient_id: zone_now[row.time_zone] for row in rows}
    todays = {moment.date() for moment in local_now.values()}
    reminded = SETTING.c.patient_id == ENTRY.c.patient_id
    logged = {tuple(row) for row in connection.execute(  # plain tuples: Rows hash slowly
        select(ENTRY.c.patient_id, ENTRY.c.day).join(SETTING, reminded)
        .where(ENTRY.c.day.in_(sorted(todays))))} if todays else set()
    infusions, pgic_due = follow_ups(connection, min(todays, default=now.date()))
    patients = []
    for row in rows:
        moment = local_now[row.patient_id]
        patients.append(PatientReminders(
            patient_id=row.patient_id, local_now=moment, times=parse_times(row.times),
            logged_today=(row.patient_id, moment.date()) in logged, after_infusion=row.after_infusion,
            quiet_from=row.quiet_from, quiet_until=row.quiet_until, snoozed_day=row.snoozed_day,
            infusions=tuple(infusions[row.patient_id]),
            pgic_due_series=tuple(series_id for series_id, due_day in pgic_due[row.patient_id]
                                  if moment.date() > due_day)))
    return patients


def follow_ups(connection: Connection, earliest_today):
    """Recent infusions missing a later pain, and series waiting for their impression of change
    (with the last day before it is due), of patients who asked for follow-ups."""
    wants = and_(SETTING.c.patient_id == SERIES.c.patient_id, SETTING.c.after_infusion)
    infusions = defaultdict(list)
    for row in connection.execute(
            select(SERIES.c.patient_id, INFUSION.c.id, INFUSION.c.series_id, INFUSION.c.day,
                   INFUSION.c.start_time, INFUSION.c.pain_2h, INFUSION.c.pain_24h)
            .join(SERIES, SERIES.c.id == INFUSION.c.series_id).join(SETTING, wants)
            .where(INFUSION.c.day >= earliest_today - timedelta(days=2),
                   or_(INFUSION.c.pain_2h.is_(None), INFUSION.c.pain_24h.is_(None)))):
        infusions[row.patient_id].append(InfusionStart(
            row.id, row.series_id, datetime.combine(row.day, row.start_time),
            row.pain_2h is None, row.pain_24h is None))
    # As diary.treatments.series.pgic_due: due once the after window has passed since the last
    # infusion (an infusion entered today makes it wait a day: more may be coming).
    pgic_due = defaultdict(list)
    for row in connection.execute(
            select(SERIES.c.patient_id, SERIES.c.id, INFUSION.c.day, INFUSION.c.created_at)
            .join(INFUSION, INFUSION.c.series_id == SERIES.c.id).join(SETTING, wants)
            .where(SERIES.c.pgic.is_(None)).order_by(SERIES.c.id)):
        last = row.day + timedelta(days=PGIC_AFTER_DAYS)
        entered = row.created_at.date()  # UTC: a day late at most, never early
        series = pgic_due[row.patient_id]
        if series and series[-1][0] == row.id:
            series[-1] = (row.id, max(series[-1][1], last, entered))
        else:
            series.append((row.id, max(last, entered)))
    return infusions, pgic_due


def claim(connection: Connection, reminders: list[Reminder]) -> list[Reminder]:
    """Insert a row for each reminder; the ones this call inserted are the ones it may send."""
    if not reminders:
        return []
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(SENT).on_conflict_do_nothing()
                 .returning(SENT.c.patient_id, SENT.c.kind, SENT.c.reference))
    won = {tuple(row) for row in connection.execute(statement, [
        {"patient_id": reminder.patient_id, "kind": reminder.kind, "reference": reminder.reference,
         "sent_at": days.utc_now()} for reminder in reminders])}
    connection.commit()  # claimed before anything is sent
    return [reminder for reminder in reminders
            if (reminder.patient_id, reminder.kind, reminder.reference) in won]


class Postman:
    """Delivers claimed reminders by e-mail and Web Push."""

    def __init__(self, app: Flask):
        self.app = app
        self.base = app.config["PUBLIC_URL"]
        self.vapid_key = vapid.private_key(app.instance_path)
        self.claims_subject = self.base or "mailto:admin@localhost"
        self.gone: list[int] = []  # subscriptions the push service no longer knows
        self.smtp = None

    def email(self, address: str, reminder: Reminder) -> None:
        if self.smtp is None:
            self.connection = mail.smtp_connection(self.app)
            self.smtp = self.connection.__enter__()
        unsubscribe = f"{self.base}/reminders/unsubscribe/{unsubscribe_token(self.app, reminder.patient_id)}"
        body = f"{MESSAGE}:\n{self.base}{reminder.path}\n\nNo more reminder e-mails (one tap):\n{unsubscribe}\n"
        self.smtp.send_message(mail.message(self.app, address, MESSAGE, body, {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}))  # RFC 8058

    def push(self, subscription, reminder: Reminder) -> None:
        try:
            webpush({"endpoint": subscription.endpoint,
                     "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
                    data=json.dumps({"title": MESSAGE, "url": reminder.path}),
                    vapid_private_key=self.vapid_key,
                    vapid_claims={"sub": self.claims_subject},  # a new dict: webpush adds aud to it
                    ttl=12 * 3600, timeout=10)
        except WebPushException as error:
            if error.response is not None and error.response.status_code in PUSH_GONE:
                self.gone.append(subscription.id)
            else:
                raise

    def close(self) -> None:
        if self.smtp is not None:
            self.connection.__exit__(None, None, None)
            self.smtp = None


def send_due(app: Flask, connection: Connection, now: datetime, postman) -> list[Reminder]:
    """One pass: work out what is due, claim it, send what this pass claimed. The claimed list."""
    due = [reminder for patient in patients_to_remind(connection, now) for reminder in due_reminders(patient)]
    claimed = claim(connection, due)
    if not claimed:
        return []
    patient_ids = sorted({reminder.patient_id for reminder in claimed})
    channels = {row.patient_id: row for row in connection.execute(
        select(SETTING.c.patient_id, SETTING.c.by_email, SETTING.c.by_push, PATIENT.c.email)
        .join(PATIENT, PATIENT.c.id == SETTING.c.patient_id)
        .where(SETTING.c.patient_id.in_(patient_ids)))}
    devices = defaultdict(list)
    for row in connection.execute(select(SUBSCRIPTION).where(SUBSCRIPTION.c.patient_id.in_(patient_ids))):
        devices[row.patient_id].append(row)
    email_on = mail.mail_configured(app)
    for reminder in claimed:
        channel = channels[reminder.patient_id]
        try:
            if channel.by_email and email_on:
                postman.email(channel.email, reminder)
            if channel.by_push:
                for device in devices[reminder.patient_id]:
                    postman.push(device, reminder)
        except Exception as error:  # one patient's failure must not stop the others' reminders
            log.warning("Reminder %s for patient %s not delivered: %s", reminder.kind,
                        reminder.patient_id, type(error).__name__)
    gone = getattr(postman, "gone", [])
    if gone:
        connection.execute(delete(SUBSCRIPTION).where(SUBSCRIPTION.c.id.in_(gone)))
        connection.commit()
        log.info("Dropped %d push subscriptions the push service no longer knows", len(gone))
    return claimed
