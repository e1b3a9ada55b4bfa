"""The API's JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

Its own module: ``rest_framework.views`` reads the parser setting when it is imported, so the
parser must not live in a module that imports DRF's views (``cte_portal.core.api``).
"""

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DrfJSONParser

MALFORMED = "Requête mal formée : le contenu envoyé ne peut pas être lu."
TOO_BIG = "Requête trop volumineuse : le contenu envoyé dépasse la taille acceptée."

# Deeper than this, a JSON body is refused: no form of the API nests more than a few levels,
# and a 10 000-level body would exhaust the parser's recursion (a 500).
MAX_JSON_DEPTH = 32


def _json_depth(value) -> int:
    depth, level = 0, [(value, 1)]
    while level:
        item, current = level.pop()
        depth = max(depth, current)
        if depth > MAX_JSON_DEPTH:
            return depth
        if isinstance(item, dict):
            level.extend((v, current + 1) for v in item.values())
        elif isinstance(item, list):
            level.extend((v, current + 1) for v in item)
    return depth


class JSONParser(DrfJSONParser):
    """DRF's JSON parser, refusing (French 400) what it cannot read or nests too deeply, and
    (French 413) a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: DRF reads the stream itself and
    so skips Django's own check of that limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if stream is not None and limit is not None:
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise RequestDataTooBig(TOO_BIG)
            stream = io.BytesIO(raw)
        try:
            data = super().parse(stream, media_type, parser_context)
        except (RecursionError, UnicodeDecodeError) as exc:
            raise ParseError(MALFORMED) from exc
        if _json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(MALFORMED)
        return data
