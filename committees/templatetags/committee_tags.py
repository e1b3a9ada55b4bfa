"""``{% committee_sections committee %}``: the sections other apps add to the committee page
(``committees.sections``), each rendered like an inclusion tag, in a context of its own."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from committees.sections import committee_sections

register = template.Library()


@register.simple_tag(takes_context=True, name="committee_sections")
def committee_sections_tag(context, committee):
    request = context["request"]
    parts = []
    for section in committee_sections():
        new_context = context.new(section.context(request, committee))
        if (csrf_token := context.get("csrf_token")) is not None:
            new_context["csrf_token"] = csrf_token
        html = context.template.engine.get_template(section.template).render(new_context)
        parts.append(format_html('<div class="fr-mt-4w">{}</div>', mark_safe(html)))
    return mark_safe("".join(parts))
