"""Pure computation engine for budget proposals (no Django ORM, Decimal only).

``finance.rounding``: ``round_half_up``, ``significant_places``, ``allocate``.
``finance.engine``: the input dataclasses (``Case``, ``Line``, ...), ``compute`` and
its building blocks, reconciliation with printed figures (``Check``) and the
catalogue overview row.
"""

from .engine import (
    Case,
    Check,
    Figures,
    Line,
    compute,
    overview_row,
    payback,
)
from .rounding import AllocationError, allocate, round_half_up, significant_places

__all__ = [
    "AllocationError",
    "Case",
    "Check",
    "Figures",
    "Line",
    "allocate",
    "compute",
    "overview_row",
    "payback",
    "round_half_up",
    "significant_places",
]
