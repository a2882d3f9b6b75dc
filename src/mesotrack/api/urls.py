from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path

from mesotrack.api.errors import NOT_FOUND
from mesotrack.api.main import api


def api_not_found(request: HttpRequest, rest: str) -> JsonResponse:
    return JsonResponse({"detail": NOT_FOUND}, status=404)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.urls),
    # Anything else under /api/v1/ answers in JSON too, not with the HTML 404 page.
    path("<path:rest>", api_not_found),
]
