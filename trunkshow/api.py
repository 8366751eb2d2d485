"""The JSON API: django-ninja, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from trunkshow.campaigns.api import router as campaigns_router
from trunkshow.campaigns.stream_api import router as streams_router
from trunkshow.commerce.api import router as commerce_router
from trunkshow.common.api_errors import ApiError, api_json_body
from trunkshow.common.errors import DomainError
from trunkshow.openapi_docs import document
from trunkshow.privacy.api import router as privacy_router
from trunkshow.quiz.api import router as quiz_router
from trunkshow.storefront.analytics_api import router as analytics_router
from trunkshow.storefront.api import router as catalog_router
from trunkshow.studio.api import router as studio_router
from trunkshow.video.api import router as video_router


class GuardedJSONParser(Parser):
    """JSON as the standard says: NaN, Infinity and nesting too deep for the
    decoder are a 400 naming what is wrong, never a 500; a body that is JSON
    but not an object is a 422."""

    def parse_body(self, request: HttpRequest) -> Any:
        # A body that is not JSON is a 400, as django-ninja answers it.
        data = api_json_body(request, status=400)
        if not isinstance(data, dict):
            # Every body the API takes is an object; without this a list or a
            # string would be reported as each of its fields missing.
            raise ApiError.unprocessable([(["body"], gettext("The body must be a JSON object."))])
        return data


class FastJSONRenderer(JSONRenderer):
    """The API's answers encoded by orjson (in C, several times faster than json).

    What orjson would write differently from ninja's encoder goes through
    that encoder: datetimes, decimals, lazy translations, pydantic models.
    """

    _fallback = NinjaJSONEncoder()

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(
            data,
            default=self._fallback.default,
            option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS,
        )


class TrunkShowAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """django-ninja's document, completed with every status, header and body."""
        return document(super().get_openapi_schema(**kwargs))


api = TrunkShowAPI(
    parser=GuardedJSONParser(),
    renderer=FastJSONRenderer(),
    title="Trunk Show API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
)


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(request, exc.body(), status=exc.status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return on_api_error(request, ApiError.from_domain(exc))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja turns whatever the parser raised into a bare 400; the
    # parser's own error says what was wrong with the body, in the API's shape.
    cause = exc.__cause__
    if isinstance(cause, ApiError):
        return on_api_error(request, cause)
    code = "bad_request" if exc.status_code == 400 else "error"
    return api.create_response(request, {"code": code, "message": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(
        request,
        {
            "code": "too_large",
            "message": gettext("The request body is larger than %(limit)s bytes.")
            % {"limit": limit},
        },
        status=413,
    )


def _public_loc(loc: list[object]) -> list[object]:
    """["body", "payload", "quantity"] -> ["body", "quantity"]: every view names its
    body parameter `payload`, which is our name, not the client's field."""
    if len(loc) >= 2 and loc[0] == "body" and loc[1] == "payload":
        return [loc[0], *loc[2:]]
    return loc


# pydantic's English messages for the kinds of error a client meets most, as
# msgids: in English the message stays pydantic's own, in another language it
# is the catalog's, filled from the error's context.
_PYDANTIC_MESSAGES = {
    "missing": gettext_noop("Field required"),
    "string_type": gettext_noop("Input should be a valid string"),
    "int_type": gettext_noop("Input should be a valid integer"),
    "int_parsing": gettext_noop(
        "Input should be a valid integer, unable to parse string as an integer"
    ),
    "int_from_float": gettext_noop(
        "Input should be a valid integer, got a number with a fractional part"
    ),
    "bool_type": gettext_noop("Input should be a valid boolean"),
    "bool_parsing": gettext_noop("Input should be a valid boolean, unable to interpret input"),
    "dict_type": gettext_noop("Input should be a valid dictionary"),
    "list_type": gettext_noop("Input should be a valid list"),
    "model_attributes_type": gettext_noop(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "string_too_long": gettext_noop("String should have at most %(max_length)s characters"),
    "string_too_short": gettext_noop("String should have at least %(min_length)s characters"),
    "greater_than_equal": gettext_noop("Input should be greater than or equal to %(ge)s"),
    "less_than_equal": gettext_noop("Input should be less than or equal to %(le)s"),
    "greater_than": gettext_noop("Input should be greater than %(gt)s"),
    "less_than": gettext_noop("Input should be less than %(lt)s"),
    "extra_forbidden": gettext_noop("Extra inputs are not permitted"),
}


def validation_message(err: dict[str, Any]) -> str:
    """One schema error's message in the active language (pydantic's own in English)."""
    english = str(err.get("msg", "Invalid value."))
    template = _PYDANTIC_MESSAGES.get(str(err.get("type", "")))
    if template is None:
        return english
    translated = gettext(template)
    if translated == template:
        return english
    try:
        return translated % dict(err.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return english


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {
            "loc": _public_loc(list(err.get("loc", []))),
            "msg": validation_message(err),
            "type": err.get("type", "value_error"),
        }
        for err in exc.errors
    ]
    fields = ", ".join(".".join(str(p) for p in d["loc"]) for d in detail)
    return api.create_response(
        request,
        {
            "code": "invalid",
            "message": gettext("Invalid input: %(fields)s.") % {"fields": fields},
            "detail": detail,
        },
        status=422,
    )


@csrf_exempt  # like the API's own views: a mistyped POST is a 404, not a CSRF 403
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/: a JSON 404 in the API's shape, not the shop's page."""
    path = request.path[:200]
    message = gettext("No API endpoint at %(path)s; see /api/v1/docs.") % {"path": path}
    body = {"code": "not_found", "message": message}
    return HttpResponse(orjson.dumps(body), status=404, content_type="application/json")


@api.get("/ping", summary="API liveness: the cheapest JSON answer the API gives")
def ping(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


api.add_router("/", catalog_router)
api.add_router("/", quiz_router)
api.add_router("/", video_router)
api.add_router("/", commerce_router)
api.add_router("/", studio_router)
api.add_router("/", campaigns_router)
api.add_router("/", streams_router)
api.add_router("/", privacy_router)
api.add_router("/", analytics_router)
