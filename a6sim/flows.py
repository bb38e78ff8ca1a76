"""The flows table (``flows.csv``, :attr:`a6sim.Results.flows`): deliveries summed per
year, seller, buyer and agreement.

One definition for the DataFrame and the CSV file, so both hold the same numbers
whatever the pandas version: tonnes are summed exactly (whole tonnes); the value paid
(tonnes x price, in the scenario's currency) is summed exactly where every value is a
whole number, otherwise as floats with compensated (Kahan) summation in delivery
order, the summation pandas' grouped sum has long used.
"""
from __future__ import annotations

__all__ = ["flow_rows", "COLUMNS"]

COLUMNS = ["year", "from_party", "to_party", "agreement", "quantity", "value"]


def flow_rows(world) -> list[tuple]:
    """``(year, seller, buyer, agreement, tonnes, value)`` per year, seller, buyer and
    agreement, in that order, from ``world.flows`` (one entry per delivery:
    ``(day, seller, buyer, agreement, tonnes, value)``)."""
    year_of = world.cal.year_of
    flows = world.flows
    floats = not all(type(v) is int for *_, v in flows)
    years: dict[int, int] = {}
    groups: dict[tuple, list] = {}
    for day, seller, buyer, agreement, quantity, value in flows:
        year = years.get(day)
        if year is None:
            year = years[day] = year_of(day)
        key = (year, seller, buyer, agreement)
        g = groups.get(key)
        if g is None:
            g = groups[key] = [0, 0.0 if floats else 0, 0.0]   # tonnes, value, compensation
        g[0] += quantity
        if floats:
            y = float(value) - g[2]
            t = g[1] + y
            g[2] = t - g[1] - y
            g[1] = t
        else:
            g[1] += value
    return [key + (groups[key][0], groups[key][1]) for key in sorted(groups)]
