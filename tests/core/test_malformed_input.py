"""No 500 on malformed input (issue 14, "Input"): every API operation of the OpenAPI schema and
every page of the URL resolver is called, as a national admin, with overflowing or non-numeric
ids, malformed query strings, invalid or deeply nested JSON and bodies whose values are out of
any sane range. Each must answer a 4xx (French JSON for the API), never a 5xx.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from tests.clients import login
from tests.factories.meetings import build_scene

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BAD_IDS = (HUGE, "abc", "-1", "0")
BAD_QUERY = (
    "?committee=abc&region=99999999999999999999&departement=-1&page=-1&page_size=abc"
    "&year=99999999999&meeting=1e10&date=2024-99-99&status=%00&q=" + "x" * 3000
)
BAD_QUERY_2 = (
    "?committee=99999999999999999999&region=%C2%B2&departement=%EF%BC%91&page=99999999999999999999"
    "&page_size=-5&year=-99999999999&meeting=99999999999999999999&roadmap=1%00"
)
DEEP_JSON = "[" * 10000 + "]" * 10000


@pytest.fixture
def admin_client(admin_user):
    build_scene()  # so that the lists and filters have rows to walk
    client = Client(raise_request_exception=False)
    return login(client, admin_user)


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation, components


def _with_ids(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _nasty_value(schema: dict, components: dict):
    schema = _resolve(schema, components)
    kind = schema.get("type")
    if "allOf" in schema or "oneOf" in schema:
        return HUGE
    if kind == "integer":
        return int(HUGE)
    if kind == "number":
        return 1e308
    if kind == "boolean":
        return "peut-être"
    if kind == "array":
        return [int(HUGE), "x" * 10000, [[[]]]]
    if kind == "object":
        return {"a": [[[int(HUGE)]]]}
    if schema.get("format") in ("date", "date-time"):
        return "99999-99-99"
    return '=HYPERLINK("http://x")' + "é" * 100000


def _nasty_body(operation: dict, components: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {})
    schema = _resolve(
        (content.get("application/json") or next(iter(content.values()), {})).get("schema", {}),
        components,
    )
    return {
        name: _nasty_value(prop, components) for name, prop in schema.get("properties", {}).items()
    }


def _call(client, method: str, url: str, **kwargs):
    return getattr(client, method)(url, **kwargs)


def _check(response, failures: list, label: str, *, api: bool) -> None:
    if response.status_code >= 500:
        failures.append(f"{label} → {response.status_code}")
    elif api and response.status_code >= 400:
        body = response.json()
        if not isinstance(body.get("detail"), str):
            failures.append(f"{label} → {response.status_code} without a French detail")


def test_api_malformed_ids_and_query_strings_never_answer_500(admin_client):
    failures = []
    for path, method, _operation, _components in _operations():
        urls = {_with_ids(path, bad) for bad in BAD_IDS} if "{" in path else {path}
        for url in sorted(urls):
            for suffix in ("", BAD_QUERY, BAD_QUERY_2) if method == "get" else ("",):
                response = _call(admin_client, method, url + suffix)
                _check(response, failures, f"{method.upper()} {url + suffix[:40]}", api=True)
    assert failures == []


def test_api_invalid_deep_and_out_of_range_bodies_never_answer_500(admin_client):
    failures = []
    for path, method, operation, components in _operations():
        if method not in ("post", "put", "patch"):
            continue
        urls = {_with_ids(path, value) for value in (HUGE, "1")} if "{" in path else {path}
        for url in sorted(urls):
            for label, body in (
                ("invalid JSON", "{not json"),
                ("deep JSON", DEEP_JSON),
                ("nasty values", json.dumps(_nasty_body(operation, components))),
                ("a list", json.dumps([1, 2, 3])),
            ):
                response = _call(
                    admin_client, method, url, data=body, content_type="application/json"
                )
                _check(response, failures, f"{method.upper()} {url} ({label})", api=True)
    assert failures == []


def test_the_deep_json_answer_is_a_french_400(admin_client):
    response = admin_client.post(
        "/api/v1/committees/", data=DEEP_JSON, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Requête mal formée : le contenu envoyé ne peut pas être lu."
    )


def test_an_overflowing_id_is_a_french_json_404(admin_client):
    response = admin_client.get(f"/api/v1/committees/{HUGE}/")
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert response.json()["detail"].endswith("introuvable.")


def _page_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _page_patterns(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern


def _page_urls(pattern: str, value: str) -> str | None:
    if pattern.startswith(("api/", "admin/", "^api", "^admin")):
        return None
    if "(?P<" in pattern or pattern.startswith("^"):
        pattern = re.sub(r"\(\?P<[^>]+>\[0-9\]\+\)", value, pattern)
        pattern = pattern.lstrip("^").rstrip("$").replace("\\.", ".")
        if "(" in pattern or "[" in pattern:
            return None
    url = re.sub(r"<(int:)?[a-z_]+>", value, pattern)
    if "<" in url:
        return None
    return "/" + url


def test_pages_with_overflowing_ids_and_bad_query_strings_never_answer_500(admin_client):
    failures = []
    urls = set()
    for pattern in _page_patterns():
        for value in (HUGE, "1"):
            url = _page_urls(pattern, value)
            # /healthz answers 503 by design when Redis or the workers are down (its own tests).
            if url and not any(skip in url for skip in ("logout", "deconnexion", "healthz")):
                urls.add(url)
    assert len(urls) > 100  # the walk reached the pages
    for url in sorted(urls):
        for suffix in ("", BAD_QUERY, BAD_QUERY_2):
            response = admin_client.get(url + suffix)
            _check(response, failures, f"GET {url}{suffix[:40]}", api=False)
    assert failures == []


@pytest.mark.parametrize("url", ["/api/v1/committees/", "/api/v1/meetings/"])
def test_an_api_json_body_over_the_limit_is_a_french_413(admin_client, settings, url):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 5000})
    response = admin_client.post(url, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "detail": "Requête trop volumineuse : le contenu envoyé dépasse la taille acceptée.",
    }


def test_a_request_over_the_size_limit_is_a_french_413_page_or_json(admin_client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    payload = {"document": "x" * 5000}
    page = admin_client.post("/comites/", payload)
    assert page.status_code == 413
    assert "Le contenu envoyé est trop volumineux" in page.content.decode()
    api = admin_client.post("/api/v1/committees/", payload)
    assert api.status_code == 413
    assert api.json()["detail"].startswith("Requête trop volumineuse")


def test_a_form_with_too_many_fields_is_a_french_413_page(admin_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = admin_client.post("/comites/nouveau/", {f"f{i}": "x" for i in range(50)})
    assert response.status_code == 413
    assert "trop volumineux" in response.content.decode()


def test_a_malformed_multipart_body_is_a_french_400(admin_client):
    response = admin_client.generic(
        "POST",
        "/api/v1/audits/",
        b"--nope\r\nbroken",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Requête mal formée")
