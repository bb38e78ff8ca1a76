"""Country names to ISO 3166-1 alpha-3 codes (the bundled countries.csv, from the
ISO 3166-1 list: name, common name, official name), matched without case, accents
or punctuation; a few names reporting tools use are added."""
from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Optional

__all__ = ["alpha2", "alpha3", "country_name", "normalise"]

_ALIASES = {
    "turkey": "TUR", "ivory coast": "CIV", "cape verde": "CPV", "swaziland": "SWZ", "laos": "LAO",
    "lao pdr": "LAO", "bolivia": "BOL", "iran": "IRN", "russia": "RUS", "syria": "SYR", "moldova": "MDA",
    "venezuela": "VEN", "vietnam": "VNM", "tanzania": "TZA", "dr congo": "COD",
    "democratic republic of the congo": "COD", "congo dr": "COD", "republic of the congo": "COG",
    "democratic republic of congo": "COD", "congo democratic republic of the": "COD", "drc": "COD",
    "south korea": "KOR", "republic of korea": "KOR", "north korea": "PRK", "czech republic": "CZE",
    "the gambia": "GMB", "gambia": "GMB", "the bahamas": "BHS", "burma": "MMR", "east timor": "TLS",
    "united states": "USA", "united states of america": "USA", "usa": "USA", "uk": "GBR",
    "united kingdom": "GBR", "great britain": "GBR", "micronesia": "FSM", "palestine": "PSE",
}


def normalise(name: str) -> str:
    """Lower case, accents and punctuation dropped, spaces squeezed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(c if c.isalnum() else " " for c in text.lower())
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _rows() -> list[dict]:
    with resources.files(__package__).joinpath("countries.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def alpha2(code: str) -> Optional[str]:
    """The ISO 3166 alpha-2 code of an alpha-3 code ("TZ" for TZA), None if unknown (as
    Verra and Gold Standard serials spell the host country)."""
    for row in _rows():
        if row["alpha_3"] == code:
            return row["alpha_2"]
    return None


def country_name(code: str) -> Optional[str]:
    """The short name of an alpha-3 code ("Tanzania" for TZA), None if unknown."""
    for row in _rows():
        if row["alpha_3"] == code:
            return row["other_name"] or row["name"]
    return None


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    out = {}
    for row in _rows():
        code = row["alpha_3"]
        out[normalise(code)] = code
        for key in ("name", "other_name", "official_name"):
            name = row[key]
            if name:
                out[normalise(name)] = code
                if ", " in name:   # "Tanzania, United Republic of" -> "united republic of tanzania"
                    head, tail = name.split(", ", 1)
                    out[normalise(f"{tail} {head}")] = code
    out.update(_ALIASES)
    return out


def alpha3(name: str) -> Optional[str]:
    """The alpha-3 code of a country name (or of a code), None if unknown."""
    return _table().get(normalise(name))
