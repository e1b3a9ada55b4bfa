"""Benchmarks: ``make bench`` runs every ``tests/bench/bench_*.py`` module's ``run()``.

They are measurements, not tests: each returns lines of results, written to ``var/bench.txt``.
They run on their own database (``var/bench.sqlite3`` unless ``DATABASE_URL`` is set), migrated
and loaded with the full territorial reference first.
"""
