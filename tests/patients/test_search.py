import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from mesotrack.patients.search import SearchTerms, parse_search
from mesotrack.patients.selectors import patient_list_for_user
from tests.factories import PatientFactory


def test_it_reads_dates_in_the_formats_reception_types():
    for text in ["1984-03-14", "14/03/1984", "14.03.1984", "14-03-1984"]:
        assert parse_search(text) == SearchTerms(date_of_birth=dt.date(1984, 3, 14))


def test_it_pads_a_short_record_number():
    assert parse_search("lds-42").record_number == "LDS-000042"
    assert parse_search("LDS000042").record_number == "LDS-000042"


def test_phone_numbers_become_digits():
    assert parse_search("+44 (0)113 496-0000").digits == "4401134960000"


def test_names_are_case_folded_words():
    assert parse_search("  Smith, ANNA ").words == ("smith", "anna")


@given(st.text(max_size=60))
def test_any_text_parses_without_error(text):
    terms = parse_search(text)
    assert len(terms.words) <= 5


def test_digits_alone_also_find_a_record_number(cast):
    patient = PatientFactory(clinic=cast.clinic, record_number="LDS-000321", phone="0113 000 0000")
    assert list(patient_list_for_user(user=cast.receptionist, query="321")) == [patient]


def test_every_word_must_match(cast):
    anna = PatientFactory(clinic=cast.clinic, given_name="Anna", family_name="Smith")
    PatientFactory(clinic=cast.clinic, given_name="Anna", family_name="Jones")
    assert list(patient_list_for_user(user=cast.receptionist, query="ann smi")) == [anna]
