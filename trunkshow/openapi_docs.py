"""What the OpenAPI document says beyond what django-ninja infers: the truth of each operation.

django-ninja writes each operation's parameters and its success answer
from the view's types. This module adds, in one place, what an integrator
generating a client needs and the views cannot say by their types:

- every status an operation can answer, each with the API's one error
  shape (`common/api_errors.py`), 429 with its `Retry-After` header;
- the headers an operation reads (`Idempotency-Key`, `Sandbox-Signature`,
  an order's optional `Authorization: Bearer`);
- the request bodies of the operations that read JSON themselves
  (`POST /designs`, the sandbox webhook);
- a real schema for every answer;
- `market` and `locale` as enums of the configured markets and languages.

tests/test_openapi_fuzz.py runs schemathesis over the document it makes.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError

from trunkshow.common.locales import supported_locales
from trunkshow.common.selectors import active_markets
from trunkshow.openapi_schemas import SCHEMAS, array, ref

# What an operation can answer besides its success, by kind of operation.
READ = (422,)
READ_ONE = (404, 422)
# Every operation with a JSON body: not JSON (400), too large (413), not
# application/json (415), refused by a rule (422), too many requests (429).
WRITE = (400, 413, 415, 422, 429)

# (method, path under /api/v1) -> (the success's schema, the other statuses it can answer)
OPERATIONS: dict[tuple[str, str], tuple[dict[str, Any] | None, tuple[int, ...]]] = {
    ("get", "/ping"): (ref("Ping"), ()),
    ("get", "/products"): (None, READ),
    ("get", "/quizzes/{slug}"): (None, READ_ONE),
    ("post", "/quizzes/{slug}/result"): (ref("QuizResult"), (404, *WRITE)),
    ("get", "/quiz-results/{result_id}"): (ref("QuizResult"), READ_ONE),
    ("get", "/videos/{video_id}"): (ref("Video"), (404,)),
    ("post", "/carts"): (ref("Cart"), (*WRITE, 503)),
    ("get", "/carts/{cart_id}"): (ref("Cart"), READ_ONE),
    ("post", "/carts/{cart_id}/lines"): (ref("Cart"), (404, 409, *WRITE)),
    ("patch", "/carts/{cart_id}/lines/{sku}"): (ref("Cart"), (404, 409, *WRITE)),
    ("delete", "/carts/{cart_id}/lines/{sku}"): (None, (404, 409, 429)),
    ("post", "/carts/{cart_id}/checkout"): (ref("CheckoutResult"), (402, 404, 409, *WRITE, 503)),
    ("get", "/orders/{order_id}"): (ref("Order"), (*READ_ONE, 429)),
    ("post", "/payments/sandbox/webhook"): (ref("WebhookResult"), (401, *WRITE, 503)),
    ("post", "/paint/mix"): (ref("Mix"), WRITE),
    ("post", "/paint/recipe"): (ref("Recipe"), WRITE),
    ("get", "/studio/templates"): (array(ref("StudioTemplate")), READ),
    ("post", "/designs"): (ref("Design"), WRITE),
    ("get", "/designs/{design_id}"): (ref("Design"), READ_ONE),
    ("get", "/campaigns/current"): (None, (*READ_ONE, 429)),
    ("get", "/campaigns/{slug}/stock"): (None, (*READ_ONE, 429)),
    # Taking a ticket sends no body: only the drop (404), a bad cart id (422)
    # and the rate limit (429) can refuse it.
    ("post", "/drops/{drop_id}/tickets"): (None, (*READ_ONE, 429)),
    ("get", "/drops/{drop_id}/tickets/{ticket}"): (None, (*READ_ONE, 429)),
    # Staff only: no credentials 401, not staff (or a session without CSRF) 403.
    ("post", "/streams/{stream_id}/pins"): (None, (401, 403, 404, *WRITE)),
    ("delete", "/streams/{stream_id}/pins/{sku}"): (None, (401, 403, *READ_ONE, 429)),
    ("post", "/streams/{stream_id}/status"): (None, (401, 403, 404, *WRITE)),
    ("get", "/streams/{stream_id}/viewers"): (None, (401, 403, *READ_ONE, 429)),
    # The same 202 whether or not the address is known; 429 per address and per e-mail.
    ("post", "/privacy/requests"): (ref("PrivacyAccepted"), WRITE),
    # A used or expired link: 410; not a link we signed: 404.
    ("post", "/privacy/requests/{token}/confirm"): (ref("PrivacyConfirmed"), (404, 410, 429)),
    ("get", "/analytics/funnel"): (None, (401, 403, 422, 429)),
    ("get", "/experiments/{slug}"): (None, (401, 403, 404, 422, 429)),
}
# Writes that take no body: the statuses of a body (400, 413, 415) cannot occur.
BODILESS = {("post", "/drops/{drop_id}/tickets"), ("post", "/privacy/requests/{token}/confirm")}

# Operations only a party holding a secret may call, and how it proves it.
SECURITY_SCHEMES = {
    "sandboxSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "Sandbox-Signature",
        "description": 't=UNIX_SECONDS,v1=hex HMAC-SHA256 of f"{t}.{body}" with '
        "SANDBOX_WEBHOOK_SECRET; a missing, stale or wrong signature is a 401.",
    },
}
SECURITY_SCHEMES["staffToken"] = {
    "type": "http",
    "scheme": "bearer",
    "description": "A staff API token made in the admin (Staff API tokens); a staff "
    "session with its CSRF token works too. None: 401; not staff: 403.",
}
STAFF: list[dict[str, list[str]]] = [{"staffToken": []}]
SECURITY: dict[tuple[str, str], list[dict[str, list[str]]]] = {
    ("post", "/payments/sandbox/webhook"): [{"sandboxSignature": []}],
    ("post", "/streams/{stream_id}/pins"): STAFF,
    ("delete", "/streams/{stream_id}/pins/{sku}"): STAFF,
    ("post", "/streams/{stream_id}/status"): STAFF,
    ("get", "/streams/{stream_id}/viewers"): STAFF,
    ("get", "/analytics/funnel"): STAFF,
    ("get", "/experiments/{slug}"): STAFF,
}

REQUEST_BODIES = {
    ("post", "/designs"): "DesignIn",
    ("post", "/payments/sandbox/webhook"): "WebhookEventIn",
}

HEADERS: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("post", "/carts/{cart_id}/checkout"): [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 255},
            "description": "The same key with the same body replays the first answer; with "
            "another body it is a 422; while the first is still running a 409.",
        }
    ],
    ("get", "/orders/{order_id}"): [
        {
            "name": "Authorization",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 200},
            "description": "`Bearer ACCESS_TOKEN`: the order's access token, instead of "
            "`?token=` (so it need not travel in URLs).",
        }
    ],
}

DESCRIPTIONS = {
    400: "The body is not JSON (or a signed webhook of the wrong shape).",
    401: "No credentials: the webhook is not signed by the provider (`bad_signature`), or a "
    "staff call came without a token or session.",
    402: "The payment was declined; nothing was charged.",
    403: "A staff call from someone who is not staff, or a session without its CSRF token.",
    404: "No such resource.",
    409: "The state it meets refuses it: short stock (`lines`), `hold_limit` (`limit`), "
    "`cart_already_ordered`, `request_in_progress`.",
    410: "The link was already used, has expired, or its shopper's data was erased.",
    413: "The body is larger than the server takes.",
    415: "The body is not `application/json`.",
    422: "A field is invalid (`detail` names each); `design_too_costly` for a drawing past "
    "its cost cap.",
    429: "Too many requests from this client; retry after `retry_after` seconds.",
    503: "Not now (no market configured, a provider down); try again.",
}


def _markets() -> list[str]:
    try:
        return [market.code for market in active_markets()]
    except DatabaseError:  # no tables yet (a fresh checkout printing its schema)
        return []


def _enum_field(schema: dict[str, Any], values: list[str]) -> dict[str, Any]:
    """A string field (maybe nullable) restricted to `values`."""
    if not values:
        return schema
    nullable = any(alt.get("type") == "null" for alt in schema.get("anyOf", []))
    enum = {"type": "string", "enum": values}
    extra = {k: v for k, v in schema.items() if k in ("title", "description", "default")}
    return {"anyOf": [enum, {"type": "null"}], **extra} if nullable else {**enum, **extra}


def _restrict(properties: dict[str, Any], enums: dict[str, list[str]]) -> None:
    for name, values in enums.items():
        if name in properties:
            properties[name] = _enum_field(properties[name], values)


def _error(status: int) -> dict[str, Any]:
    schema = ref("RateLimited") if status == 429 else ref("Error")
    answer: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": schema}},
    }
    if status == 429:
        answer["headers"] = {
            "Retry-After": {
                "required": True,
                "schema": {"type": "integer"},
                "description": "Seconds to wait before trying again.",
            },
        }
    return answer


def document(schema: dict[str, Any], *, prefix: str = "/api/v1") -> dict[str, Any]:
    """Complete the document django-ninja made (see the module's docstring)."""
    enums = {"market": _markets(), "locale": list(supported_locales())}
    schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    components = schema["components"].setdefault("schemas", {})
    components.update(SCHEMAS)
    for name in ("ResultIn", "CartIn", "MixIn", "RecipeIn", "DesignIn"):
        if name in components:
            _restrict(components[name].get("properties", {}), enums)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            key = (method, path.removeprefix(prefix))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter.get("name") in enums:
                    parameter["schema"] = _enum_field(parameter["schema"], enums[parameter["name"]])
            operation.setdefault("parameters", []).extend(HEADERS.get(key, []))
            if key in SECURITY:
                operation["security"] = SECURITY[key]
            if key in REQUEST_BODIES:
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": ref(REQUEST_BODIES[key])}},
                }
            if key not in OPERATIONS:
                continue
            success, statuses = OPERATIONS[key]
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code, answer in responses.items():
                if success is not None and code.startswith("2") and code != "204":
                    answer["content"] = {"application/json": {"schema": success}}
            for status in statuses:
                responses[str(status)] = _error(status)
    return schema
