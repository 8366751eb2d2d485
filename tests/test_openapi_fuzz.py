"""schemathesis over every operation of /api/v1/openapi.json, with the issue's checks.

A bounded run (a few examples per operation) that runs in `make test` on
SQLite and PostgreSQL alike; bench/openapi_fuzz.py runs the long one.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.quiz.conftest import demo_quiz, shop  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    ignored_auth,
]
# A few per operation and mode here; bench/openapi_fuzz.py sets many more.
MAX_EXAMPLES = int(os.environ.get("OPENAPI_FUZZ_EXAMPLES", "12"))


def fuzz(max_examples: int) -> list[str]:
    """Run every operation's positive and negative cases through the WSGI app; list failures."""
    # Requests run in this thread, inside the test's transaction: like Django's
    # test client, keep the connection open between them.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        return _fuzz(max_examples)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _fuzz(max_examples: int) -> list[str]:
    from hypothesis import given

    from trunkshow.wsgi import application

    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures: list[str] = []
    for result in api.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=max_examples,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: schemathesis.Case) -> None:
                case.call_and_validate(checks=CHECKS)

            try:
                run()
            except Unsatisfiable:  # nothing invalid to send (no parameters, no body)
                continue
            except (Exception, BaseExceptionGroup) as exc:
                name = f"{operation.method.upper()} {operation.path}"
                failures.append(f"{name} ({mode}): {str(exc)[:1500]}")
    return failures


def test_every_operation_keeps_its_documented_contract(demo_quiz, shop):  # noqa: F811
    # Given the API with a quiz, markets and a small catalog
    # When schemathesis sends valid and invalid requests to every operation
    failures = fuzz(MAX_EXAMPLES)

    # Then every answer is one the document promises, and no 500
    assert not failures, "\n\n".join(failures)
