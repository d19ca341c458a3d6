"""The public operations: ``match`` the whole pool, ``rank`` for one household or home."""

from __future__ import annotations

from time import perf_counter
from typing import Any

import numpy as np

from .contract import ContractError, Instance, IntArray, parse
from .explain import reasons
from .feasibility import feasible_pairs
from .model import IndexArray
from .scoring import score_pairs, score_totals
from .solve import Solver, solve


class UnknownRecordError(ContractError):
    """A ranking asked for a household or home id the input does not contain."""


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000.0, 1)


def match(data: object, *, solver: Solver = "blocks") -> dict[str, Any]:
    """Solve a v1 or v2 document (already decoded from JSON) and return the output document.

    Everything in the output except ``stats.timings_ms`` depends only on the input.
    """
    start = perf_counter()
    instance = data if isinstance(data, Instance) else parse(data)
    validated = perf_counter()
    graph = feasible_pairs(instance)
    built = perf_counter()
    scoring_ms = 0.0

    def score_of(index: IntArray) -> IndexArray:
        # Scored on demand: the block solve asks only for the pairs a maximum matching can use.
        nonlocal scoring_ms
        began = perf_counter()
        scores = score_totals(instance, graph.household[index], graph.home[index])
        scoring_ms += (perf_counter() - began) * 1000.0
        return scores

    chosen = solve(graph.household, graph.home, score_of, solver)
    solved = perf_counter()

    households = instance.households
    chosen_h, chosen_p = graph.household[chosen], graph.home[chosen]
    chosen_scores = score_pairs(instance, chosen_h, chosen_p)
    chosen_total = chosen_scores.total
    texts = reasons(instance, chosen_h, chosen_p, chosen_scores)
    assignments = [
        {
            "household": households.ids[h],
            "home": instance.homes.ids[p],
            "score": int(s),
            "reasons": lines,
        }
        for h, p, s, lines in zip(chosen_h.tolist(), chosen_p.tolist(), chosen_total.tolist(), texts, strict=True)
    ]
    housed = np.zeros(len(households), dtype=np.bool_)
    housed[chosen_h] = True
    unmatched = [households.ids[i] for i in np.flatnonzero(~housed).tolist()]
    explained = perf_counter()
    return {
        "assignments": assignments,
        "unmatched": unmatched,
        "stats": {
            "households": len(households),
            "homes": len(instance.homes),
            "feasible_pairs": len(graph),
            "candidate_pairs": graph.candidates,
            "households_with_a_feasible_home": int(np.count_nonzero(np.diff(graph.indptr))),
            "housed": len(assignments),
            "unmatched": len(unmatched),
            "total_score": int(chosen_total.sum()),
            "candidate_generators": graph.generator_counts,
            "contract": instance.version,
            "solver": solver,
            "timings_ms": {
                "validate": _ms(start, validated),
                "feasibility": _ms(validated, built),
                "scoring": round(scoring_ms, 1),
                "solve": round(_ms(built, solved) - scoring_ms, 1),
                "reasons": _ms(solved, explained),
                "total": _ms(start, explained),
            },
        },
    }


def rank(data: object, *, household: str | None = None, home: str | None = None, top: int = 10) -> dict[str, Any]:
    """Best feasible homes for one household, or best households for one home.

    Ranking ignores competition from other households: it answers "what could this
    household be offered", not "what will the match give it".
    """
    if (household is None) == (home is None):
        raise ValueError("rank needs exactly one of household= or home=")
    if top < 1:
        raise ValueError("top must be at least 1")
    instance = data if isinstance(data, Instance) else parse(data)
    if household is not None:
        kind, wanted, ids = "household", household, instance.households.ids
    else:
        kind, wanted, ids = "home", str(home), instance.homes.ids
    position = int(np.searchsorted(np.array(ids, dtype=object), wanted)) if ids else 0
    if position >= len(ids) or ids[position] != wanted:
        raise UnknownRecordError(f'{kind} "{wanted}" is not in the input')
    one = np.array([position], dtype=np.int64)
    sub = instance.with_households(one) if kind == "household" else instance.with_homes(one)

    graph = feasible_pairs(sub)
    scores = score_pairs(sub, graph.household, graph.home)
    total = scores.total
    other = graph.home if kind == "household" else graph.household
    # Highest score first; equal scores in id order (indices follow id order).
    order = np.lexsort((other, -total))[:top]
    picked_h, picked_p = graph.household[order], graph.home[order]
    picked_scores = score_pairs(sub, picked_h, picked_p)
    texts = reasons(sub, picked_h, picked_p, picked_scores)
    other_kind = "home" if kind == "household" else "household"
    other_ids = sub.homes.ids if kind == "household" else sub.households.ids
    return {
        kind: wanted,
        "feasible": len(graph),
        "candidates": [
            {other_kind: other_ids[i], "score": int(s), "reasons": lines}
            for i, s, lines in zip(other[order].tolist(), total[order].tolist(), texts, strict=True)
        ],
    }
