"""The fictional Kent and Medway demo consortium: twelve landlords across the thirteen districts.

Landlord and staff names are invented; places and ONS district codes are real.
"""

from __future__ import annotations

from dataclasses import dataclass

from safemoves.organisations.models import Organisation, Role

DEMO_PASSWORD = "safemoves-demo-2026"  # noqa: S105 - printed for the demo, refused outside demo mode
SCHEME_NAME = "Kent and Medway Reciprocal (demo)"


@dataclass(frozen=True)
class DemoLandlord:
    name: str
    slug: str
    kind: str
    areas: tuple[str, ...]


HA = Organisation.Kind.HOUSING_ASSOCIATION
COUNCIL = Organisation.Kind.COUNCIL

LANDLORDS: tuple[DemoLandlord, ...] = (
    DemoLandlord("Medway Riverside Homes", "medway-riverside", HA, ("E06000035", "E07000110")),
    DemoLandlord("Weald and Downs Housing", "weald-downs", HA, ("E07000110", "E07000111", "E07000116")),
    DemoLandlord("Canterbury Cathedral Homes", "cathedral-homes", HA, ("E07000106", "E07000108", "E07000114")),
    DemoLandlord("Thanet Coast Housing (council landlord)", "thanet-coast", COUNCIL, ("E07000114",)),
    DemoLandlord("Swale and Sheppey Homes", "swale-sheppey", HA, ("E07000113", "E06000035")),
    DemoLandlord("Ashford Vale Housing", "ashford-vale", HA, ("E07000105", "E07000112")),
    DemoLandlord("Dover Strait Homes (council landlord)", "dover-strait", COUNCIL, ("E07000108",)),
    DemoLandlord("Gravesham Thameside Housing", "thameside", HA, ("E07000109", "E07000107")),
    DemoLandlord("Folkestone Harbour Homes", "harbour-homes", HA, ("E07000112", "E07000105")),
    DemoLandlord("Tonbridge and Malling Community Housing", "tm-community", HA, ("E07000115", "E07000111")),
    DemoLandlord("Tunbridge Wells Pantiles Homes", "pantiles-homes", HA, ("E07000116", "E07000115")),
    DemoLandlord("Dartford Crossing Housing (council landlord)", "dartford-crossing", COUNCIL, ("E07000107",)),
)

FIRST_NAMES = (
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Eleni",
    "Femi",
    "Grace",
    "Harjit",
    "Isla",
    "Jonah",
    "Kiran",
    "Lena",
    "Marcus",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tomasz",
    "Uma",
    "Victor",
    "Wen",
    "Yusuf",
)
LAST_NAMES = (
    "Abbott",
    "Bailey",
    "Chowdhury",
    "Doherty",
    "Evans",
    "Fraser",
    "Gallagher",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Lewis",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quigley",
    "Reid",
    "Singh",
    "Turner",
)

ROLE_LOGIN = {
    Role.OFFICER: "officer",
    Role.MANAGER: "manager",
    Role.LETTINGS_OFFICER: "lettings",
    Role.COORDINATOR: "coordinator",
    Role.AUDITOR: "auditor",
    Role.ADMIN: "admin",
}


def demo_email(landlord: DemoLandlord, role: Role) -> str:
    return f"{ROLE_LOGIN[role]}@{landlord.slug}.example"


def demo_name(landlord_index: int, role_index: int) -> str:
    seed = landlord_index * 7 + role_index * 5
    return f"{FIRST_NAMES[seed % len(FIRST_NAMES)]} {LAST_NAMES[(seed * 3 + landlord_index) % len(LAST_NAMES)]}"
