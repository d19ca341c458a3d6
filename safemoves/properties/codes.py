"""Code lists of void homes. CORE codes are versioned data: they change by collection year."""

from __future__ import annotations

from django.db import models

from safemoves.properties import importing


class WheelchairStandard(models.TextChoices):
    """CORE lettings `housingneeds_type` (2024/25): the home's accessibility standard."""

    FULLY_ACCESSIBLE = "0", "Fully wheelchair accessible"
    ESSENTIAL_ROOMS = "1", "Wheelchair access to essential rooms"
    LEVEL_ACCESS = "2", "Level access"
    NONE = "3", "None of these"


class HomeStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    OFFERED = "offered", "Offered"
    LET = "let", "Let"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = importing.ALL_OR_NOTHING, "All or nothing: import no home if any row has a problem"
    KEEP_GOOD_ROWS = importing.KEEP_GOOD_ROWS, "Keep good rows: import the good rows, report the others"
