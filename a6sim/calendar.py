"""Simulation time: whole days counted from 1 January of the first simulated year."""
from __future__ import annotations

import datetime
from bisect import bisect_right

__all__ = ["Calendar"]


class Calendar:
    """Converts between dates and the engine's day numbers."""

    __slots__ = ("start_year", "end_year", "origin", "_year_starts", "last_day", "_year_ends")

    def __init__(self, start_year: int, end_year: int):
        self.start_year, self.end_year = start_year, end_year
        self.origin = datetime.date(start_year, 1, 1)
        self._year_ends: dict[int, int] = {}
        self._year_starts = [self.day_of(datetime.date(y, 1, 1)) for y in range(start_year, end_year + 2)]
        self.last_day = self.year_end(end_year)   # day number of 31 December of the last year

    def day_of(self, date: datetime.date) -> int:
        return (date - self.origin).days

    def date_of(self, day: int) -> datetime.date:
        return self.origin + datetime.timedelta(days=int(day))

    def year_of(self, day: int) -> int:
        """The calendar year of a day (days past the end belong to years after it)."""
        i = bisect_right(self._year_starts, day) - 1
        if 0 <= i < len(self._year_starts) - 1:
            return self.start_year + i
        return self.date_of(day).year

    def year_end(self, year: int) -> int:
        """Day number of 31 December of ``year``."""
        day = self._year_ends.get(year)
        if day is None:
            day = self._year_ends[year] = self.day_of(datetime.date(year, 12, 31))
        return day
