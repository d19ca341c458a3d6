"""SafeMoves matching engine: pure Python + numpy/scipy/OR-Tools, no Django.

``match(data)`` takes a decoded v1 or v2 contract document (ADR 0004, ADR 0010) and returns the
output; ``rank(data, household=...)`` / ``rank(data, home=...)`` list the best feasible
partners of one record. Invalid input raises :class:`ContractError`.
"""

from .contract import ContractError, Instance, parse
from .engine import UnknownRecordError, match, rank

__all__ = ["ContractError", "Instance", "UnknownRecordError", "match", "parse", "rank"]
