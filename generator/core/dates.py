"""Dates as curators write them: a date, a naive datetime (site timezone) or an offset one."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Jekyll and Hugo accept unpadded parts: 2020-12-9, 2024-4-09, 2013-11-22 5:00:00 +0000
_UNPADDED_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[T\s])")
_UNPADDED_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2}[T\s]+)(\d)(?=:)")
_SPACED_OFFSET = re.compile(r"^(.*\d)\s+([+-]\d{1,2}(?::?\d{2})?|Z)$")
HINT = "write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"


class DateProblem(ValueError):
    pass


def parse_datetime(text: str, zone: tzinfo) -> datetime:
    """An aware datetime; naive input is read in `zone`, a bare date is midnight there."""
    raw = text.strip()
    written = raw
    raw = _UNPADDED_DAY.sub(lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", raw)
    raw = _UNPADDED_HOUR.sub(r"\g<1>0\2", raw)
    if _DATE_ONLY.fullmatch(raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError as exc:
            raise DateProblem(f"'{written}' is not a valid date ({exc}); {HINT}") from None
        return datetime.combine(day, time(0, 0), tzinfo=zone)
    candidate = raw
    spaced = _SPACED_OFFSET.match(raw)
    if spaced:  # YAML allows "2022-05-27 09:30:00 +03:00"
        offset = spaced.group(2)
        if offset != "Z" and ":" not in offset:
            digits = offset[1:].rjust(2, "0")
            offset = offset[0] + (digits + "00" if len(digits) <= 2 else digits)
        candidate = spaced.group(1) + offset
    try:
        value = datetime.fromisoformat(candidate)
    except ValueError:
        raise DateProblem(f"'{written}' is not a valid date or datetime; {HINT}") from None
    if value.tzinfo is None:
        # fold=0: an ambiguous wall time (DST fall-back) takes the first occurrence
        value = value.replace(tzinfo=zone)
    return value


def rfc3339(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def rfc822(value: datetime) -> str:
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    offset = value.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return (
        f"{days[value.weekday()]}, {value.day:02d} {months[value.month - 1]} {value.year:04d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d} {sign}{minutes // 60:02d}{minutes % 60:02d}"
    )


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def month_name(month: int) -> str:
    return _MONTHS[month - 1]


def strftime(value: date, fmt: str) -> str:
    """strftime with English names whatever the locale, and %-d / %-m without padding."""
    if type(value) is date:
        return _date_strftime(value, fmt)
    # not memoized: aware datetimes of one instant in two zones are equal, but print apart
    return _strftime(value, fmt)


@lru_cache(maxsize=8192)
def _date_strftime(value: date, fmt: str) -> str:
    # a site's pages name the same few thousand days over and over (period titles, headings),
    # and `digest serve` plans them again on every save
    return _strftime(value, fmt)


def _strftime(value: date, fmt: str) -> str:
    replacements = {
        "%B": _MONTHS[value.month - 1],
        "%b": _MONTHS[value.month - 1][:3],
        "%A": _DAYS[value.weekday()],
        "%a": _DAYS[value.weekday()][:3],
        "%-d": str(value.day),
        "%-m": str(value.month),
    }
    if isinstance(value, datetime):
        replacements["%-H"] = str(value.hour)
    out = fmt
    for token, text in replacements.items():
        out = out.replace(token, text.replace("%", "%%"))
    return value.strftime(out)


def utc_now(epoch: str | None) -> datetime:
    """The build clock: SOURCE_DATE_EPOCH when set, so builds can be reproduced."""
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)
