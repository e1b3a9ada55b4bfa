"""The bare page of the pages benchmark (``make bench``, ``tests/bench/bench_pages.py``).

An authenticated page that extends ``dsfr/base.html`` and does nothing else: the benchmark
measures every main page as a ratio to it, in the same run and the same process. Routed only
when ``CTE_BENCH_BARE_PAGE`` is set (never in production: see the settings).
"""

from django.shortcuts import render


def bare_page(request):
    context = {
        "title": "Page de référence",
        "skiplinks": [{"link": "#content", "label": "Contenu"}],
    }
    return render(request, "core/bench_bare.html", context)
