"""Completion timescales typed as text, the way partners write them in the workbook (UK, day first)."""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

EXPECTED = (
    "expected a date such as 31/12/2018 or 31 December 2018 (day first), "
    "or a month such as December 2018 (meaning the end of that month)"
)

_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(\d{2,4})", re.IGNORECASE)


def parse_timescale(text: str) -> date:
    """The completion date the text means; a bare month means its last day. Raises ValueError saying why not."""
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy")):
        match = pattern.fullmatch(cleaned)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            _require_full_year(match.group(order.index("y") + 1))
            return _make_date(parts["y"], parts["m"], parts["d"], cleaned)
    match = _WORDS.fullmatch(cleaned)
    if match:
        day, month_word, year = match.groups()
        month = _MONTHS.get(month_word.casefold())
        if month is None:
            raise ValueError(f"{month_word!r} is not a month; {EXPECTED}")
        _require_full_year(year)
        if day is None:
            return date(int(year), month, calendar.monthrange(int(year), month)[1])
        return _make_date(int(year), month, int(day), cleaned)
    raise ValueError(f"this is not a date or month Excel or jtai-docs can read; {EXPECTED}")


def _require_full_year(year: str) -> None:
    if len(year) != 4:
        raise ValueError(f"the year {year!r} is ambiguous; write all four digits")


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        hint = " (dates are day first: 31/12/2018)" if 1 <= day <= 12 and month > 12 else ""
        raise ValueError(f"{text!r} is not a real date{hint}; {EXPECTED}") from None
