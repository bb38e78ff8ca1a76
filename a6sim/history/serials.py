"""Serial ranges of credit blocks, as the crediting programmes write them.

A serial range string names a contiguous run of unit numbers. a6sim reads the run
from the string and keeps the rest as the range's *prefix*:

* Gold Standard style: the last two dash-separated fields are the first and last
  unit numbers: ``GS1-1-TZ-GS11732-16-2022-25700-1-100`` is units 1-100 of the prefix
  ``GS1-1-TZ-GS11732-16-2022-25700``;
* Verra style: ``{batch}-{first}-{last}-VCS-...``: the second and third fields:
  ``10183-182400195-182400294-VCS-VCU-263-VER-KE-14-1234-01012018-31122018-0``.

The range must hold exactly the block's quantity (``last - first + 1``).
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

__all__ = ["SerialRange", "parse_serials", "format_serials"]

# unit numbers are ASCII digits, at most 30 of them (str.isdigit() also takes "²", which int() refuses)
_NUMBER = re.compile(r"[0-9]{1,30}")


class SerialRange(NamedTuple):
    """``first..last`` (inclusive) of ``prefix``; ``style`` is ``gs`` or ``verra``."""
    prefix: str
    first: int
    last: int
    style: str

    @property
    def quantity(self) -> int:
        return self.last - self.first + 1


def parse_serials(text: str) -> tuple[Optional[SerialRange], str]:
    """``(range, "")``, or ``(None, what was expected)`` if the text names no range."""
    parts = text.strip().split("-")
    if len(parts) >= 4 and parts[3].upper() == "VCS" and _number(parts[1]) and _number(parts[2]):
        first, last = int(parts[1]), int(parts[2])
        prefix, style = "-".join([parts[0], "*", *parts[3:]]), "verra"
    elif len(parts) >= 3 and _number(parts[-1]) and _number(parts[-2]):
        first, last = int(parts[-2]), int(parts[-1])
        prefix, style = "-".join(parts[:-2]), "gs"
    else:
        return None, ("a serial range ending in -FIRST-LAST (Gold Standard) or "
                      "BATCH-FIRST-LAST-VCS-... (Verra)")
    if first < 1 or last < first:
        return None, f"a serial range with 1 <= first <= last, got {first}-{last}"
    return SerialRange(prefix, first, last, style), ""


def _number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def format_serials(prefix: str, style: str, first: int, last: int) -> str:
    """The serial range string of ``first..last`` in the style it was read in."""
    if style == "verra":
        batch, _star, *rest = prefix.split("-")
        return "-".join([batch, str(first), str(last), *rest])
    return f"{prefix}-{first}-{last}"
