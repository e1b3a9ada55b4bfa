from committees.models.staff import StaffAssignment
from committees.models.territories import (
    Arrondissement,
    Commune,
    Departement,
    Epci,
    Ept,
    Region,
    TerritorialEdition,
)

__all__ = [
    "Arrondissement",
    "Commune",
    "Departement",
    "Epci",
    "Ept",
    "Region",
    "StaffAssignment",
    "TerritorialEdition",
]
