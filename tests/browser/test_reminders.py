"""Reminders in the real browser: the service worker shows a pushed reminder as a notification
with nothing but its title, and tapping it opens the reminder's link. The settings page and the
forgot-password pages pass the layout and accessibility checks at 360 px (screenshots saved).

Headless Chromium cannot reach a real push service, so the push message is handed to the
service worker by the DevTools protocol (ServiceWorker.deliverPushMessage), as the push service
would, and the tap is the service worker's notificationclick event for that notification.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.pages import VIEWPORTS, check_page
from tests.browser.test_installable import service_worker_ready

pytestmark = pytest.mark.browser

PHONE = VIEWPORTS["phone-360"]
REMINDER = {"title": "Time to log today's pain", "url": "/today"}

NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  for (let tries = 0; tries < 50; tries++) {
    const shown = await registration.getNotifications();
    if (shown.length) return shown.map(n => ({title: n.title, body: n.body, url: n.data.url}));
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return [];
}"""

TAP_NOTIFICATION = """async () => {
  const [notification] = await self.registration.getNotifications();
  self.dispatchEvent(new NotificationEvent("notificationclick", {notification}));
}"""


def test_a_pushed_reminder_shows_only_its_title_and_tapping_it_opens_the_link(contexts, new_patient, live_server):
    _, state = new_patient("Rhea")
    context = contexts.open(PHONE, storage_state=state, service_workers="allow")
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.goto("/reminders")
    service_worker_ready(page)
    [registration_id] = {registration["registrationId"] for registration in registrations
                         if not registration["isDeleted"]}

    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration_id, "data": json.dumps(REMINDER)})
    assert page.evaluate(NOTIFICATIONS) == [{"title": REMINDER["title"], "body": "", "url": "/today"}]

    [worker] = context.service_workers
    worker.evaluate(TAP_NOTIFICATION)
    expect(page).to_have_url(f"{live_server.url}/today")


def test_the_reminder_settings_page_at_360_px(contexts, new_patient):
    _, state = new_patient("Sana")
    page = contexts.open(PHONE, storage_state=state).new_page()
    page.goto("/reminders")
    page.fill("#time_1", "08:30")
    page.fill("#time_2", "20:00")
    page.fill("#quiet_from", "22:00")
    page.fill("#quiet_until", "07:00")
    page.check("input[name=by_push]")
    page.click("text=Save reminders")
    expect(page.locator(".flash-success")).to_contain_text("Your reminder settings are saved")
    assert page.input_value("#time_1") == "08:30"
    assert check_page(page, "reminders-settings-phone-360") == []


def test_the_forgot_password_page_at_360_px(contexts):
    page = contexts.open(PHONE).new_page()
    page.goto("/login")
    page.click("text=Forgot your password?")
    expect(page.locator("h1")).to_have_text("Forgot your password?")
    assert check_page(page, "forgot-password-phone-360") == []
