"""The time zones a patient chooses from: canonical IANA zones grouped by region, no aliases.

The list comes from the zone table of the pinned ``tzdata`` package (``tzdata.zi``), the same on
every machine: a ``Z`` line is a zone, an ``L`` line an alias ("Link") such as "ROC", "W-SU" or
"US/Eastern". ``zone_groups`` and ``canonical_zone`` are pure; ``zone_table`` reads the file once.
"""

from functools import cache
from importlib.resources import files

# The regions of the IANA database that places belong to; "Etc/..." and the old
# "EST5EDT"-style rule zones are for systems, not for people choosing where they live.
REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
           "Indian", "Pacific")
UTC = "UTC"  # kept by its own short name, though the database's zone is "Etc/UTC"
UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}


def read_zone_table(text: str) -> tuple[frozenset[str], dict[str, str]]:
    """The zones and the aliases (alias -> the zone it names) of a ``tzdata.zi`` text."""
    zones, links = set(), {}
    for line in text.splitlines():
        parts = line.split()
        if parts[:1] == ["Z"]:
            zones.add(parts[1])
        elif parts[:1] == ["L"]:
            links[parts[2]] = parts[1]
    return frozenset(zones), links


def is_place(zone: str) -> bool:
    return zone.split("/", 1)[0] in REGIONS and "/" in zone


def canonical_zone(name: str, zones: frozenset[str], links: dict[str, str]) -> str | None:
    """The zone a patient would choose for ``name`` (an alias resolved), or None."""
    if name in UTC_NAMES:
        return UTC
    while name in links:  # an alias may name another alias in older tables
        name = links[name]
    return name if name in zones and is_place(name) else None


def zone_label(zone: str) -> str:
    """ "America/Argentina/Buenos_Aires" -> "Argentina / Buenos Aires" (its region is the group)."""
    return zone.split("/", 1)[-1].replace("/", " / ").replace("_", " ")


def zone_groups(zones: frozenset[str], first: str | None = None,
                ) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(zone, label)]) for a <select>: ``first`` (the device's zone, or the one
    already chosen) on top when it is a zone of the list, then UTC, then each region A-Z."""
    by_region: dict[str, list[tuple[str, str]]] = {}
    for zone in sorted(zone for zone in zones if is_place(zone)):
        by_region.setdefault(zone.split("/", 1)[0], []).append((zone, zone_label(zone)))
    groups = [("Universal", [(UTC, "UTC (Coordinated Universal Time)")])]
    groups += [(region, by_region[region]) for region in REGIONS if region in by_region]
    if first is not None and (first == UTC or first in zones and is_place(first)):
        label = "UTC" if first == UTC else first.replace("_", " ")
        groups.insert(0, ("Your zone", [(first, label)]))
    return groups


@cache
def zone_table() -> tuple[frozenset[str], dict[str, str]]:
    """The pinned tzdata package's zones and aliases, read once."""
    return read_zone_table(files("tzdata").joinpath("zoneinfo", "tzdata.zi").read_text())
