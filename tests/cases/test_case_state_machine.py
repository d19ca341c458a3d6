"""The life of a case: its rules hold after every step of any journey.

A Hypothesis state machine drives the real services on the real database over up to three
cases of one landlord: open a case (as staff or the police, with or without a perpetrator's
key), assign and reassign it (now and then to someone who may not have it), agree the
safe-contact rules and record contacts, add a perpetrator, set, complete and cancel safety
actions, set, move, complete and reopen tasks, record and withdraw consent, a DASH checklist
and a MARAC referral, restrict the case, close it with an outcome, and let time pass with the
ticks (breach and overdue notices). There is no reopening of a closed case in the product.

After every step it checks, computed here and not with the product's own helpers:

* status: closed with an outcome and a closing time, else new exactly while nobody is
  assigned (the triage inbox), else open;
* ``next_due_at`` is the earliest open clock (first contact until made, open safety actions,
  open tasks; the case holds no move request here) and None once the case is closed (ADR 0007,
  ADR 0013, ADR 0021);
* the assigned officer is an active officer or manager of the case's own landlord, and on a
  restricted case is one of its named staff, so she can always see her case;
* a case reported by the police, or with a perpetrator who has (or may have) a key or lives at
  the address, has a lock change (ADR 0014); at most one action of each type is open;
* the MARAC rule (ADR 0007): required while the latest DASH is high or escalated and no
  referral is dated on or after it, checked against the product's selector and panel;
* a breach or overdue notice only for an open, overdue action or task of an open case, once;
* every change to a case left an audit event on it, a refused or unchanged step left neither
  change nor event (ADR 0014), and the audit chain still verifies (``safemoves audit verify``).

Each example runs in a savepoint that is rolled back, so examples do not see each other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from safemoves.audit.models import CASE_OBJECT_TYPE, AuditEvent
from safemoves.audit.verify import verify_chain
from safemoves.cases import services as case_services
from safemoves.cases.codes import (
    Answer,
    CaseOutcome,
    CaseSource,
    CaseStatus,
    ConsentBasis,
    ConsentPurpose,
    ContactChannel,
    Relationship,
)
from safemoves.cases.contact import ContactRefused
from safemoves.cases.models import Case, CaseNote, Consent, Perpetrator, SafeContactRules
from safemoves.common.editing import EditConflict
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.reciprocal.models import MoveRequest
from safemoves.risk import selectors as risk_selectors
from safemoves.risk import services as risk_services
from safemoves.risk.models import MaracReferral, RiskAssessment
from safemoves.risk.questions import CURRENT_VERSION, question_set
from safemoves.safety import services as safety_services
from safemoves.safety.catalogue import AFTER_SURVEY, LOCK_CHANGE, POLICE_FLAG, SANCTUARY_SURVEY
from safemoves.safety.codes import ActionStatus
from safemoves.safety.models import SafetyAction, SanctuaryAgreement
from safemoves.tasks import services as task_services
from safemoves.tasks.codes import TaskKind, TaskStatus
from safemoves.tasks.models import Task
from tests.factories import World, make_member

pytestmark = pytest.mark.django_db

MAX_CASES = 3
MARAC_AREA = "E07000110"  # Maidstone
DASH_KEYS = question_set(CURRENT_VERSION).keys
# Staff who might be given a case: A's officer, a second officer and manager (allowed), A's
# lettings officer and B's officer (refused).
ASSIGNEES = ("officer", "officer2", "manager", "lettings", "outsider")
# A refusal of a random step is a legal outcome: the service said no, with its reason.
REFUSALS = (ValidationError, ContactRefused, EditConflict)


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)]


class CaseMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.cases: list[Any] = []
        # What the case was opened with calls for a lock change (ADR 0014).
        self.lock_change_expected: dict[Any, bool] = {}
        # The "yes" count and call-outs each assessment was recorded with.
        self.dash_given: dict[Any, tuple[int, int | None]] = {}
        # Simulated time for the ticks (the services that take a ``now``).
        self.clock_hours = 0
        self.officer2: Any = None

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------

    @property
    def org_id(self) -> int:
        return int(self.world.a.organisation.pk)

    @property
    def manager(self) -> Any:
        return self.world.a[Role.MANAGER]

    def _staff(self, who: str) -> Any:
        if who == "officer2":
            return self.officer2
        if who == "outsider":
            return self.world.b[Role.OFFICER]
        role = {"officer": Role.OFFICER, "manager": Role.MANAGER, "lettings": Role.LETTINGS_OFFICER}[who]
        return self.world.a[role]

    def _case(self, index: int) -> Case:
        with scopes_disabled():
            return Case.objects.select_related("organisation").get(pk=_pick(self.cases, index))

    def _now(self) -> datetime:
        return timezone.now() + timedelta(hours=self.clock_hours)

    def _snapshot(self) -> dict[Any, tuple[Any, ...]]:
        """Everything a step may change about each case, to see which cases a step changed."""
        shot: dict[Any, tuple[Any, ...]] = {}
        with scopes_disabled():
            for case in Case.objects.filter(pk__in=self.cases).order_by("pk"):
                shot[case.pk] = (
                    tuple(
                        sorted((key, str(value)) for key, value in Case.objects.filter(pk=case.pk).values()[0].items())
                    ),
                    tuple(sorted(case.named_staff.values_list("pk", flat=True))),
                    tuple(
                        SafetyAction.objects.filter(case=case)
                        .order_by("pk")
                        .values_list("pk", "status", "due_at", "done_at", "breach_notified_at", "evidence_note")
                    ),
                    tuple(
                        Task.objects.filter(case=case)
                        .order_by("pk")
                        .values_list("pk", "status", "due_at", "version", "overdue_notified_at")
                    ),
                    tuple(Consent.objects.filter(case=case).order_by("pk").values_list("pk", flat=True)),
                    tuple(RiskAssessment.objects.filter(case=case).order_by("pk").values_list("pk", flat=True)),
                    tuple(MaracReferral.objects.filter(case=case).order_by("pk").values_list("pk", flat=True)),
                    tuple(CaseNote.objects.filter(case=case).order_by("pk").values_list("pk", flat=True)),
                    tuple(
                        Perpetrator.objects.filter(case=case)
                        .order_by("pk")
                        .values_list("pk", "has_key", "lives_at_address")
                    ),
                    tuple(SafeContactRules.objects.filter(case=case).values_list("version", flat=True)),
                    tuple(SanctuaryAgreement.objects.filter(case=case).values_list("version", flat=True)),
                )
        return shot

    def _events(self) -> dict[str, int]:
        with scopes_disabled():
            counts: dict[str, int] = {}
            for object_id in AuditEvent.objects.filter(
                object_type=CASE_OBJECT_TYPE, object_id__in=[str(pk) for pk in self.cases]
            ).values_list("object_id", flat=True):
                counts[object_id] = counts.get(object_id, 0) + 1
            return counts

    def _step(self, name: str, action: Callable[[], object]) -> bool:
        """Run one service under the landlord's scope; check its audit trail. True if it was done."""
        before, events_before = self._snapshot(), self._events()
        try:
            with organisation_scope(self.org_id):
                action()
        except REFUSALS:
            event(f"{name}: refused")
            # A refusal changes nothing and logs nothing.
            assert self._snapshot() == before, f"{name} was refused but changed the case"
            assert self._events() == events_before, f"{name} was refused but left an audit event"
            return False
        event(f"{name}: done")
        self._check_audited(name, before, events_before)
        return True

    def _check_audited(self, name: str, before: dict[Any, tuple[Any, ...]], events_before: dict[str, int]) -> None:
        after, events_after = self._snapshot(), self._events()
        for pk, state in after.items():
            changed = before.get(pk) != state
            logged = events_after.get(str(pk), 0) > events_before.get(str(pk), 0)
            assert changed == logged, f"{name}: case changed={changed} but audit event written={logged}"

    # --- rules -----------------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        # Made in this example's savepoint, so made again for each example.
        self.officer2 = make_member(self.world.a.organisation, Role.OFFICER, email="officer2@alpha-homes.test")
        self.open_case(source=CaseSource.POLICE, at_address="", has_key=Answer.YES)

    @precondition(lambda self: len(self.cases) < MAX_CASES)
    @rule(
        source=st.sampled_from((CaseSource.STAFF, CaseSource.POLICE, CaseSource.WOMENS_AID)),
        at_address=st.sampled_from(("", *Answer.values)),
        has_key=st.sampled_from(("", *Answer.values)),
    )
    def open_case(self, source: str, at_address: str, has_key: str) -> None:
        opened: list[Case] = []
        before = self._events()
        with organisation_scope(self.org_id):
            opened.append(
                case_services.case_open(
                    membership=self.manager.membership,
                    data=case_services.NewCase(
                        lead_name=f"Person {len(self.cases)}",
                        source=source,
                        address="12 Example Street\nMaidstone",
                        postcode="ME14 1XQ",
                        tenure="7",
                        perpetrator_at_address=at_address,
                        perpetrator_has_key=has_key,
                    ),
                )
            )
        case = opened[0]
        self.cases.append(case.pk)
        self.lock_change_expected[case.pk] = (
            source == CaseSource.POLICE
            or at_address in (Answer.YES, Answer.NOT_KNOWN)
            or has_key in (Answer.YES, Answer.NOT_KNOWN)
        )
        assert self._events().get(str(case.pk), 0) > before.get(str(case.pk), 0)
        with scopes_disabled():
            locks = list(SafetyAction.objects.filter(case=case, action_type__code=LOCK_CHANGE))
        if self.lock_change_expected[case.pk]:
            # One lock change, due 24 real hours after the referral was received.
            assert [(lock.status, lock.due_at - case.received_at) for lock in locks] == [
                (ActionStatus.OPEN, timedelta(hours=24))
            ]
        else:
            assert locks == []

    @rule(index=st.integers(0, 10), who=st.sampled_from(ASSIGNEES))
    def assign(self, index: int, who: str) -> None:
        case = self._case(index)
        officer = self._staff(who)
        was_closed = case.status == CaseStatus.CLOSED
        done = self._step("assign", lambda: case_services.case_assign(case=case, actor=self.manager, officer=officer))
        # Only an officer or manager of the landlord, and only on a case that is not closed.
        assert done == (who in ("officer", "officer2", "manager") and not was_closed)

    @rule(index=st.integers(0, 10), phone_ok=st.booleans(), visit_ok=st.booleans())
    def contact_rules(self, index: int, phone_ok: bool, visit_ok: bool) -> None:
        case = self._case(index)
        self._step(
            "contact rules",
            lambda: case_services.contact_rules_update(
                case=case,
                actor=self.manager,
                expected_version=None,
                changes={
                    "safe_phone": "07700 900123",
                    "phone_ok": phone_ok,
                    "visit_ok": visit_ok,
                    "is_safe_to_talk_checked": True,
                },
            ),
        )

    @rule(index=st.integers(0, 10), channel=st.sampled_from((ContactChannel.PHONE, ContactChannel.VISIT)))
    def contact(self, index: int, channel: str) -> None:
        case = self._case(index)
        self._step(
            "contact",
            lambda: case_services.contact_record(
                case=case, actor=self.world.a[Role.OFFICER], channel=channel, summary="Spoke about safety."
            ),
        )

    @rule(index=st.integers(0, 10), has_key=st.booleans(), lives_at_address=st.booleans())
    def add_perpetrator(self, index: int, has_key: bool, lives_at_address: bool) -> None:
        case = self._case(index)
        with scopes_disabled():
            had_lock = SafetyAction.objects.filter(
                case=case, action_type__code=LOCK_CHANGE, status__in=[ActionStatus.OPEN, ActionStatus.DONE]
            ).exists()
        self._step(
            "add perpetrator",
            lambda: case_services.perpetrator_add(
                case=case,
                actor=self.manager,
                name="John Harmer",
                relationship=Relationship.EX_PARTNER,
                lives_at_address=lives_at_address,
                joint_tenant=False,
                has_key=has_key,
            ),
        )
        with scopes_disabled():
            open_locks = list(SafetyAction.objects.filter(case=case, action_type__code=LOCK_CHANGE, status="open"))
        if (has_key or lives_at_address) and not had_lock and case.status != CaseStatus.CLOSED:
            # A key holder learnt of on an open case: the lock change from now (ADR 0014).
            assert len(open_locks) == 1
            assert timezone.now() - timedelta(minutes=5) < open_locks[0].starts_at <= timezone.now()

    @rule(index=st.integers(0, 10), code=st.sampled_from((LOCK_CHANGE, POLICE_FLAG, SANCTUARY_SURVEY)))
    def set_action(self, index: int, code: str) -> None:
        case = self._case(index)
        with scopes_disabled():
            already_open = SafetyAction.objects.filter(case=case, action_type__code=code, status="open").exists()
            lives_there = Perpetrator.objects.filter(case=case, lives_at_address=True).exists()
        done = self._step(
            "set safety action",
            lambda: safety_services.safety_action_create(case=case, actor=self.manager, type_code=code),
        )
        # Never on a closed case, never twice open, and no sanctuary while he lives there (ADR 0014).
        refused = case.is_closed or already_open or (code == SANCTUARY_SURVEY and lives_there)
        assert done == (not refused)

    @rule(index=st.integers(0, 10), agrees=st.booleans())
    def sanctuary_agreement(self, index: int, agrees: bool) -> None:
        case = self._case(index)
        self._step(
            "sanctuary agreement",
            lambda: safety_services.sanctuary_agreement_save(
                case=case,
                actor=self.manager,
                tenant_chooses_to_stay=True,
                tenant_choice_note="Told us by phone she wants to stay.",
                landlord_agrees=agrees,
                landlord_agreement_note="The home can be made safe." if agrees else "",
            ),
        )

    @rule(index=st.integers(0, 10))
    def perpetrator_leaves(self, index: int) -> None:
        case = self._case(index)
        with scopes_disabled():
            perpetrator = Perpetrator.objects.filter(case=case, lives_at_address=True).first()
        if perpetrator is not None:
            self._step(
                "perpetrator left",
                lambda: case_services.perpetrator_update(
                    case=case, actor=self.manager, perpetrator=perpetrator, changes={"lives_at_address": False}
                ),
            )

    def _actions(self, *statuses: str) -> list[SafetyAction]:
        with scopes_disabled():
            found = SafetyAction.objects.filter(case_id__in=self.cases).order_by("created_at", "pk")
            return list(found.filter(status__in=statuses) if statuses else found)

    @rule(index=st.integers(0, 10), evidence=st.sampled_from(("Locks changed, job 42.", "  ")))
    def complete_action(self, index: int, evidence: str) -> None:
        actions = self._actions(ActionStatus.OPEN) if index else self._actions()
        if not actions:
            return
        action = _pick(actions, index)
        with scopes_disabled():
            lives_there = Perpetrator.objects.filter(case_id=action.case_id, lives_at_address=True).exists()
            agreement = SanctuaryAgreement.objects.filter(case_id=action.case_id).first()
            agreed = agreement is not None and agreement.tenant_chooses_to_stay and agreement.landlord_agrees
            code = action.action_type.code
        was_open = action.status == ActionStatus.OPEN
        done = self._step(
            "complete safety action",
            lambda: safety_services.safety_action_complete(action=action, actor=self.manager, evidence_note=evidence),
        )
        refused = (
            not was_open
            or not evidence.strip()
            # Completing the survey sets the measures: both must be allowed (ADR 0014).
            or (code == SANCTUARY_SURVEY and (lives_there or not agreed))
        )
        assert done == (not refused)
        with scopes_disabled():
            action.refresh_from_db()
            if done and code == SANCTUARY_SURVEY:
                follow_ups = SafetyAction.objects.filter(follows=action).select_related("action_type")
                assert sorted(item.action_type.code for item in follow_ups) == sorted(AFTER_SURVEY)
                assert {(item.status, item.starts_at) for item in follow_ups} == {(ActionStatus.OPEN, action.done_at)}
            if done and action.action_type.code == LOCK_CHANGE:
                # The locks are changed: nobody on the case still holds a key (ADR 0014).
                assert not Perpetrator.objects.filter(case_id=action.case_id, has_key=True).exists()

    @rule(index=st.integers(0, 10), reason=st.sampled_from(("Not needed: he never had a key.", "")))
    def cancel_action(self, index: int, reason: str) -> None:
        actions = self._actions(ActionStatus.OPEN) if index else self._actions()
        if not actions:
            return
        action = _pick(actions, index)
        self._step(
            "cancel safety action",
            lambda: safety_services.safety_action_cancel(action=action, actor=self.manager, reason=reason),
        )

    def _tasks(self, *statuses: str) -> list[Task]:
        with scopes_disabled():
            found = Task.objects.filter(case_id__in=self.cases).order_by("created_at", "pk")
            return list(found.filter(status__in=statuses) if statuses else found)

    @rule(index=st.integers(0, 10), days=st.integers(-3, 40), review=st.booleans())
    def set_task(self, index: int, days: int, review: bool) -> None:
        case = self._case(index)
        due_on = task_services.next_working_day(timezone.localdate() + timedelta(days=days))
        self._step(
            "set task",
            lambda: task_services.task_create(
                case=case,
                actor=self.manager,
                values={
                    "kind": TaskKind.SUPPORT_PLAN_REVIEW if review else TaskKind.TASK,
                    "title": "Review the support plan" if review else "Ring the school",
                    "owner": self.world.a[Role.OFFICER],
                    "due_on": due_on,
                    "repeat_every_months": 3 if review else None,
                },
            ),
        )

    @rule(index=st.integers(0, 10), days=st.integers(0, 20))
    def move_task(self, index: int, days: int) -> None:
        tasks = self._tasks(TaskStatus.OPEN)
        if not tasks:
            return
        task = _pick(tasks, index)
        due_on = task_services.next_working_day(timezone.localdate() + timedelta(days=days))
        self._step(
            "move task",
            lambda: task_services.task_update(
                task=task, actor=self.manager, expected_version=task.version, values={"due_on": due_on}
            ),
        )

    @rule(index=st.integers(0, 10))
    def complete_task(self, index: int) -> None:
        tasks = self._tasks(TaskStatus.OPEN) if index else self._tasks()
        if tasks:
            task = _pick(tasks, index)
            self._step("complete task", lambda: task_services.task_complete(task=task, actor=self.manager))

    @rule(index=st.integers(0, 10))
    def reopen_task(self, index: int) -> None:
        tasks = self._tasks(TaskStatus.DONE) if index else self._tasks()
        if tasks:
            task = _pick(tasks, index)
            self._step("reopen task", lambda: task_services.task_reopen(task=task, actor=self.manager))

    @rule(index=st.integers(0, 10), basis=st.sampled_from((ConsentBasis.CONSENT, ConsentBasis.WITHDRAWN)))
    def consent(self, index: int, basis: str) -> None:
        case = self._case(index)
        self._step(
            "consent",
            lambda: case_services.consent_record(
                case=case,
                actor=self.manager,
                purpose=ConsentPurpose.AGENCY_REFERRAL,
                basis=basis,
                how_given="Signed form" if basis == ConsentBasis.CONSENT else "",
            ),
        )

    @rule(index=st.integers(0, 10), yes=st.sampled_from((0, 5, 10, 13, 14, 20)), callouts=st.sampled_from((None, 0, 3)))
    def assess(self, index: int, yes: int, callouts: int | None) -> None:
        case = self._case(index)
        answers = {key: Answer.YES if number < yes else Answer.NO for number, key in enumerate(DASH_KEYS)}
        made: list[RiskAssessment] = []
        self._step(
            "DASH",
            lambda: made.append(
                risk_services.risk_assessment_record(
                    case=case, actor=self.manager, answers=answers, police_callouts=callouts
                )
            ),
        )
        if made:
            self.dash_given[made[0].pk] = (yes, callouts)

    @rule(index=st.integers(0, 10), days_ago=st.sampled_from((0, 1)))
    def marac(self, index: int, days_ago: int) -> None:
        case = self._case(index)
        with scopes_disabled():
            latest = RiskAssessment.objects.filter(case=case).order_by("-assessed_at").first()
            newest_consent = (
                Consent.objects.filter(case=case, purpose=ConsentPurpose.AGENCY_REFERRAL)
                .order_by("-recorded_at")
                .first()
            )
            consented = newest_consent is not None and newest_consent.basis == ConsentBasis.CONSENT
        high = latest is not None and self._calls_for_marac(latest)
        made: list[MaracReferral] = []
        done = self._step(
            "MARAC",
            lambda: made.append(
                risk_services.marac_referral_record(
                    case=case,
                    actor=self.manager,
                    area_code=MARAC_AREA,
                    referred_on=timezone.localdate() - timedelta(days=days_ago),
                )
            ),
        )
        # Her consent to referrals, or else a high-risk (or escalated) DASH (ADR 0007).
        assert done == (consented or high)
        if made:
            assert made[0].sharing_basis == (ConsentBasis.CONSENT if consented else ConsentBasis.MARAC_HIGH_RISK)

    @rule(index=st.integers(0, 10), restricted=st.booleans(), with_officer2=st.booleans())
    def restrict(self, index: int, restricted: bool, with_officer2: bool) -> None:
        case = self._case(index)
        staff = [self.officer2] if with_officer2 else []
        self._step(
            "restrict",
            lambda: case_services.case_restrict(
                case=case, actor=self.manager, restricted=restricted, named_staff=staff
            ),
        )

    @rule(index=st.integers(0, 10), outcome=st.sampled_from((*CaseOutcome.values, "")), now=st.integers(0, 2))
    def close(self, index: int, outcome: str, now: int) -> None:
        if now:
            return  # closing ends a journey: one draw in three does it
        case = self._case(index)
        was_closed = case.status == CaseStatus.CLOSED
        done = self._step("close", lambda: case_services.case_close(case=case, actor=self.manager, outcome=outcome))
        assert done == (bool(outcome) and not was_closed)

    @rule(hours=st.sampled_from((0, 12, 25, 24 * 8, 24 * 45)))
    def tick(self, hours: int) -> None:
        """Time passes and the ticks run with that ``now``: breach and overdue notices."""
        self.clock_hours += hours
        now = self._now()
        with scopes_disabled():
            open_cases = set(
                Case.objects.filter(pk__in=self.cases).exclude(status=CaseStatus.CLOSED).values_list("pk", flat=True)
            )
            expected_breaches = {
                action.pk
                for action in SafetyAction.objects.filter(
                    case_id__in=open_cases, status=ActionStatus.OPEN, breach_notified_at=None, due_at__lt=now
                )
            }
            expected_overdue = {
                task.pk
                for task in Task.objects.filter(
                    case_id__in=open_cases, status=TaskStatus.OPEN, overdue_notified_at=None, due_at__lt=now
                )
            }
        before, events_before = self._snapshot(), self._events()
        breaches = safety_services.safety_breaches_notify(now=now)
        overdue = task_services.tasks_overdue_notify(now=now)
        self._check_audited("tick", before, events_before)
        # Each overdue clock of an open case is told once; a closed case's clocks have stopped.
        assert {notice.action_id for notice in breaches} == {str(pk) for pk in expected_breaches}
        assert set(overdue) == {str(pk) for pk in expected_overdue}

    # --- the independent rules -------------------------------------------------------------

    def _calls_for_marac(self, assessment: RiskAssessment) -> bool:
        yes, callouts = self.dash_given[assessment.pk]
        # The default SafeLives thresholds (14 "yes" is high); 3 call-outs in the window escalate.
        return yes >= 14 or (callouts is not None and callouts >= 3)

    @invariant()
    def check_every_rule(self) -> None:
        if not self.cases:
            return
        with scopes_disabled():
            cases = list(Case.objects.filter(pk__in=self.cases).order_by("pk"))
            for case in cases:
                self.status_follows_the_facts(case)
                self.next_due_is_the_earliest_open_clock(case)
                self.officer_belongs_and_can_see(case)
                self.locks_are_changed_when_a_key_is_out(case)
                self.marac_when_high_risk(case)
                self.notices_only_for_open_overdue_clocks(case)
        counted, problems = verify_chain()
        assert problems == [], problems
        assert counted > 0

    def status_follows_the_facts(self, case: Case) -> None:
        if case.status == CaseStatus.CLOSED:
            assert case.outcome in CaseOutcome.values
            assert case.closed_at is not None
            assert (
                AuditEvent.objects.filter(
                    action="case.closed", object_type=CASE_OBJECT_TYPE, object_id=str(case.pk)
                ).count()
                == 1
            )
            return
        assert case.outcome == ""
        assert case.closed_at is None
        # New is the triage inbox: nobody assigned yet. Assignment opens the case.
        assert (case.status == CaseStatus.NEW) == (case.assigned_officer_id is None)
        assert case.status in (CaseStatus.NEW, CaseStatus.OPEN)

    def next_due_is_the_earliest_open_clock(self, case: Case) -> None:
        assert not MoveRequest.objects.filter(case_id=case.pk).exists()  # no reciprocal clock here
        if case.status == CaseStatus.CLOSED:
            assert case.next_due_at is None
            return
        clocks = [
            *(action.due_at for action in SafetyAction.objects.filter(case=case, status=ActionStatus.OPEN)),
            *(task.due_at for task in Task.objects.filter(case=case, status=TaskStatus.OPEN)),
        ]
        if case.first_contact_at is None:
            clocks.append(case.first_contact_due_at)
        assert case.next_due_at == min(clocks, default=None), (case.next_due_at, sorted(clocks))

    def officer_belongs_and_can_see(self, case: Case) -> None:
        named = set(case.named_staff.values_list("pk", flat=True))
        if not case.restricted:
            assert named == set()
        if case.assigned_officer_id is None:
            return
        membership = Membership.objects.get(user_id=case.assigned_officer_id)
        assert membership.organisation_id == case.organisation_id
        assert membership.is_active
        assert membership.role in (Role.OFFICER, Role.MANAGER)
        if case.restricted:
            assert case.assigned_officer_id in named

    def locks_are_changed_when_a_key_is_out(self, case: Case) -> None:
        actions = list(SafetyAction.objects.filter(case=case).select_related("action_type"))
        open_types = [action.action_type.code for action in actions if action.status == ActionStatus.OPEN]
        assert len(open_types) == len(set(open_types)), open_types
        locks = [action for action in actions if action.action_type.code == LOCK_CHANGE]
        if self.lock_change_expected[case.pk]:
            assert locks
        if (
            Perpetrator.objects.filter(case=case).filter(has_key=True).exists()
            or Perpetrator.objects.filter(case=case, lives_at_address=True).exists()
        ):
            # Set when the case was opened or the perpetrator recorded (ADR 0014); the officer
            # may have cancelled it as not needed, and a closed case gets none.
            assert locks or case.status == CaseStatus.CLOSED
        for action in actions:
            assert (action.status == ActionStatus.DONE) == (action.done_at is not None)

    def marac_when_high_risk(self, case: Case) -> None:
        latest = RiskAssessment.objects.filter(case=case).order_by("-assessed_at").first()
        required = False
        if latest is not None:
            yes, _ = self.dash_given[latest.pk]
            assert latest.score == yes
            assessed_on: date = timezone.localdate(latest.assessed_at)
            referred_since = MaracReferral.objects.filter(case=case, referred_on__gte=assessed_on).exists()
            required = self._calls_for_marac(latest) and not referred_since
        with organisation_scope(case.organisation_id):
            assert risk_selectors.marac_required(case) == required
            assert risk_selectors.risk_summary(case).marac_required == required

    def notices_only_for_open_overdue_clocks(self, case: Case) -> None:
        for action in SafetyAction.objects.filter(case=case).exclude(breach_notified_at=None):
            assert action.breach_notified_at is not None
            assert action.due_at < action.breach_notified_at
        for task in Task.objects.filter(case=case).exclude(overdue_notified_at=None):
            assert task.overdue_notified_at is not None
            assert task.due_at < task.overdue_notified_at


def test_the_case_rules_hold_after_every_step(world: World) -> None:
    class Machine(CaseMachine):
        pass

    Machine.world = world
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
