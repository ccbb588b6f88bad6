"""Reading and writing a patient's reminder settings and push subscriptions.

These are settings about the diary, not diary data: they never change the data version.
"""

from sqlmodel import delete, select

from diary.db import get_session
from diary.models import PushSubscription, ReminderSetting


def settings_of(patient_id: int) -> ReminderSetting:
    """The patient's settings, or the defaults (not saved) when they never chose any."""
    return get_session().get(ReminderSetting, patient_id) or ReminderSetting(patient_id=patient_id)


def save_settings(patient_id: int, **values) -> ReminderSetting:
    database = get_session()
    setting = database.get(ReminderSetting, patient_id) or ReminderSetting(patient_id=patient_id)
    for name, value in values.items():
        setattr(setting, name, value)
    database.add(setting)
    database.commit()
    return setting


def devices_of(patient_id: int) -> list[PushSubscription]:
    return list(get_session().exec(select(PushSubscription).where(PushSubscription.patient_id == patient_id)
                                   .order_by(PushSubscription.created_at, PushSubscription.id)))


def add_device(patient_id: int, endpoint: str, p256dh: str, auth: str, device: str) -> PushSubscription:
    """Subscribe a device; one already subscribed (by whoever used it before) moves to this patient."""
    database = get_session()
    database.exec(delete(PushSubscription).where(PushSubscription.endpoint == endpoint))
    subscription = PushSubscription(patient_id=patient_id, endpoint=endpoint, p256dh=p256dh,
                                    auth=auth, device=device)
    database.add(subscription)
    database.commit()
    return subscription


def remove_device(subscription: PushSubscription) -> None:
    database = get_session()
    database.delete(subscription)
    database.commit()


def stop_emails(patient_id: int) -> None:
    """The unsubscribe link: no more reminder e-mails (a deleted account has nothing to stop)."""
    database = get_session()
    setting = database.get(ReminderSetting, patient_id)
    if setting is not None and setting.by_email:
        setting.by_email = False
        database.add(setting)
        database.commit()
