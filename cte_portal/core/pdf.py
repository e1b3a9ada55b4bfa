"""PDF documents in the portal's look: WeasyPrint, the Marianne font, running headers.

Every PDF template extends ``pdf/base.html`` and fills ``{% block body %}``; the header of each
page names the committee (``running_title``) and the document (``running_subtitle``), the footer
carries the page numbers.
"""

import atexit
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

_WEIGHTS = {"Light": 300, "Regular": 400, "Medium": 500, "Bold": 700}


@cache
def font_faces_css() -> str:
    """``@font-face`` rules for Marianne, from the files django-dsfr ships (file:// URIs)."""
    rules = []
    for name, weight in _WEIGHTS.items():
        for style, suffix in (("normal", ""), ("italic", "_Italic")):
            path = finders.find(f"dsfr/dist/fonts/Marianne-{name}{suffix}.woff2")
            if path:
                rules.append(
                    "@font-face { font-family: 'Marianne'; "
                    f"src: url('file://{path}') format('woff2'); "
                    f"font-weight: {weight}; font-style: {style}; }}"
                )
    return "\n".join(rules)


@cache
def _fonts():
    """Marianne, loaded once per process: a WeasyPrint font configuration and the stylesheet
    of its ``@font-face`` rules (parsing the stylesheet reads and registers the font files;
    every later document reuses them instead of decoding eight WOFF2 files again)."""
    from weasyprint import CSS  # noqa: PLC0415  (lazy, as below)
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    font_config = FontConfiguration()
    # Released before the interpreter tears WeasyPrint's modules down (its ``__del__`` needs them).
    atexit.register(_fonts.cache_clear)
    return font_config, CSS(string=font_faces_css(), font_config=font_config)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes (the fonts loaded once per process)."""
    # WeasyPrint loads Pango and HarfBuzz (system libraries) on import: only the processes that
    # render a PDF pay for it, and a host without them still serves every other page.
    from weasyprint import HTML  # noqa: PLC0415  (lazy: an optional native dependency)

    font_config, fonts = _fonts()
    html = render_to_string(template_name, {**context, "font_faces_css": ""})
    return HTML(string=html, base_url="/").write_pdf(stylesheets=[fonts], font_config=font_config)
