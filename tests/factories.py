"""Builders for test data: two landlords with a member of staff in every role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safemoves.accounts.backends import STAFF_BACKEND
from safemoves.accounts.models import User
from safemoves.accounts.services import LOGIN_AT, SIGNED_IN_ORGANISATION
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership, Organisation, Role, Scheme, SchemeMembership

PASSWORD = "correct horse battery staple"


def make_organisation(name: str, *, areas: tuple[str, ...] = ("E07000110",)) -> Organisation:
    slug = name.lower().replace(" ", "-")
    return Organisation.objects.create(
        name=name, slug=slug, kind=Organisation.Kind.HOUSING_ASSOCIATION, area_codes=list(areas)
    )


def make_member(organisation: Organisation, role: Role, *, email: str | None = None, name: str | None = None) -> User:
    email = email or f"{role.value}@{organisation.slug}.test"
    user = User.objects.create_user(email, PASSWORD, full_name=name or f"{role.label} of {organisation.name}")
    with scopes_disabled():
        Membership.objects.create(user=user, organisation=organisation, role=role)
    TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return user


def device_of(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def current_code(user: User) -> str:
    from django_otp.oath import TOTP

    device = device_of(user)
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{totp.token():06d}"


def sign_in(client: Client, user: User) -> Client:
    """A session as the full sign-in leaves it: password, second factor and login time."""
    client.force_login(user, backend=STAFF_BACKEND)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(user).persistent_id
    session[LOGIN_AT] = timezone.now().timestamp()
    with scopes_disabled():
        membership = Membership.objects.filter(user=user).first()
    if membership is not None:  # as complete_login keeps it
        session[SIGNED_IN_ORGANISATION] = membership.organisation_id
    session.save()
    return client


@dataclass
class Landlord:
    organisation: Organisation
    users: dict[Role, User] = field(default_factory=dict)

    def __getitem__(self, role: Role) -> User:
        return self.users[role]


@dataclass
class World:
    """Landlord A (the owner of every target object) and landlord B (the outsider)."""

    scheme: Scheme
    a: Landlord
    b: Landlord
    extra: dict[str, object] = field(default_factory=dict)

    def members(self) -> list[tuple[str, Landlord, Role, User]]:
        return [
            (label, landlord, role, user)
            for label, landlord in (("A", self.a), ("B", self.b))
            for role, user in landlord.users.items()
        ]


def make_world() -> World:
    scheme = Scheme.objects.create(name="Test scheme", slug="test-scheme")
    landlords = []
    for name, areas in (("Alpha Homes", ("E07000110", "E06000035")), ("Beta Housing", ("E07000106",))):
        organisation = make_organisation(name, areas=areas)
        SchemeMembership.objects.create(scheme=scheme, organisation=organisation)
        landlords.append(Landlord(organisation, {role: make_member(organisation, role) for role in Role}))
    return World(scheme=scheme, a=landlords[0], b=landlords[1])
