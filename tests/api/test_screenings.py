"""`POST /api/v1/screenings` and `GET /api/v1/vocabulary`: the what-if contract."""

import datetime as dt

import pytest
from django.apps import apps

from mesotrack.audit.models import AuditEvent

SCREENINGS = "/api/v1/screenings"
VOCABULARY = "/api/v1/vocabulary"
PROFILE = {"sex_at_birth": "male", "age": 41, "weight_kg": 80}
FLAG_KEYS = {"code", "severity", "ingredient", "message", "source", "label", "evidence"}
OPTION_KEYS = {
    "modality",
    "rank",
    "rationale",
    "sources",
    "contraindicated",
    "suggested_protocol",
    "medical_options",
}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_it_answers_flags_blocked_and_ranked_options(cast, api_for):
    body = {
        **PROFILE,
        "diagnosis": "aga_male",
        "stage": {"scale": "norwood", "value": "IV"},
        "medications": ["warfarin"],
        "labs": {"ferritin": {"value": 60, "unit": "µg/L"}},
        "proposed": {
            "modality": "mesotherapy",
            "ingredients": ["dutasteride", "biotin"],
            "anaesthetic": "lidocaine",
            "lidocaine_mg": 200,
        },
    }
    response = api_for(cast.practitioner).post(SCREENINGS, body)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert set(answer) == {"flags", "blocked", "options"}
    assert answer["blocked"] is False
    assert [(f["code"], f["severity"]) for f in answer["flags"]] == [
        ("anticoagulant", "warn"),
        ("dutasteride_blood_donation", "info"),
    ]
    assert all(set(flag) == FLAG_KEYS for flag in answer["flags"])
    options = answer["options"]
    assert all(set(option) == OPTION_KEYS for option in options)
    assert [o["rank"] for o in options] == [1, 2, 3, 4]
    assert [o["modality"] for o in options] == [
        "medical_therapy",
        "mesotherapy",
        "prp",
        "transplant_consultation",
    ]
    mesotherapy = options[1]
    assert mesotherapy["suggested_protocol"] == "Dutasteride 0.01%, 1–2 mL every 3 months"
    assert mesotherapy["rationale"][0].startswith("Mesotherapy targets DHT-driven pattern loss")
    assert mesotherapy["sources"]


def test_a_block_or_a_postpone_sets_blocked(cast, api_for):
    client = api_for(cast.nurse)
    lidocaine = {"modality": "prp", "anaesthetic": "lidocaine", "lidocaine_mg": 400}
    blocked = client.post(SCREENINGS, {**PROFILE, "proposed": lidocaine}).json()
    assert blocked["blocked"] is True
    assert [f["code"] for f in blocked["flags"]] == ["lidocaine_dose", "lidocaine_cap"]
    postponed = client.post(SCREENINGS, {**PROFILE, "conditions": ["fever"]}).json()
    assert postponed["blocked"] is True
    assert postponed["flags"][0]["severity"] == "postpone"


def test_a_pregnant_woman_gets_the_block_and_contraindicated_options_last(cast, api_for):
    body = {
        "sex_at_birth": "female",
        "age": 30,
        "pregnant": True,
        "could_become_pregnant": True,
        "diagnosis": "fphl",
        "proposed": {"modality": "mesotherapy", "ingredients": ["finasteride"]},
    }
    answer = api_for(cast.receptionist).post(SCREENINGS, body).json()
    assert answer["blocked"] is True
    block = next(f for f in answer["flags"] if f["code"] == "five_ari_pregnancy_potential")
    assert block["ingredient"] == "finasteride"
    ruled_out = [o["modality"] for o in answer["options"] if o["contraindicated"]]
    assert ruled_out == ["medical_therapy", "mesotherapy", "prp"]
    assert [o["modality"] for o in answer["options"]][-3:] == ruled_out


def test_it_accepts_an_alternative_lab_unit(cast, api_for):
    body = {**PROFILE, "labs": {"vitamin_d_25oh": {"value": 45, "unit": "nmol/L"}}}
    answer = api_for(cast.manager).post(SCREENINGS, body).json()
    assert answer["flags"][0]["code"] == "vitamin_d_deficient"
    assert answer["flags"][0]["message"].startswith(
        "Vitamin D 18 ng/mL (entered as 45 nmol/L) is below 20 ng/mL"
    )
    assert answer["options"][0]["modality"] == "correct_deficiency"


def test_a_recent_transplant_puts_prp_first(cast, api_for):
    recent = (dt.date.today() - dt.timedelta(days=60)).isoformat()
    body = {
        **PROFILE,
        "diagnosis": "aga_male",
        "transplant_date": recent,
        "transplant_grafts": 2400,
    }
    answer = api_for(cast.practitioner).post(SCREENINGS, body).json()
    assert answer["options"][0]["modality"] == "prp"


def test_a_what_if_stores_nothing_and_writes_no_audit_event(cast, api_for):
    client = api_for(cast.practitioner)
    before = row_counts()
    events = AuditEvent.objects.count()
    body = {
        **PROFILE,
        "conditions": ["bleeding_disorder", "keloid_tendency"],
        "labs": {"platelets": {"value": 50, "unit": "K/uL"}},
        "proposed": {"modality": "prp"},
    }
    assert client.post(SCREENINGS, body).status_code == 200
    assert client.post(SCREENINGS, {"age": "x"}).status_code == 422
    assert client.get(VOCABULARY).status_code == 200
    assert row_counts() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("actor", ["receptionist", "nurse", "practitioner", "manager"])
def test_any_staff_role_may_screen(cast, api_for, actor):
    client = api_for(getattr(cast, actor))
    assert client.post(SCREENINGS, PROFILE).status_code == 200
    assert client.get(VOCABULARY).status_code == 200


def test_a_patient_or_an_anonymous_caller_may_not(cast, api_for):
    assert api_for(cast.patient_user).post(SCREENINGS, PROFILE).status_code == 403
    assert api_for(None).post(SCREENINGS, PROFILE).status_code == 401
    assert api_for(None).get(VOCABULARY).status_code == 401


def test_the_vocabulary_serves_every_code_with_its_label_and_source(cast, api_for):
    response = api_for(cast.receptionist).get(VOCABULARY)
    assert response.status_code == 200
    served = response.json()
    assert {
        "conditions",
        "medications",
        "allergies",
        "ingredients",
        "anaesthetics",
        "diagnoses",
        "labs",
        "goals",
        "scales",
        "flags",
        "modalities",
    } <= set(served)
    labs = {entry["code"]: entry["unit"] for entry in served["labs"]}
    assert labs["b12"] == "pg/mL" and labs["ferritin"] == "µg/L"
    warfarin = next(e for e in served["medications"] if e["code"] == "warfarin")
    assert warfarin["class"] == "anticoagulant" and warfarin["source"]
    assert {e["code"] for e in served["flags"]} >= {"pregnancy", "lidocaine_dose", "low_platelets"}


def test_the_schema_documents_both_operations(cast, api_for):
    schema = api_for(cast.receptionist).get("/api/v1/openapi.json").json()
    assert "post" in schema["paths"]["/api/v1/screenings"]
    vocabulary = schema["paths"]["/api/v1/vocabulary"]["get"]
    assert "canonical `unit`" in vocabulary["description"]
