"""The schemas of the API's answers and of the bodies django-ninja cannot type.

Used by openapi_docs.py; an object lists the fields a client can rely on
(more may come: clients must ignore fields they do not know).
"""

from __future__ import annotations

from typing import Any

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NUM = {"type": "number"}
URL = {"type": "string"}
NULLABLE_STR = {"type": ["string", "null"]}
NULLABLE_URL = {"type": ["string", "null"]}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with these fields (more may come: clients must ignore unknown ones)."""
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


MONEY = obj({"amount": STR, "currency": STR}, {"display": STR})

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": obj(
        {"code": STR, "message": STR},
        {
            "detail": array(
                obj({"loc": array({"type": ["string", "integer"]}), "msg": STR}, {"type": STR})
            )
        },
    ),
    "RateLimited": obj(
        {"code": {"type": "string", "enum": ["rate_limited"]}, "message": STR, "retry_after": INT}
    ),
    "HoldLimit": obj({"code": STR, "message": STR}, {"limit": INT}),
    "Money": MONEY,
    "Ping": obj({"status": STR}),
    "PrivacyAccepted": obj({"status": STR}, {"token": STR, "link": URL}),
    "PrivacyConfirmed": obj({"status": STR, "kind": STR}),
    "Video": obj(
        {
            "id": STR,
            "status": {
                "type": "string",
                "enum": ["queued", "rendering", "ready", "failed", "expired", "limited"],
            },
        },
        {
            "hls_url": NULLABLE_URL,
            "mp4_url": NULLABLE_URL,
            "poster_url": NULLABLE_URL,
            "subtitles_url": NULLABLE_URL,
            "subtitles": {"type": "object", "additionalProperties": URL},
        },
    ),
    "QuizResult": obj(
        {
            "result_id": STR,
            "name": STR,
            "result_url": URL,
            "video": {"oneOf": [ref("Video"), {"type": "null"}]},
            "market": STR,
            "locale": STR,
            "profile": obj({"key": STR, "title": STR}),
            "recommendations": array(
                obj({"sku": STR, "title": STR, "price": ref("Money"), "in_stock": BOOL})
            ),
        },
        {
            "quiz": obj({"slug": STR, "version": INT}),
            "personalised": BOOL,
            "why": {"type": "object"},
        },
    ),
    "CartLine": obj(
        {
            "sku": STR,
            "quantity": INT,
            "mode": STR,
            "unit_price": ref("Money"),
            "line_total": ref("Money"),
        },
        {"design_id": NULLABLE_STR, "title": STR, "available": INT, "short": BOOL},
    ),
    "Cart": obj(
        {
            "id": STR,
            "market": STR,
            "currency": STR,
            "status": STR,
            "lines": array(ref("CartLine")),
            "count": INT,
            "subtotal": ref("Money"),
            "total": ref("Money"),
        },
        {
            "shipping_methods": array(obj({"code": STR, "price": ref("Money")})),
            "tax_included": BOOL,
            "lead_time_days": {"type": ["integer", "null"]},
        },
    ),
    "CheckoutResult": obj(
        {"order_id": STR, "access_token": STR, "status": STR, "total": ref("Money")},
        {"number": STR},
    ),
    "Order": obj(
        {
            "order_id": STR,
            "number": STR,
            "status": STR,
            "market": STR,
            "lines": array(obj({"sku": STR, "quantity": INT, "mode": STR})),
            "total": ref("Money"),
        },
        {
            "email": STR,
            "name": STR,
            "address": {"type": "object"},
            "address_lines": array(STR),
            "subtotal": ref("Money"),
            "shipping": ref("Money"),
            "tax": ref("Money"),
            "tax_included": BOOL,
            "history": array({"type": "object"}),
        },
    ),
    "WebhookResult": {"type": "object"},
    "Mix": obj({"color": STR, "name": STR, "palette": STR}),
    "Recipe": obj(
        {
            "color": STR,
            "name": STR,
            "mixed": STR,
            "mixed_name": STR,
            "recipe": {"type": "object", "additionalProperties": INT},
            "delta_e": NUM,
            "achievable": BOOL,
            "palette": STR,
        }
    ),
    "StudioTemplate": obj(
        {
            "key": STR,
            "product_sku": STR,
            "title": STR,
            "zones": array(obj({"key": STR, "title": STR})),
            "blanks": array(obj({"sku": STR, "in_stock": BOOL})),
        },
        {"in_stock": BOOL},
    ),
    "Design": obj(
        {
            "id": STR,
            "template": STR,
            "mode": {"type": "string", "enum": ["artisan", "diy"]},
            "blank": STR,
            "market": STR,
            "preview_status": {"type": "string", "enum": ["pending", "ready"]},
            "preview_url": NULLABLE_URL,
            "paints": array({"type": "object"}),
            "price": ref("Money"),
            "document": {"type": "object"},
        },
        {"price_parts": {"type": "object"}, "lead_time_days": {"type": ["integer", "null"]}},
    ),
    "DesignIn": {
        "type": "object",
        "description": "A design document, version 1 (engines/design/schema.py has every "
        "rule; a drawing costing more than engines/design/cost.py MAX_COST is a 422 "
        "design_too_costly).",
        "required": ["template", "mode", "market"],
        "properties": {
            "version": {"type": "integer", "enum": [1]},
            "template": {"type": "string", "maxLength": 64},
            "mode": {"type": "string", "enum": ["artisan", "diy"]},
            "market": STR,
            "locale": STR,
            "blank": {"type": "string", "maxLength": 64},
            "zones": {
                "type": "object",
                "maxProperties": 16,
                "additionalProperties": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"},
            },
            "strokes": array(
                obj(
                    {
                        "zone": STR,
                        "color": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"},
                        "width": {"type": "number", "minimum": 1, "maximum": 64},
                        "points": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": 500,
                            "items": {
                                "type": "array",
                                "minItems": 2,
                                "maxItems": 2,
                                "items": {"type": "number", "minimum": 0, "maximum": 1},
                            },
                        },
                    },
                    {"tool": {"type": "string", "enum": ["brush", "sponge"]}},
                )
            )
            | {"maxItems": 200},
            "stencil": {
                "oneOf": [
                    {"type": "null"},
                    obj(
                        {
                            "x": {"type": "number", "minimum": 0, "maximum": 1},
                            "y": {"type": "number", "minimum": 0, "maximum": 1},
                            "scale": {"type": "number", "minimum": 0.2, "maximum": 3},
                            "rotation": NUM,
                            "color": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"},
                        }
                    ),
                ]
            },
            "monogram": {"type": ["string", "null"], "pattern": "^[A-Z]{1,3}$"},
        },
    },
    "WebhookEventIn": obj(
        {
            "id": {"type": "string", "maxLength": 64},
            "type": {"type": "string", "maxLength": 64},
            "data": obj({"order_ref": {"type": "string", "maxLength": 64}}),
        },
    ),
}
