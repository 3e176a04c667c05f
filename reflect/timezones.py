"""The time zone choice: the zones most clinicians live in first, then every zone."""

from __future__ import annotations

from reflect.models import time_zone_choices

# Where most clinicians using the app are likely to be; the full list follows them.
COMMON = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Australia/Perth",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Africa/Johannesburg",
    "UTC",
)


def grouped_time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a select: an optgroup of common zones, then every zone (type to find)."""
    every = time_zone_choices()
    known = {name for name, _ in every}
    common = [(name, name.replace("_", " ")) for name in COMMON if name in known]
    return [("Common time zones", common), ("All time zones", every)]
