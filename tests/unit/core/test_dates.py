"""Dates as curators write them, read in the site's timezone, and printed in English whatever
the locale."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from generator.core.dates import DateProblem, parse_datetime, rfc822, strftime
from support.articles import MOSCOW


def test_dates() -> None:
    assert parse_datetime("2022-05-27", MOSCOW) == datetime(2022, 5, 27, tzinfo=MOSCOW)
    assert parse_datetime("2022-05-27 09:30", MOSCOW).utcoffset() == timedelta(hours=3)
    assert parse_datetime("2022-05-27T09:30:00Z", MOSCOW).utcoffset() == timedelta(0)
    assert parse_datetime("2022-05-27 09:30:00 +3", MOSCOW).utcoffset() == timedelta(hours=3)
    with pytest.raises(DateProblem, match=r"month must be in 1\.\.12"):
        parse_datetime("2024-13-45", MOSCOW)
    with pytest.raises(DateProblem):
        parse_datetime("yesterday", MOSCOW)


def test_rfc822_and_english_names_whatever_the_locale() -> None:
    moment = datetime(2022, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=-5, minutes=-30)))
    assert rfc822(moment) == "Fri, 06 May 2022 07:08:09 -0530"
    assert strftime(moment, "%A, %-d %B %Y") == "Friday, 6 May 2022"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2020-12-9", "2020-12-09T00:00:00+03:00"),
        ("2024-4-09", "2024-04-09T00:00:00+03:00"),
        ("2013-11-22 5:00:00 +0000", "2013-11-22T05:00:00+00:00"),
        ("2013-11-22 5:00:00 +00:00", "2013-11-22T05:00:00+00:00"),
    ],
)
def test_dates_as_jekyll_and_hugo_sites_write_them(written: str, iso: str) -> None:
    assert parse_datetime(written, MOSCOW).isoformat() == iso
