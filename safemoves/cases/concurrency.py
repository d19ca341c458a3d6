"""Concurrent edits of one case, for the lost-update test and its benchmark (ADR 0025).

Each editor appends its own mark to the case's summary with the version it read, as an officer
saving a form would; an ``EditConflict`` means someone saved in between, so it reads again and
retries. With ``case_update``'s row lock and version check no mark may ever be lost.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from uuid import UUID

from django.db import connection

from safemoves.accounts.models import User
from safemoves.cases.models import Case
from safemoves.cases.services import EditConflict, case_update
from safemoves.common.scoping import organisation_scope


@dataclass
class EditRace:
    edits: int = 0
    conflicts: int = 0


def race_edits(*, case_id: UUID, organisation_id: int, actor: User, editors: int, edits_each: int) -> EditRace:
    """Run ``editors`` threads, each saving ``edits_each`` edits of one case; return the tally."""
    tally = EditRace()
    lock = threading.Lock()
    start = threading.Barrier(editors)
    failures: list[BaseException] = []

    def editor(number: int) -> None:
        try:
            start.wait()
            for edit in range(edits_each):
                mark = f"[e{number}.{edit}]"
                while True:
                    with organisation_scope(organisation_id):
                        current = Case.objects.get(pk=case_id)
                        try:
                            case_update(
                                case=current,
                                actor=actor,
                                expected_version=current.version,
                                changes={"referral_summary": current.referral_summary + mark},
                            )
                        except EditConflict:
                            with lock:
                                tally.conflicts += 1
                            continue
                    with lock:
                        tally.edits += 1
                    break
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(number,)) for number in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return tally


def expected_marks(editors: int, edits_each: int) -> list[str]:
    return sorted(f"[e{number}.{edit}]" for number in range(editors) for edit in range(edits_each))
