from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safemoves.demo.consortium import DEMO_PASSWORD, LANDLORDS, ROLE_LOGIN, demo_email
from safemoves.organisations.models import Role


class Command(BaseCommand):
    help = "Set up the demo database, seed the demo consortium, print the logins and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Set up and print the logins only.")
        parser.add_argument("--no-cases", action="store_true", help="Seed landlords and staff only.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("`safemoves demo` needs SAFEMOVES_DEMO=1 (the Makefile's `make demo` sets it).")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", *(["--no-cases"] if options["no_cases"] else []))
        self.print_logins(options["addrport"])
        if not options["no_serve"]:
            call_command("runserver", options["addrport"], use_reloader=False, use_threading=True)

    def print_logins(self, addrport: str) -> None:
        first = LANDLORDS[0]
        write = self.stdout.write
        write("")
        write(f"SafeMoves demo: http://{addrport}/")
        write(f"Every demo account's password: {DEMO_PASSWORD}")
        write("Second factor: demo accounts see their current 6-digit code on the code page (demo mode only).")
        write(f"Logins follow <role>@<landlord>.example, for example at {first.name}:")
        for role in Role:
            write(f"  {role.label:<34} {demo_email(first, role)}")
        write("Landlords: " + ", ".join(f"{landlord.slug}" for landlord in LANDLORDS))
        write(f"Roles: {', '.join(ROLE_LOGIN.values())}")
        write("")
