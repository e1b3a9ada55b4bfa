"""``{% once_token %}``: the one-time token of a form (``cte_portal.core.once``), put next to
``{% csrf_token %}`` in a form that creates something."""

from django import template
from django.utils.html import format_html

from cte_portal.core.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def once_token():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
