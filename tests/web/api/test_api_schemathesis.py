"""Schemathesis against the generated OpenAPI document, with every kind of token: no 500, and
every answer (status, content type, headers, body) conforms to the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.domain.api.tokens import TokenScope

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# One token per kind a caller can hold: the organisation with every right, each right alone, and
# the two kinds of structure.
TOKENS = {
    "organisation": (None, None),
    "indicators_only": (None, [TokenScope.READ_INDICATORS]),
    "tenders_only": (None, [TokenScope.READ_TENDERS]),
    "write_only": (None, [TokenScope.WRITE_HOURS]),
    "siae": ("siae", None),
    "company": ("company", None),
}
EXAMPLES_PER_OPERATION = 30


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(TOKENS))
def test_api_conforms_to_its_openapi_document(app, make_token, kind):
    # schemathesis' lazy pytest loader does not run under pytest 9 (request.node._nodeid): the
    # operations are walked here, each with its own bounded Hypothesis run.
    structure, scopes = TOKENS[kind]
    headers = make_token(structure=structure, scopes=scopes)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    # Invalid requests too (wrong types, missing fields, bad formats), with the token that may call everything.
    modes = [GenerationMode.POSITIVE, *([GenerationMode.NEGATIVE] if kind == "organisation" else [])]

    for operation in operations:
        for mode in modes:
            checks = CHECKS if mode == GenerationMode.POSITIVE else CHECKS[:3]

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                      database=None)
            def check(case):
                case.call_and_validate(headers=headers, checks=checks)

            check()
