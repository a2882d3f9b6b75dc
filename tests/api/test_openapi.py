import json

from django.test import Client


def test_the_schema_is_published_with_the_patient_operations(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "MesoTrack API"
    assert set(schema["paths"]["/api/v1/patients"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/patients/{patient_id}"]) == {"get", "patch"}
    assert schema["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"


def test_the_schema_never_mentions_search_internals(db):
    text = Client().get("/api/v1/openapi.json").content.decode()
    assert "search_text" not in text
    assert "phone_digits" not in text


def test_the_docs_page_answers_without_a_token(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


def test_an_unknown_api_address_answers_in_json(db):
    response = Client().get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
