"""Amounts and shares written the French way."""

from django import template

from funders import formatting

register = template.Library()

register.filter("euros", formatting.euros)
register.filter("percent", formatting.percent)
register.filter("number", formatting.number)
