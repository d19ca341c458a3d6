"""Model instances from database rows without ``Model.__init__``'s general path (ADR 0039).

``Model.from_db`` builds every row's instance through ``Model.__init__``, which serves every
way of making a model (keyword arguments, defaults, related objects) and sends ``pre_init`` and
``post_init`` for each one. A row from the database needs none of that: ``from_db`` hands
``__init__`` one value per concrete field, in field order, with ``DEFERRED`` for the fields a
query left out, and ``__init__`` then only sets each value that is not deferred. A page of 25
cases with their officers made 55 instances, a tenth of the page's CPU.

:func:`from_db` makes the same instance directly: a new ``ModelState`` marked as read from
``db``, then each selected value set as ``__init__`` would set it (``setattr`` where the class
has a data descriptor for the attribute, such as a foreign key's id or an encrypted field,
the instance's ``__dict__`` otherwise). It is used only where it is the same thing: no
receiver is connected to ``pre_init`` or ``post_init`` (Django's image fields connect one; this
product connects none), and the model does not define ``__init__`` of its own. Anything else
goes to Django's ``from_db``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

__all__ = ["DirectFromDb", "from_db"]

# Per model and selected attribute names: (attribute, whether set with setattr) per value.
_Plan = tuple[tuple[str, bool], ...]
_plans: dict[tuple[type[models.Model], tuple[str, ...]], _Plan | None] = {}
_MAX_PLANS = 4_000


def _plan(cls: type[models.Model], field_names: tuple[str, ...], count: int) -> _Plan | None:
    if cls.__init__ is not models.Model.__init__:
        return None
    fields = cls._meta.concrete_fields
    if count == len(fields):
        attnames = [field.attname for field in fields]
    else:
        selected = set(field_names)
        attnames = [field.attname for field in fields if field.attname in selected]
        if len(attnames) != count:
            return None  # not the shape Django's from_db assumes: leave it to Django
    return tuple((name, hasattr(type(getattr(cls, name, None)), "__set__")) for name in attnames)


def from_db(cls: type[models.Model], db: str | None, field_names: Any, values: Any) -> models.Model | None:
    """The instance ``Model.from_db`` would return, or None where only Django's will do."""
    if pre_init.receivers or post_init.receivers:
        return None
    key = (cls, tuple(field_names))
    plan = _plans.get(key, ())
    if plan == ():
        plan = _plan(cls, key[1], len(values))
        if len(_plans) < _MAX_PLANS:
            _plans[key] = plan
    if plan is None or len(plan) != len(values):
        return None
    new = cls.__new__(cls)
    state = new._state = ModelState()
    state.adding = False
    state.db = db
    attributes = new.__dict__
    for (name, with_setattr), value in zip(plan, values, strict=True):
        if value is models.DEFERRED:
            continue
        if with_setattr:
            setattr(new, name, value)
        else:
            attributes[name] = value
    return new


class DirectFromDb:
    """A model's ``from_db`` through :func:`from_db` where that is the same instance, Django's
    otherwise. Listed before the model's Django base class."""

    if not TYPE_CHECKING:  # to the type checker, Model.from_db as the stubs declare it

        @classmethod
        def from_db(cls, db, field_names, values):
            made = from_db(cls, db, field_names, values)
            return made if made is not None else super().from_db(db, field_names, values)
