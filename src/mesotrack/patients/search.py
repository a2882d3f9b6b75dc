"""Turning what a receptionist types into a patient search (pure, no database)."""

import datetime as dt
import re
from dataclasses import dataclass, field

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


_RECORD_NUMBER = re.compile(r"^(?P<code>[A-Za-z]{2,6})-?(?P<number>\d{1,6})$")


@dataclass(frozen=True)
class SearchTerms:
    date_of_birth: dt.date | None = None
    record_number: str = ""
    digits: str = ""
    words: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not (self.date_of_birth or self.record_number or self.digits or self.words)


def digits_only(text: str) -> str:
    return re.sub(r"\D", "", text)


def search_text_for(given_name: str, family_name: str, record_number: str, phone: str) -> str:
    return " ".join([given_name, family_name, record_number, digits_only(phone)]).casefold()


def parse_search(query: str) -> SearchTerms:
    """A date of birth, a record number (LDS-42 → LDS-000042), phone digits, or name words."""
    text = query.strip()
    if not text:
        return SearchTerms()
    for fmt in _DATE_FORMATS:
        try:
            return SearchTerms(date_of_birth=dt.datetime.strptime(text, fmt).date())  # noqa: DTZ007
        except ValueError:
            continue
    record = _RECORD_NUMBER.match(text)
    if record:
        return SearchTerms(record_number=f"{record['code'].upper()}-{int(record['number']):06d}")
    compact = re.sub(r"[\s()+\-.]", "", text)
    if compact.isdigit() and len(compact) >= 3:
        return SearchTerms(digits=compact)
    words = tuple(word.casefold() for word in re.split(r"[\s,]+", text) if word)
    return SearchTerms(words=words[:5])
