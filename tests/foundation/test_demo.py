from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from safemoves.accounts.models import User
from safemoves.common.scoping import scopes_disabled
from safemoves.demo.consortium import LANDLORDS
from safemoves.organisations.models import Membership, Organisation, Role, Scheme

KENT_AND_MEDWAY = {
    "E07000105", "E07000106", "E07000107", "E07000108", "E07000109", "E07000110", "E07000111",
    "E07000112", "E07000113", "E07000114", "E07000115", "E07000116", "E06000035",
}  # fmt: skip


@pytest.mark.django_db
def test_demo_seed_refuses_outside_demo_mode(settings: Settings) -> None:
    settings.DEMO = False
    with pytest.raises(CommandError, match="SAFEMOVES_DEMO=1"):
        call_command("seed_demo")
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_demo_consortium_covers_kent_and_medway_with_every_role(settings: Settings) -> None:
    settings.DEMO = True
    out = StringIO()
    call_command("seed_demo", "--no-cases", stdout=out)
    assert out.getvalue().strip() == "Seeded 12 landlords, 72 demo staff accounts."
    assert Scheme.objects.get().members.count() == 12
    covered = {code for organisation in Organisation.objects.all() for code in organisation.area_codes}
    assert covered == KENT_AND_MEDWAY
    with scopes_disabled():
        for organisation in Organisation.objects.all():
            roles = set(Membership.objects.filter(organisation=organisation).values_list("role", flat=True))
            assert roles == set(Role.values), organisation.name
    assert User.objects.filter(is_demo=True).count() == 72
    # A second run changes nothing.
    again = StringIO()
    call_command("seed_demo", "--no-cases", stdout=again)
    assert again.getvalue().strip() == "Already seeded: 12 landlords, 72 demo staff accounts."
    assert Organisation.objects.count() == len(LANDLORDS)


@pytest.mark.django_db
def test_demo_command_prints_the_logins(settings: Settings) -> None:
    settings.DEMO = True
    out = StringIO()
    call_command("demo", "--no-serve", "--no-cases", stdout=out)
    text = out.getvalue()
    assert "Every demo account's password: safemoves-demo-2026" in text
    assert "officer@medway-riverside.example" in text
    assert "current 6-digit code on the code page" in text
