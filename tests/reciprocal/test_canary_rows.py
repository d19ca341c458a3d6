"""The protected address of a move is never stored in clear (the canary scan, for this app's rows)."""

from __future__ import annotations

import pytest

from safemoves.common.scoping import scopes_disabled
from tests.cases.test_canary import _raw_cells
from tests.factories import make_world
from tests.reciprocal.canary import reciprocal_rows


@pytest.mark.django_db(transaction=True)
def test_move_protected_address_is_never_stored_in_clear() -> None:
    [move] = reciprocal_rows(make_world())["reciprocal.move"]
    with scopes_disabled():
        move.new_address = "CANARY-move-new_address-Zq7"
        move.new_postcode = "CANARY-move-new_postcode-Zq7"
        move.save(update_fields=["new_address", "new_postcode"])
    cells = _raw_cells()
    assert [cell for cell in cells if "CANARY-move" in cell] == []
    assert [cell for cell in cells if "4 Bramley Gardens" in cell] == []
