"""Pages of the reciprocal scheme, by page group: `requests` (the referring landlord's requests),
`pool` (the pool, the offering landlord's homes, fits and proposals), `offers` (an offer, its
decision, the identity release, the move and its check-in), `moving` (viewings, sign-up and the
handover, ADR 0028) and `coordination` (matching, the ledger and the scheme policy).

Each view parses input, calls one service or selector and renders; anything the member may not
see is "not found". A posted form reaches its service through ``common.forms.submit``.
"""
