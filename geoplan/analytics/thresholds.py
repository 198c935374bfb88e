"""Policy thresholds ("no more than X % municipal units in any neighbourhood") and the flags.

A flag is data: a tuple of :class:`~geoplan.analytics.reasons.Reason` per area or unit (empty
when nothing is over a cap).  ``geoplan.ui.wording`` words them, and decides there whether a
unit's address may be named.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geoplan.analytics.reasons import Reason
from geoplan.policy import Policy


def area_flags(table: pd.DataFrame, policy: Policy) -> pd.Series:
    """Return each area's flags: ``area_share`` when its share is over the cap, else ``()``.

    ``table`` carries ``code`` and ``share`` (units per dwelling, NaN when unknown), one row per
    area; the result has the same index.
    """
    share = table["share"].to_numpy(float)
    over = np.isfinite(share) & (share > policy.max_area_share)
    cap = float(policy.max_area_share)
    flags = [(Reason("area_share", area=str(code), value=float(s), cap=cap),) if o else ()
             for code, s, o in zip(table["code"], share, over, strict=True)]
    return pd.Series(flags, index=table.index, dtype=object)


def unit_flags(units: pd.DataFrame, prox: pd.DataFrame, policy: Policy) -> pd.Series:
    """Return each unit's flags: ``building`` and/or ``radius`` when over those caps, else ``()``.

    ``units`` carries ``unit_id``; ``prox`` (same rows, same order) carries ``same_building`` and
    ``within_250m`` counts, each unit counting itself.  The result has the index of ``units``.
    """
    flags = []
    for uid, same, near in zip(units["unit_id"], prox["same_building"], prox["within_250m"],
                               strict=True):
        out: list[Reason] = []
        if same > policy.max_per_building:
            out.append(Reason("building", unit_id=str(uid), count=int(same),
                              cap=policy.max_per_building))
        if near > policy.max_within_250m:
            out.append(Reason("radius", unit_id=str(uid), count=int(near),
                              cap=policy.max_within_250m))
        flags.append(tuple(out))
    return pd.Series(flags, index=units.index, dtype=object)


def flagged(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of ``frame`` (with a ``flag`` column of reason tuples) that carry a flag."""
    return frame[frame["flag"].map(bool).to_numpy(bool)]
