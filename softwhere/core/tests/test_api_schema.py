"""The published OpenAPI contract: served, valid without warnings, stable, and enforced by the test client."""

from __future__ import annotations

import json

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.response.exceptions import InvalidData

from softwhere.core.tests.api_client import api_client, schema_dict, validate_response


def test_schema_endpoint_serves_openapi(db):
    client = api_client()
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/tickets/{reference}/transitions/" in document["paths"]
    as_json = client.get("/api/schema/", {"format": "json"})
    assert json.loads(as_json.content)["info"]["title"] == "SoftWhere Desk API"


def test_spectacular_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any generator warning (untyped field, enum clash…) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert yaml.safe_load(out.read_text())["paths"]


def _operations() -> dict[str, tuple[str, str, dict]]:
    ops = {}
    for path, item in schema_dict()["paths"].items():
        for method, operation in item.items():
            assert operation["operationId"] not in ops, f"duplicate operationId {operation['operationId']}"
            ops[operation["operationId"]] = (method, path, operation)
    return ops


def test_operation_ids_are_stable():
    expected = {
        "me_retrieve": ("get", "/api/v1/me/"),
        "tokens_create": ("post", "/api/v1/tokens/"),
        "tokens_destroy": ("delete", "/api/v1/tokens/{id}/"),
        "organisations_list": ("get", "/api/v1/organisations/"),
        "sites_partial_update": ("patch", "/api/v1/sites/{id}/"),
        "contacts_create": ("post", "/api/v1/contacts/"),
        "accesses_list": ("get", "/api/v1/accesses/"),
        "voice_services_create": ("post", "/api/v1/voice-services/"),
        "number_ranges_partial_update": ("patch", "/api/v1/number-ranges/{id}/"),
        "mobile_lines_retrieve": ("get", "/api/v1/mobile-lines/{id}/"),
        "equipment_create": ("post", "/api/v1/equipment/"),
        "services_list": ("get", "/api/v1/services/"),
        "catalogue_cases_list": ("get", "/api/v1/catalogue/cases/"),
        "catalogue_cases_partial_update": ("patch", "/api/v1/catalogue/cases/{id}/"),
        "catalogue_leds_retrieve": ("get", "/api/v1/catalogue/leds/"),
        "tickets_list": ("get", "/api/v1/tickets/"),
        "tickets_create": ("post", "/api/v1/tickets/"),
        "tickets_retrieve": ("get", "/api/v1/tickets/{reference}/"),
        "tickets_partial_update": ("patch", "/api/v1/tickets/{reference}/"),
        "tickets_transitions_create": ("post", "/api/v1/tickets/{reference}/transitions/"),
        "tickets_qualify_create": ("post", "/api/v1/tickets/{reference}/qualify/"),
        "tickets_assign_create": ("post", "/api/v1/tickets/{reference}/assign/"),
        "tickets_comments_list": ("get", "/api/v1/tickets/{reference}/comments/"),
        "tickets_comments_create": ("post", "/api/v1/tickets/{reference}/comments/"),
        "tickets_timeline_list": ("get", "/api/v1/tickets/{reference}/timeline/"),
        "tickets_checklist_list": ("get", "/api/v1/tickets/{reference}/checklist/"),
        "tickets_checklist_partial_update": ("patch", "/api/v1/tickets/{reference}/checklist/{item_id}/"),
        "tickets_led_readings_list": ("get", "/api/v1/tickets/{reference}/led-readings/"),
        "tickets_led_readings_create": ("post", "/api/v1/tickets/{reference}/led-readings/"),
        "interop_messages_list": ("get", "/api/v1/interop/messages/"),
        "interop_signalisations_list": ("get", "/api/v1/interop/signalisations/"),
        "interop_signalisations_create": ("post", "/api/v1/interop/signalisations/"),
        "interop_signalisations_information_create": ("post", "/api/v1/interop/signalisations/{id}/information/"),
        "interop_signalisations_appointment_answer_create": (
            "post",
            "/api/v1/interop/signalisations/{id}/appointment-answer/",
        ),
        "interop_signalisations_cancel_create": ("post", "/api/v1/interop/signalisations/{id}/cancel/"),
        "interop_signalisations_relaunch_create": ("post", "/api/v1/interop/signalisations/{id}/relaunch/"),
        "interop_signalisations_accept_resolution_create": (
            "post",
            "/api/v1/interop/signalisations/{id}/accept-resolution/",
        ),
        "interop_signalisations_refuse_resolution_create": (
            "post",
            "/api/v1/interop/signalisations/{id}/refuse-resolution/",
        ),
        "interop_signalisations_take_charge_create": ("post", "/api/v1/interop/signalisations/{id}/take-charge/"),
        "interop_signalisations_close_create": ("post", "/api/v1/interop/signalisations/{id}/close/"),
        "sla_clocks_list": ("get", "/api/v1/sla/clocks/"),
        "diagnostics_tickets_diagnose": ("post", "/api/v1/diagnostics/tickets/{reference}/diagnose/"),
        "diagnostics_requests_retrieve": ("get", "/api/v1/diagnostics/requests/{id}/"),
    }
    ops = _operations()
    assert {op_id: ops[op_id][:2] for op_id in expected} == expected
    assert not [op_id for op_id, (method, _, _) in ops.items() if method == "put"], "PUT is not offered"


def test_every_operation_documents_its_errors():
    for op_id, (method, _path, operation) in _operations().items():
        codes = set(operation["responses"])
        assert {"401", "403", "404"} <= codes, op_id
        if method in ("post", "patch"):
            assert "400" in codes, op_id
            assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ValidationError"
            }


@pytest.mark.parametrize(
    "op_id",
    [
        "tickets_transitions_create",
        "tickets_qualify_create",
        "tickets_comments_create",
        "tickets_checklist_partial_update",
        "tickets_led_readings_create",
        "tickets_messages_create",
    ],
)
def test_refusable_ticket_operations_document_409(op_id):
    response = _operations()[op_id][2]["responses"]["409"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TicketError"}


def test_error_components_and_enums_are_named():
    schemas = schema_dict()["components"]["schemas"]
    assert schemas["TicketError"]["required"] == ["code", "detail"]
    assert "transition_not_allowed" in schemas["TicketErrorCodeEnum"]["enum"]
    enums = {name for name, schema in schemas.items() if "enum" in schema}
    # Every enum is named after its choice set; a generated name would mean an unresolved clash.
    assert enums - {"NullEnum", "BlankEnum"} == set(settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])


def test_every_component_is_described():
    schemas = schema_dict()["components"]["schemas"]
    assert [name for name, schema in schemas.items() if not schema.get("description") and name != "NullEnum"] == []


def test_validator_rejects_undocumented_bodies_and_status_codes(world):
    response = api_client(world.n1).get("/api/v1/me/")
    validate_response(response)

    response.content = json.dumps({**response.json(), "password": "leak"}).encode()
    with pytest.raises(InvalidData):
        validate_response(response)

    response.status_code = 418
    with pytest.raises(ResponseNotFound):
        validate_response(response)
