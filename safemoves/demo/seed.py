from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safemoves.accounts.models import User
from safemoves.audit.services import record_event
from safemoves.common.scoping import scopes_disabled
from safemoves.demo.consortium import DEMO_PASSWORD, LANDLORDS, SCHEME_NAME, demo_email, demo_name
from safemoves.organisations.models import Membership, Organisation, Role, Scheme, SchemeMembership


@dataclass(frozen=True)
class SeedReport:
    created: bool
    organisations: int
    users: int


@transaction.atomic
def seed_demo_consortium() -> SeedReport:
    """Create the demo consortium once; running it again changes nothing."""
    if Scheme.objects.filter(name=SCHEME_NAME).exists():
        return SeedReport(created=False, organisations=len(LANDLORDS), users=User.objects.filter(is_demo=True).count())
    scheme = Scheme.objects.create(name=SCHEME_NAME, slug="kent-medway-demo")
    users = 0
    # Every demo account shares the published demo password: hash it once (argon2 is slow by design).
    demo_password_hash = make_password(DEMO_PASSWORD)
    with scopes_disabled():
        for landlord_index, landlord in enumerate(LANDLORDS):
            organisation = Organisation.objects.create(
                name=landlord.name, slug=landlord.slug, kind=landlord.kind, area_codes=list(landlord.areas)
            )
            SchemeMembership.objects.create(scheme=scheme, organisation=organisation)
            for role_index, role in enumerate(Role):
                user = User.objects.create(
                    email=demo_email(landlord, role),
                    password=demo_password_hash,
                    full_name=demo_name(landlord_index, role_index),
                    is_demo=True,
                )
                Membership.objects.create(user=user, organisation=organisation, role=role)
                TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
                users += 1
            record_event(
                action="demo.seeded",
                actor=None,
                organisation_id=organisation.pk,
                object_type="organisation",
                object_id=organisation.pk,
            )
    return SeedReport(created=True, organisations=len(LANDLORDS), users=users)
