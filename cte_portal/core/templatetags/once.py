"""The one-time token of every POST form (``cte_portal.core.once``).

This library is a template builtin (``TEMPLATES["OPTIONS"]["builtins"]``): its ``{% csrf_token %}``
renders Django's CSRF field and, beside it, a fresh one-time token. Every form of the portal that
posts carries ``{% csrf_token %}``, so every one of them — creation forms on their own pages,
inline forms on detail pages, confirmations — is sent once only, without each template having
to remember a second tag.
"""

from django import template
from django.middleware.csrf import get_token
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from cte_portal.core.once import FIELD, new_token
from cte_portal.core.page_cache import FORM_TOKENS, punching_holes

register = template.Library()


def _once_field() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


def form_tokens(request) -> str:
    """The CSRF field of ``request`` and a new one-time token: what ``{% csrf_token %}`` writes,
    for a form whose body comes from the cache (``cte_portal.core.page_cache``)."""
    csrf_field = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    return csrf_field + _once_field()


class CsrfAndOnceTokenNode(CsrfTokenNode):
    def render(self, context):
        csrf_field = super().render(context)
        if not csrf_field:  # no CSRF token in this context: not a form of a request
            return csrf_field
        if punching_holes():  # a body kept in the cache: the tokens are written when served
            return FORM_TOKENS
        return csrf_field + _once_field()


@register.tag
def csrf_token(parser, token):
    return CsrfAndOnceTokenNode()
