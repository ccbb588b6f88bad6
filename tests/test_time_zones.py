"""The time-zone list: canonical IANA zones grouped by region, the patient's own zone first, no aliases."""

from sqlmodel import select

from diary.models import Patient
from diary.time_zones import canonical_zone, read_zone_table, zone_groups, zone_table
from tests.html import parse

TABLE = """# a tzdata.zi in small
Z Europe/London 0 - GMT
Z Europe/Moscow 2:30:17 - LMT
Z Asia/Taipei 8 - CST
Z America/Argentina/Buenos_Aires -3 - -03
Z Etc/UTC 0 - UTC
Z EST5EDT -5 - E%sT
Z Factory 0 - -00
L Asia/Taipei ROC
L Europe/Moscow W-SU
L Etc/UTC UTC
L Europe/London GB
"""


def test_only_places_grouped_by_region_with_utc_itself_and_no_aliases():
    zones, _ = read_zone_table(TABLE)
    assert zone_groups(zones) == [
        ("Universal", [("UTC", "UTC (Coordinated Universal Time)")]),
        ("America", [("America/Argentina/Buenos_Aires", "Argentina / Buenos Aires")]),
        ("Asia", [("Asia/Taipei", "Taipei")]),
        ("Europe", [("Europe/London", "London"), ("Europe/Moscow", "Moscow")]),
    ]


def test_the_devices_or_chosen_zone_comes_first_when_it_is_on_the_list():
    zones, _ = read_zone_table(TABLE)
    assert zone_groups(zones, "Europe/Moscow")[0] == ("Your zone", [("Europe/Moscow", "Europe/Moscow")])
    assert zone_groups(zones, "UTC")[0] == ("Your zone", [("UTC", "UTC")])
    assert zone_groups(zones, "W-SU") == zone_groups(zones)  # an alias is never offered
    assert zone_groups(zones, "Factory") == zone_groups(zones)


def test_an_alias_resolves_to_the_zone_it_names():
    zones, links = read_zone_table(TABLE)
    assert [canonical_zone(name, zones, links) for name in ("ROC", "W-SU", "GB", "Etc/UTC", "UTC")] == [
        "Asia/Taipei", "Europe/Moscow", "Europe/London", "UTC", "UTC"]
    assert [canonical_zone(name, zones, links) for name in ("localtime", "EST5EDT", "Factory", "Mars/Base")] == [
        None, None, None, None]


def test_the_real_list_has_no_alias_and_every_place_a_patient_looks_for():
    zones, links = zone_table()
    offered = [zone for _, options in zone_groups(zones) for zone, _ in options]
    assert len(offered) == len(set(offered))
    assert not set(offered) & {"ROC", "W-SU", "localtime", "GB", "US/Eastern", "Etc/UTC", "Etc/GMT+5",
                               "EST5EDT", "Asia/Calcutta", "Europe/Kiev"}
    assert {"UTC", "Europe/London", "Asia/Kolkata", "Europe/Kyiv", "America/New_York",
            "Pacific/Honolulu", "Australia/Sydney"} <= set(offered)
    assert all(zone == "UTC" or zone.split("/")[0] in dict(zone_groups(zones)) for zone in offered)


def test_the_register_page_shows_the_grouped_list_without_aliases(client):
    """Found in issue 20: about 600 raw names, among them "ROC", "W-SU" and "localtime"."""
    page = parse(client.get("/register"))
    select_box = page.find("select", {"name": "time_zone"})
    groups = [group["label"] for group in select_box.find_all("optgroup")]
    assert groups[:3] == ["Universal", "Africa", "America"] or groups[:4] == ["Your zone", "Universal", "Africa", "America"]
    values = [option["value"] for option in select_box.find_all("option")]
    assert not {"ROC", "W-SU", "localtime", "Etc/UTC", "GB"} & set(values)
    assert "Europe/London" in values and len(values) < 400


def test_the_account_page_puts_the_patients_zone_first_and_stores_an_alias_as_its_zone(as_alice, db, alice):
    page = parse(as_alice.get("/account"))
    first_group = page.find("select", {"name": "time_zone"}).find("optgroup")
    assert first_group["label"] == "Your zone"
    assert [(o["value"], o.has_attr("selected")) for o in first_group.find_all("option")] == [
        ("Europe/London", True)]
    assert len(page.select("select[name=time_zone] option[selected]")) == 1
    response = as_alice.post("/account", data={"display_name": "Al", "time_zone": "ROC"})
    assert response.status_code == 302
    db.expire_all()
    assert db.exec(select(Patient.time_zone).where(Patient.id == alice.id)).one() == "Asia/Taipei"
