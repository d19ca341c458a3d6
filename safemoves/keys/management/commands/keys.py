"""``safemoves keys rotate | retire <key id> | status`` (never prints plaintext or keys)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safemoves.common.crypto import KeyringError
from safemoves.common.keyring import reload_keyring
from safemoves.common.keys import (
    DEFAULT_SETTLE_SECONDS,
    EMPTY,
    NOT_A_TOKEN,
    KeyInUseError,
    key_usage,
    retire_key,
    rotate_keys,
)


class Command(BaseCommand):
    help = "Rotate, retire and inspect the keys that encrypt personal data at rest."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rotate: ArgumentParser = actions.add_parser(
            "rotate", help="activate a new key and re-encrypt every value under it"
        )
        rotate.add_argument("--batch-size", type=int, default=500)
        rotate.add_argument(
            "--settle-seconds",
            type=float,
            default=DEFAULT_SETTLE_SECONDS,
            help="wait this long after activating the key so running processes load it",
        )
        rotate.add_argument(
            "--resume",
            action="store_true",
            help="finish an interrupted rotation under the active key (no new key)",
        )
        retire: ArgumentParser = actions.add_parser("retire", help="remove an old key once no stored value uses it")
        retire.add_argument("key_id")
        actions.add_parser("status", help="count stored values per key id and model")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "rotate":
                self._rotate(options)
            elif action == "retire":
                retire_key(options["key_id"])
                self.stdout.write(f"Key {options['key_id']} retired.")
            else:
                self._status()
        except (KeyringError, KeyInUseError) as exc:
            raise CommandError(str(exc)) from None

    def _rotate(self, options: dict[str, Any]) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        report = rotate_keys(
            batch_size=options["batch_size"],
            stdout=self.stdout,
            settle_seconds=options["settle_seconds"],
            new_key=not options["resume"],
        )
        if report.undecryptable or report.remaining_on_old_keys:
            raise CommandError(
                f"{report.undecryptable} values could not be decrypted and "
                f"{report.remaining_on_old_keys} remain on older keys; "
                "run 'keys status' and 'keys rotate --resume'"
            )

    def _status(self) -> None:
        keyring = reload_keyring()
        self.stdout.write(f"Active key: {keyring.active_id}")
        self.stdout.write(f"Keys held: {', '.join(sorted(keyring.keys))}")
        if keyring.retired_ids:
            self.stdout.write(f"Retired: {', '.join(sorted(keyring.retired_ids))}")
        for label, counts in sorted(key_usage().items()):
            parts = [f"{key_id}={n}" for key_id, n in sorted(counts.items())]
            self.stdout.write(f"{label}: {' '.join(parts) if parts else 'no values'}")
            unknown = [key_id for key_id in counts if key_id not in keyring.keys and key_id not in (EMPTY, NOT_A_TOKEN)]
            if unknown or counts[NOT_A_TOKEN]:
                self.stderr.write(
                    f"{label}: values under keys not held ({', '.join(unknown) or '-'}) or "
                    f"not sealed ({counts[NOT_A_TOKEN]}) cannot be read"
                )
