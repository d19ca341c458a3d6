from __future__ import annotations

from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.letters import selectors, services
from safemoves.letters.models import SentLetter
from safemoves.organisations.models import Role
from tests.factories import World


def send_letter(world: World, case: Case, *, body: str = "Dear {tenant_name},\n\nPlease call us.") -> SentLetter:
    with organisation_scope(world.a.organisation.pk):
        choice = selectors.template_choice(world.a.organisation, "std:offer")
        assert choice is not None
        return services.letter_send(
            case=case, actor=world.a[Role.OFFICER], choice=choice, subject="Offer {reference}", body=body
        )
