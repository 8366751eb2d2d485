from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from trunkshow.common.locales import current_locale
from trunkshow.studio import selectors


def studio_page(request: HttpRequest, key: str) -> HttpResponse:
    templates = selectors.templates_payload(locale=current_locale())
    template = next((t for t in templates if t["key"] == key), None)
    if template is None:
        raise Http404("No such bag in the studio.")
    context = {
        "template": template,
        "templates": templates,
        "swatches": selectors.kit_swatches(),
        "brush_sizes": selectors.BRUSH_SIZES,
    }
    return render(request, "studio/studio.html", context)


def studio_index(request: HttpRequest) -> HttpResponse:
    templates = selectors.templates_payload(locale=current_locale())
    return render(request, "studio/index.html", {"templates": templates})
