"""Export of the regional map of the largest region (by communes), every commune covered by
an installed CLE: time and peak Python memory (tracemalloc) for XLSX, CSV and PDF.

The CLEs (one per EPCI and département of the region, communes outside any EPCI grouped by
département) are installed through the services inside a transaction rolled back at the end, so
the benchmark database is left as it was found.
"""

import os
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path


def _install_every_commune(region) -> int:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from committees.models import REQUIRED_CATEGORIES, CoPresidency, Level
    from committees.services.committees import create_committee, install_committee, set_perimeter
    from committees.services.composition import add_copresident, add_member
    from territories.models import Commune

    user_model = get_user_model()
    start = date(2024, 9, 1)
    # One CLE per EPCI and département (an EPCI across two départements would make an
    # inter-departmental CLE, which needs written opinions: INS-WRITTEN-OPINIONS).
    groups: dict[tuple[str, str], list[str]] = {}
    communes = Commune.objects.current().filter(region=region)
    for code, departement, epci in communes.values_list("code", "departement", "epci"):
        groups.setdefault((departement, epci or ""), []).append(code)
    # As a préfet would: the whole EPCI when it lies in one département, communes otherwise.
    split = {epci for (_, epci) in groups if epci} - {
        epci
        for epci, n in Commune.objects.current()
        .filter(epci__in={e for (_, e) in groups if e})
        .values_list("epci")
        .annotate(n=Count("departement", distinct=True))
        if n == 1
    }
    people = []
    for index in range(8):
        person = user_model.objects.create_user(
            email=f"bench-map-{index}@bench.example", first_name="Agent", last_name=f"Bench {index}"
        )
        people.append(person)
    for number, ((departement, epci), codes) in enumerate(sorted(groups.items()), start=1):
        committee = create_committee(
            level=Level.LOCAL,
            name=f"CLE bench {number} ({departement}, {epci or 'hors EPCI'})",
            region=region,
        )
        if epci and epci not in split:
            set_perimeter(committee=committee, epcis=[epci])
        else:
            set_perimeter(committee=committee, communes=codes)
        add_copresident(
            committee=committee,
            side=CoPresidency.Side.STATE,
            person=people[0],
            office="Préfet",
            started_on=start,
        )
        add_copresident(
            committee=committee,
            side=CoPresidency.Side.LOCAL_AUTHORITY,
            person=people[1],
            office="Président",
            authority=f"EPCI {epci}",
            started_on=start,
        )
        for index, category in enumerate(REQUIRED_CATEGORIES[Level.LOCAL], start=2):
            add_member(
                committee=committee,
                person=people[index],
                organisation=f"Organisme {category}",
                category=category,
                mandate_start=start,
            )
        install_committee(
            committee=committee, installed_on=start, arrete_reference=f"Bench {number}"
        )
    return len(groups)


def _measure(build, *, memory: bool) -> tuple[float, int, float]:
    """Wall-clock seconds, peak Python memory (with ``memory``) and CPU seconds of this
    process (what the load of other processes on a shared machine leaves out)."""
    if memory:
        tracemalloc.start()
    started, started_cpu = time.perf_counter(), time.process_time()
    build()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    peak = 0
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, peak, cpu


def run():
    from django.db import transaction
    from django.db.models import Count

    from regional_map.exports.builder import ExportScope, build_export
    from regional_map.selectors import build_national_rollup, build_regional_map
    from territories.models import Commune, Region

    region = Region.objects.current().annotate(n=Count("communes")).order_by("-n", "code").first()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    yield f"machine load average at start (1, 5, 15 min): {load}"
    with transaction.atomic():
        started = time.perf_counter()
        cles = _install_every_commune(region)
        yield (
            f"setup: {cles} CLEs installed through the services over the {region.n} communes of "
            f"{region.name} ({region.code}) in {time.perf_counter() - started:.1f} s"
        )
        elapsed, _, _ = _measure(lambda: build_regional_map(region=region), memory=False)
        totals = build_regional_map(region=region).totals
        yield (
            f"map computation: {elapsed:.2f} s — {totals.covered_communes}/{totals.commune_count} "
            f"communes covered, {totals.uncovered_communes} uncovered, "
            f"{totals.cle_installed} CLE installed"
        )
        elapsed, _, _ = _measure(build_national_rollup, memory=False)
        yield f"national roll-up (every region, {Commune.objects.count()} communes): {elapsed:.2f} s"
        with tempfile.TemporaryDirectory() as folder:
            for fmt in ("xlsx", "csv", "pdf"):
                path = Path(folder) / f"map.{fmt}"

                def build(fmt=fmt, path=path):
                    build_export(scope=ExportScope(region=region), fmt=fmt, path=path)

                elapsed, _, cpu = _measure(build, memory=False)
                size = path.stat().st_size
                traced_elapsed, peak, _ = _measure(build, memory=True)
                yield (
                    f"export {fmt.upper()}: {elapsed:.2f} s ({cpu:.2f} s of CPU), "
                    f"file {size / 1024:.0f} KiB, "
                    f"peak Python memory {peak / 1024 / 1024:.1f} MiB "
                    f"(tracemalloc run: {traced_elapsed:.2f} s)"
                )
        transaction.set_rollback(True)
