"""Backfill past days, edit them (page and in place) and delete them with confirmation."""

from datetime import date

from sqlmodel import select

from diary.models import Entry, EntrySideEffect
from tests.html import field_error, parse


def log(client, day: str, pain: int, **more):
    return client.post("/entries", data={"day": day, "pain_avg": str(pain), **more})


def test_backfill_a_past_day(as_alice, db, clock):
    clock.set("2026-03-10T09:00")
    page = parse(as_alice.get("/entries/new?day=2026-02-01"))
    assert page.find("input", {"name": "day"})["value"] == "2026-02-01"
    assert page.find("input", {"name": "day"})["max"] == "2026-03-10"
    response = log(as_alice, "2026-02-01", 7)
    assert response.status_code == 302 and response.location.startswith("/entries#entry-")
    assert db.exec(select(Entry.day, Entry.pain_avg)).all() == [(date(2026, 2, 1), 7)]


def test_new_for_a_logged_day_opens_that_day(as_alice, db):
    log(as_alice, "2026-02-01", 7)
    entry = db.exec(select(Entry)).one()
    response = as_alice.get("/entries/new?day=2026-02-01")
    assert response.status_code == 302 and response.location == f"/entries/{entry.id}/edit"


def test_edit_on_its_own_page(as_alice, db):
    log(as_alice, "2026-02-01", 7, se_nausea="severe")
    entry = db.exec(select(Entry)).one()
    page = parse(as_alice.get(f"/entries/{entry.id}/edit"))
    assert page.find("input", {"name": "se_nausea", "checked": True})["value"] == "severe"
    response = as_alice.post(f"/entries/{entry.id}", data={"day": "2026-02-01", "pain_avg": "2",
                                                           "se_nausea": "mild"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Entry, entry.id).pain_avg == 2
    assert [(e.symptom, e.severity) for e in db.exec(select(EntrySideEffect))] == [("nausea", 1)]


def test_edit_in_place_returns_the_row_fragments(as_alice, db):
    log(as_alice, "2026-02-01", 7)
    entry = db.exec(select(Entry)).one()
    htmx = {"HX-Request": "true"}
    editor = as_alice.get(f"/entries/{entry.id}/edit", headers=htmx)
    assert editor.headers["Vary"] == "HX-Request, Cookie"
    fragment = parse(editor)
    assert fragment.find("html") is None
    assert fragment.find("li")["id"] == f"entry-{entry.id}"
    assert fragment.find("form")["hx-post"] == f"/entries/{entry.id}"
    bad = as_alice.post(f"/entries/{entry.id}", data={"day": "2026-02-01", "pain_avg": "12"}, headers=htmx)
    assert bad.status_code == 422 and parse(bad).find("html") is None
    assert field_error(bad, "pain_avg") == "Average pain in the last 24 hours must be a whole number between 0 and 10"
    good = as_alice.post(f"/entries/{entry.id}", data={"day": "2026-02-01", "pain_avg": "1"}, headers=htmx)
    assert good.status_code == 200
    row = parse(good).find("li")
    assert "editing" not in row["class"] and row.select_one(".scores dd").get_text() == "1"
    db.expire_all()
    assert db.get(Entry, entry.id).pain_avg == 1


def test_moving_an_entry_onto_a_logged_day_is_refused(as_alice, db):
    log(as_alice, "2026-02-01", 7)
    log(as_alice, "2026-02-02", 5)
    second = db.exec(select(Entry).where(Entry.day == date(2026, 2, 2))).one()
    response = as_alice.post(f"/entries/{second.id}", data={"day": "2026-02-01", "pain_avg": "5"})
    assert response.status_code == 409
    assert "You already logged Sunday 1 February 2026" in field_error(response, "day")
    db.expire_all()
    assert sorted(db.exec(select(Entry.day, Entry.pain_avg)).all()) == [
        (date(2026, 2, 1), 7), (date(2026, 2, 2), 5)]


def test_delete_asks_first_then_removes_the_day_and_its_side_effects(as_alice, db):
    log(as_alice, "2026-02-01", 7, se_nausea="severe")
    entry = db.exec(select(Entry)).one()
    confirm = as_alice.get(f"/entries/{entry.id}/delete")
    assert confirm.status_code == 200
    assert parse(confirm).find("h1").get_text() == "Delete Sunday 1 February 2026?"
    assert db.exec(select(Entry)).one()  # still there after asking
    response = as_alice.post(f"/entries/{entry.id}/delete")
    assert response.status_code == 302
    assert db.exec(select(Entry)).all() == [] and db.exec(select(EntrySideEffect)).all() == []


def test_delete_by_get_request_deletes_nothing(as_alice, db):
    log(as_alice, "2026-02-01", 7)
    entry = db.exec(select(Entry)).one()
    as_alice.get(f"/entries/{entry.id}/delete")
    assert len(db.exec(select(Entry)).all()) == 1


def test_the_inline_editor_offers_delete_which_asks_in_place_then_removes_the_row(as_alice, db):
    """Found in issue 20: the inline editor had no Delete; now it asks in the row, then deletes."""
    log(as_alice, "2026-02-01", 7, se_nausea="severe")
    entry = db.exec(select(Entry)).one()
    htmx = {"HX-Request": "true"}
    editor = parse(as_alice.get(f"/entries/{entry.id}/edit", headers=htmx))
    delete_link = editor.find("a", string="Delete this day")
    # Without JavaScript the link opens the confirmation page; with htmx it asks inside the row.
    assert delete_link["href"] == f"/entries/{entry.id}/delete"
    assert delete_link["hx-get"] == f"/entries/{entry.id}/delete"
    assert delete_link["hx-target"] == f"#entry-{entry.id}"
    asked = as_alice.get(f"/entries/{entry.id}/delete", headers=htmx)
    question = parse(asked)
    assert asked.status_code == 200 and question.find("html") is None
    assert question.find("li")["id"] == f"entry-{entry.id}"
    assert "Delete Sunday 1 February 2026?" in question.find("h2").get_text()
    form = question.find("form")
    assert form["action"] == form["hx-post"] == f"/entries/{entry.id}/delete"
    keep = question.find("a", string="No, keep it")
    assert keep["hx-get"] == f"/entries/{entry.id}/edit"
    assert db.exec(select(Entry)).one()  # asking deleted nothing
    done = as_alice.post(f"/entries/{entry.id}/delete", headers=htmx)
    assert done.status_code == 200 and parse(done).find("html") is None
    assert "deleted" in parse(done).find("li").get_text()
    db.expire_all()
    assert db.exec(select(Entry)).all() == [] and db.exec(select(EntrySideEffect)).all() == []


def test_the_delete_page_without_javascript_goes_back_to_the_history(as_alice, db):
    log(as_alice, "2026-02-01", 7)
    entry = db.exec(select(Entry)).one()
    response = as_alice.post(f"/entries/{entry.id}/delete")
    assert response.status_code == 302 and response.location == "/entries"
    db.expire_all()
    assert db.exec(select(Entry)).all() == []
