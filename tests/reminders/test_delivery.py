"""Sending reminders with the real protocols: e-mail to an SMTP server on loopback, Web Push to a
push service on loopback that checks the VAPID signature and decrypts the message.

A reminder says "Time to log today's pain" and a link, nothing more; it goes only while the day
is not logged; and no patient ever gets the same reminder twice, even from two runs at once.
"""

import re
import threading
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from diary import days
from diary.models import PushSubscription, ReminderSent, ReminderSetting
from diary.reminders import vapid
from diary.reminders.delivery import Postman, send_due
from tests.conftest import PASSWORD, make_patient
from tests.html import field_error
from tests.reminders.services import PushService

REMINDER_TITLE = "Time to log today's pain"


@pytest.fixture
def reminder_app(make_app, smtp):
    return make_app(**smtp.config(), PUSH_HTTP_ALLOWED=True)


@pytest.fixture
def push(reminder_app):
    with PushService(vapid.public_key(reminder_app.instance_path)) as service:
        yield service


def logged_in(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def alice_client(reminder_app):
    make_patient(reminder_app, "alice@example.com", "Alice", time_zone="Europe/London")
    return logged_in(reminder_app, "alice@example.com")


def send_reminders(app) -> str:
    result = app.test_cli_runner().invoke(args=["admin", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def choose(client, **form):
    response = client.post("/reminders", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_an_email_reminder_says_only_the_message_a_link_and_how_to_stop(reminder_app, alice_client, smtp, clock, db):
    clock.set("2026-03-02T07:00", "Europe/London")
    choose(alice_client, time_1="08:00", by_email="yes")
    assert send_reminders(reminder_app) == "0 reminders sent.\n"  # not yet 08:00 in London

    clock.set("2026-03-02T08:01", "Europe/London")
    assert send_reminders(reminder_app) == "1 reminder sent.\n"
    [mail] = smtp.inbox.messages
    assert smtp.inbox.recipients == [["alice@example.com"]]
    assert mail["Subject"] == REMINDER_TITLE
    body = mail.get_content()
    lines = [line for line in body.splitlines() if line]
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert lines == [f"{REMINDER_TITLE}:", "https://diary.example.org/today",
                     "No more reminder e-mails (one tap):", unsubscribe]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert db.exec(select(ReminderSent.kind, ReminderSent.reference)).all() == [("daily", "2026-03-02 08:00")]

    # One tap, no login: opening the link asks, its button (or the mail app, RFC 8058) stops them.
    path = urlsplit(unsubscribe).path
    anonymous = reminder_app.test_client()
    assert anonymous.get(path).status_code == 200
    assert db.get(ReminderSetting, 1).by_email is True
    assert anonymous.post(path).status_code == 200
    db.expire_all()
    assert db.get(ReminderSetting, 1).by_email is False


def test_a_forged_unsubscribe_link_changes_nothing(reminder_app, alice_client, db):
    choose(alice_client, time_1="08:00", by_email="yes")
    response = reminder_app.test_client().post("/reminders/unsubscribe/MQ.forged-signature")
    assert response.status_code == 404
    db.expire_all()
    assert db.get(ReminderSetting, 1).by_email is True


def subscribe(client, device):
    response = client.post("/reminders/devices", data=device.form(),
                           headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_push_reminder_is_signed_by_the_diary_and_readable_only_by_the_device(
        reminder_app, alice_client, push, clock, db):
    clock.set("2026-03-02T20:30", "Europe/London")
    choose(alice_client, time_1="08:00", time_2="20:00")
    subscribe(alice_client, push.device("phone"))
    assert db.exec(select(PushSubscription.device)).all() == ["Chrome on Android"]
    assert db.get(ReminderSetting, 1).by_push is True  # subscribing a device turns push on

    assert send_reminders(reminder_app) == "1 reminder sent.\n"  # one: the latest time passed
    assert push.refused == []
    [delivery] = push.delivered
    assert delivery.payload == {"title": REMINDER_TITLE, "url": "/today"}
    assert db.exec(select(ReminderSent.reference)).all() == ["2026-03-02 20:00"]


def test_a_device_the_push_service_no_longer_knows_is_dropped(reminder_app, alice_client, push, clock, db):
    clock.set("2026-03-02T08:30", "Europe/London")
    choose(alice_client, time_1="08:00", by_push="yes")
    subscribe(alice_client, push.device("phone"))
    subscribe(alice_client, push.device("gone/old-tablet"))
    send_reminders(reminder_app)
    assert [delivery.path for delivery in push.delivered] == ["/phone"]
    db.expire_all()
    assert [subscription.endpoint for subscription in db.exec(select(PushSubscription))] == [f"{push.origin}/phone"]


def test_each_device_is_listed_and_can_be_removed(reminder_app, alice_client, push, db):
    subscribe(alice_client, push.device("phone"))
    page = alice_client.get("/reminders").get_data(as_text=True)
    assert "Chrome on Android" in page
    subscription_id = db.exec(select(PushSubscription.id)).one()
    assert alice_client.post(f"/reminders/devices/{subscription_id}/delete").status_code == 302
    assert db.exec(select(PushSubscription)).all() == []


def test_no_reminder_once_the_day_is_logged(reminder_app, alice_client, smtp, clock):
    clock.set("2026-03-02T09:00", "Europe/London")
    choose(alice_client, time_1="08:00", by_email="yes")
    assert alice_client.post("/entries", data={"day": "2026-03-02", "pain_avg": "4"}).status_code == 302
    assert send_reminders(reminder_app) == "0 reminders sent.\n"
    assert smtp.inbox.messages == []


def test_quiet_hours_and_not_today_hold_reminders_back(reminder_app, alice_client, smtp, clock):
    clock.set("2026-03-02T22:30", "Europe/London")
    choose(alice_client, time_1="22:15", by_email="yes", quiet_from="22:00", quiet_until="07:00")
    assert send_reminders(reminder_app) == "0 reminders sent.\n"
    choose(alice_client, time_1="22:15", by_email="yes")  # quiet hours off again
    assert alice_client.post("/reminders/snooze").status_code == 302
    assert send_reminders(reminder_app) == "0 reminders sent.\n"
    clock.set("2026-03-03T22:30", "Europe/London")  # the next day: reminded again
    assert send_reminders(reminder_app) == "1 reminder sent.\n"
    assert len(smtp.inbox.messages) == 1


def test_two_runs_at_once_send_each_reminder_once(reminder_app, smtp, clock, db):
    clock.set("2026-03-02T08:30", "UTC")
    for number in range(20):
        patient = make_patient(reminder_app, f"patient{number}@example.com", f"P{number}", time_zone="UTC")
        db.add(ReminderSetting(patient_id=patient.id, times="08:00", by_email=True))
    db.commit()
    claimed = []

    def one_run():
        postman = Postman(reminder_app)
        with reminder_app.app_context(), reminder_app.extensions["diary_engine"].connect() as connection:
            claimed.extend(send_due(reminder_app, connection, days.utc_now(), postman))
        postman.close()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert len(claimed) == 20
    assert sorted(recipients[0] for recipients in smtp.inbox.recipients) == sorted(
        f"patient{number}@example.com" for number in range(20))
    assert len(db.exec(select(ReminderSent)).all()) == 20
    assert send_reminders(reminder_app) == "0 reminders sent.\n"  # and a later run sends none again


def add_infusion(client, day: str, start: str) -> None:
    location = client.post("/treatments/series", data={"name": "Spring", "condition": "crps", "route": "iv"}).location
    series_id = re.search(r"/series/(\d+)", location).group(1)
    response = client.post(f"/treatments/series/{series_id}/infusions", data={"day": day, "start_time": start, "pain_before": "7"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_after_an_infusion_reminders_come_at_2_and_24_hours(reminder_app, alice_client, push, clock, db):
    clock.set("2026-03-02T09:00", "Europe/London")
    choose(alice_client, by_push="yes", after_infusion="yes")
    subscribe(alice_client, push.device("phone"))
    add_infusion(alice_client, "2026-03-02", "09:00")
    assert send_reminders(reminder_app) == "0 reminders sent.\n"
    clock.set("2026-03-02T11:05", "Europe/London")
    assert send_reminders(reminder_app) == "1 reminder sent.\n"
    assert send_reminders(reminder_app) == "0 reminders sent.\n"
    clock.set("2026-03-03T09:10", "Europe/London")
    assert send_reminders(reminder_app) == "1 reminder sent.\n"
    assert db.exec(select(ReminderSent.kind).order_by(ReminderSent.id)).all() == ["2h", "24h"]
    assert all(delivery.payload["title"] == REMINDER_TITLE for delivery in push.delivered)
    assert push.delivered[0].payload["url"].startswith("/treatments/series/")


def test_the_impression_of_change_reminder_comes_once_when_it_is_due(reminder_app, alice_client, push, clock, db):
    clock.set("2026-03-02T09:00", "Europe/London")
    choose(alice_client, by_push="yes", after_infusion="yes")
    subscribe(alice_client, push.device("phone"))
    add_infusion(alice_client, "2026-03-02", "09:00")
    clock.set("2026-03-16T12:00", "Europe/London")  # the after window (14 days) still open
    send_reminders(reminder_app)
    assert "pgic" not in db.exec(select(ReminderSent.kind)).all()
    clock.set("2026-03-17T12:00", "Europe/London")
    assert send_reminders(reminder_app) == "1 reminder sent.\n"
    assert db.exec(select(ReminderSent.kind).where(ReminderSent.kind == "pgic")).all() == ["pgic"]
    clock.set("2026-03-18T12:00", "Europe/London")
    assert send_reminders(reminder_app) == "0 reminders sent.\n"


def test_without_smtp_email_is_not_offered(alice, client, auth, db):
    auth.login(alice.email)
    page = client.get("/reminders").get_data(as_text=True)
    assert 'name="by_email"' not in page
    assert client.post("/reminders", data={"time_1": "08:00", "by_email": "yes"}).status_code == 302
    setting = db.get(ReminderSetting, alice.id)
    assert (setting.times, setting.by_email) == ("08:00", False)


def test_a_mistyped_time_is_explained_and_nothing_is_saved(alice, client, auth, db):
    auth.login(alice.email)
    response = client.post("/reminders", data={"time_1": "8 o'clock", "by_push": "yes"})
    assert response.status_code == 422
    assert field_error(response, "time_1") == "Time 1: enter a time like 08:30"
    assert db.get(ReminderSetting, alice.id) is None


def test_a_subscription_with_bad_keys_is_refused(alice, client, auth, db):
    auth.login(alice.email)
    response = client.post("/reminders/devices", data={"endpoint": "https://push.example/1",
                                                       "p256dh": "not-a-key", "auth": "x"})
    assert response.status_code == 422
    assert db.exec(select(PushSubscription)).all() == []


def test_the_vapid_key_is_generated_once_and_private(reminder_app):
    path = vapid.key_path(reminder_app.instance_path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert vapid.public_key(reminder_app.instance_path) == vapid.public_key(reminder_app.instance_path)
