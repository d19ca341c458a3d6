from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safemoves.demo.cases import seed_demo_cases
from safemoves.demo.emergency import seed_demo_emergency_offers
from safemoves.demo.properties import seed_demo_homes
from safemoves.demo.reciprocal import seed_demo_requests
from safemoves.demo.safety import seed_demo_risk_and_safety
from safemoves.demo.seed import seed_demo_consortium
from safemoves.demo.working_day import seed_demo_working_day


class Command(BaseCommand):
    help = "Seed the fictional Kent and Medway demo consortium (demo mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-cases", dest="with_cases", action="store_false", help="Staff and landlords only.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("The demo consortium can only be seeded with SAFEMOVES_DEMO=1.")
        report = seed_demo_consortium()
        verb = "Seeded" if report.created else "Already seeded:"
        self.stdout.write(f"{verb} {report.organisations} landlords, {report.users} demo staff accounts.")
        if options["with_cases"]:
            cases = seed_demo_cases()
            self.stdout.write(f"Seeded {cases} demo cases." if cases else "Demo cases already seeded.")
            safety = seed_demo_risk_and_safety()
            self.stdout.write(
                f"Risk and safety: {safety.assessments} assessments, {safety.marac_referrals} MARAC referrals, "
                f"{safety.actions} safety actions, {safety.appraisals} options appraisals."
            )
            offers = seed_demo_emergency_offers()
            self.stdout.write(
                f"Seeded {offers} emergency accommodation offers." if offers else "Emergency offers already seeded."
            )
            homes = seed_demo_homes()
            self.stdout.write(f"Seeded {homes} void homes." if homes else "Void homes already seeded.")
            requests = seed_demo_requests()
            self.stdout.write(f"Seeded {requests} move requests." if requests else "Move requests already seeded.")
            tasks = seed_demo_working_day()
            self.stdout.write(f"Seeded {tasks} tasks." if tasks else "Tasks already seeded.")
