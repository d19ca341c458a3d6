"""Model fields that keep personal data encrypted at rest (ADR 0006).

Declare personal fields as :class:`EncryptedTextField` / :class:`EncryptedDateField` on a
model whose primary key is a UUID assigned in Python (``default=uuid.uuid4``) so each value
can be bound to its row before the INSERT.

* Reading ``instance.field`` decrypts lazily (once) with that instance's primary key.
* ``save()`` seals the current value; only :class:`Sealed` tokens ever reach the database.
* ``QuerySet.update(field="text")``, ``bulk_update`` or any other route that would hand plain
  text to the database raises ``TypeError``.
* Filtering is refused except ``isnull`` and an exact match against a :class:`Sealed` token
  (used for compare-and-swap); find records through the blind index instead.
* ``values()`` / ``values_list()`` return :class:`Sealed` tokens, never plaintext.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.apps import apps
from django.core import checks, exceptions
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute

from safemoves.common.crypto import DecryptionError, UnknownKeyError, aad_for, key_id_of
from safemoves.common.keyring import get_keyring, open_token
from safemoves.common.scoping import check_row_in_scope

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.expressions import Combinable, Expression

    _TextFieldBase = models.TextField
else:

    class _TextFieldBase(models.TextField):
        # Lets the class be parameterised for the type checker, like django-stubs' fields.
        def __class_getitem__(cls, params: object) -> type:
            return cls


# Set/get types; left unsolved they fall back to _pyi_private_* (nullable when null=True).
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)

__all__ = [
    "EncryptedDateField",
    "EncryptedTextField",
    "Sealed",
    "all_models_with_encrypted_fields",
    "encrypted_fields",
    "sealed_aad",
]


class Sealed(str):
    """A sealed token on its way to or from the database (never plaintext)."""

    __slots__ = ()


def sealed_aad(field: EncryptedTextField[Any, Any], pk: object) -> bytes:
    """Associated data of ``field`` in the row whose primary key is ``pk``."""
    pk_field = field.model._meta.pk
    assert pk_field is not None  # noqa: S101 - every concrete model has one
    canonical = pk_field.to_python(pk)
    if canonical is None:
        raise ValueError(
            f"{field.model._meta.label}.{field.name}: the primary key must be assigned "
            "(use default=uuid.uuid4) before an encrypted value can be sealed or opened"
        )
    return aad_for(field.model._meta.label, field.name, canonical)


class EncryptedAttribute(DeferredAttribute):
    """Keeps the value in the instance; opens a :class:`Sealed` token on first access."""

    field: EncryptedTextField[Any, Any]

    def __get__(self, instance: models.Model | None, cls: type[models.Model] | None = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open_for(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class SealedExact(Exact):
    """``field=<Sealed token>`` only: compare-and-swap on ciphertext, or ``field=None``."""

    def get_prep_lookup(self) -> Any:
        if self.rhs is None or isinstance(self.rhs, Sealed):
            return self.rhs
        raise TypeError(
            f"cannot filter on encrypted field {self.lhs.output_field.name!r}: values are "
            "encrypted in the database; search through the blind index instead"
        )


class EncryptedTextField(_TextFieldBase[_ST, _GT]):
    """Text stored as an envelope-encrypted token bound to its row and field."""

    if TYPE_CHECKING:
        _pyi_private_set_type: str | Combinable
        _pyi_private_get_type: str

    descriptor_class = EncryptedAttribute
    description = "Encrypted text"

    # -- plaintext conversion (overridden for other Python types) --

    def to_plaintext(self, value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{self.model._meta.label}.{self.name} holds text, got {type(value).__name__}")
        return str(value)

    def from_plaintext(self, text: str) -> Any:
        return text

    # -- sealing --

    def open_for(self, instance: models.Model, token: Sealed) -> Any:
        # A row reached by following a foreign key is not filtered by the scoped manager:
        # refuse to open another organisation's personal data inside this organisation's scope.
        check_row_in_scope(instance, "decrypt a field of")
        try:
            text = open_token(token, sealed_aad(self, instance.pk))
        except UnknownKeyError as exc:
            raise UnknownKeyError(exc.key_id, self._where(instance)) from None
        except DecryptionError as exc:
            raise DecryptionError(f"{self._where(instance)}: {exc}") from None
        return self.from_plaintext(text)

    def _where(self, instance: models.Model) -> str:
        return f"{self.model._meta.label}.{self.name} of row {instance.pk}"

    def seal_for(self, instance: models.Model) -> Sealed | None:
        """The current value of this field on ``instance``, sealed for that row."""
        stored = instance.__dict__.get(self.attname)
        value = getattr(instance, self.attname)  # opens (and so verifies) a loaded token
        if value is None:
            return None
        keyring = get_keyring()
        if isinstance(stored, Sealed) and key_id_of(stored) == keyring.active_id:
            return stored  # untouched since loading and already under the active key
        return Sealed(keyring.seal(self.to_plaintext(value), sealed_aad(self, instance.pk)))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return self.seal_for(model_instance)

    # -- database boundary --

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> Any:
        if value is None:
            return None
        if isinstance(value, Sealed):
            return str(value)
        raise TypeError(
            f"refusing to write plaintext to encrypted field {self.model._meta.label}."
            f"{self.name}; assign the attribute and save() the instance instead"
        )

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Sealed | None:
        return None if value is None else Sealed(value)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, Sealed):
            return value
        return str(value)

    def value_to_string(self, obj: models.Model) -> str:
        # Serialisers (dumpdata) get the token, never plaintext.
        sealed = self.seal_for(obj)
        return "" if sealed is None else str(sealed)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return SealedExact
        raise TypeError(
            f"lookup {lookup_name!r} is not possible on encrypted field {self.name!r}: "
            "values are encrypted in the database; search through the blind index instead"
        )

    def get_transform(self, lookup_name: str) -> Any:
        return None

    # -- system checks --

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        label = f"{self.model._meta.label}.{self.name}"
        if self.primary_key or self.unique or getattr(self, "db_index", False):
            errors.append(
                checks.Error(
                    f"{label}: an encrypted field cannot be a primary key, unique or indexed (every token is random)",
                    obj=self,
                    id="safemoves.E601",
                )
            )
        pk = self.model._meta.pk
        if pk is not None and not pk.has_default() and not pk.is_relation:
            errors.append(
                checks.Error(
                    f"{label}: the model's primary key must be assigned in Python "
                    "(e.g. UUIDField(primary_key=True, default=uuid.uuid4)) so the value "
                    "can be bound to its row before insert",
                    obj=self,
                    id="safemoves.E602",
                )
            )
        return errors


class EncryptedDateField(EncryptedTextField[_ST, _GT]):
    """A ``datetime.date`` stored as an encrypted ISO 8601 text (``YYYY-MM-DD``)."""

    description = "Encrypted date"

    if TYPE_CHECKING:
        _pyi_private_set_type: datetime.date | str | Combinable  # type: ignore[assignment]
        _pyi_private_get_type: datetime.date  # type: ignore[assignment]

    def to_plaintext(self, value: Any) -> str:
        if isinstance(value, datetime.datetime):
            raise TypeError(f"{self.model._meta.label}.{self.name} holds a date, not a datetime")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            return datetime.date.fromisoformat(value).isoformat()
        raise TypeError(f"{self.model._meta.label}.{self.name} holds a date, got {type(value).__name__}")

    def from_plaintext(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, Sealed):
            return value
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise exceptions.ValidationError("Enter a valid date (YYYY-MM-DD).", code="invalid") from None

    def value_from_object(self, obj: models.Model) -> Any:
        # A date is a "protected type" that serialisers would copy verbatim; handing them
        # text makes them call value_to_string(), which seals. Forms accept ISO text.
        value = getattr(obj, self.attname)
        return value.isoformat() if isinstance(value, datetime.date) else value

    def formfield(self, **kwargs: Any) -> forms.Field | None:

        defaults: dict[str, Any] = {"form_class": forms.DateField}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


def encrypted_fields(model: type[models.Model], *, local_only: bool = False) -> list[EncryptedTextField[Any, Any]]:
    """Encrypted fields of ``model`` (``local_only``: declared on this table, not a parent)."""
    fields = model._meta.local_concrete_fields if local_only else model._meta.concrete_fields
    return [f for f in fields if isinstance(f, EncryptedTextField)]


def all_models_with_encrypted_fields() -> list[type[models.Model]]:
    """Every installed concrete model that stores at least one encrypted column itself."""
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed and encrypted_fields(model, local_only=True)
    ]
