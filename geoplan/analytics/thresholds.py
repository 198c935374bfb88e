"""Policy thresholds ("no more than X % municipal units in any neighbourhood") and the flags."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geoplan.address import address_line
from geoplan.policy import Policy
from geoplan.ui.format import cap_pct, count_text, pct

_TEXT = {
    "area": {"nb": "{name}: {share} kommunale boliger (tak {cap})",
             "en": "{name}: {share} municipal dwellings (cap {cap})"},
    "building": {"nb": "{place}: {n} kommunale boliger i samme bygning/borettslag (tak {cap})",
                 "en": "{place}: {n} municipal units in one building or housing company "
                       "(cap {cap})"},
    "radius": {"nb": "{place}: {n} kommunale boliger innen 250 m (tak {cap})",
               "en": "{place}: {n} municipal units within 250 m (cap {cap})"},
}


def area_flags(table: pd.DataFrame, policy: Policy, lang: str = "nb") -> pd.Series:
    """Return the reason text for each area over the share cap, '' for the rest."""
    share = table["share"].to_numpy(float)
    over = np.isfinite(share) & (share > policy.max_area_share)
    return pd.Series([
        _TEXT["area"][lang].format(name=name or code, share=pct(s, lang),
                                   cap=cap_pct(policy.max_area_share, lang))
        if o else ""
        for code, name, s, o in zip(table["code"], table["name"], share, over, strict=True)
    ], index=table.index)


def unit_flags(
    units: pd.DataFrame, prox: pd.DataFrame, policy: Policy, lang: str = "nb"
) -> pd.Series:
    """Return the reasons (joined by '; ') for each unit over a building or radius cap."""
    reasons = []
    for u, (_, p) in zip(units.itertuples(), prox.iterrows(), strict=True):
        place = address_text(u) or u.unit_id
        out = []
        if p["same_building"] > policy.max_per_building:
            out.append(_TEXT["building"][lang].format(
                place=place, n=count_text(p["same_building"]), cap=policy.max_per_building))
        if p["within_250m"] > policy.max_within_250m:
            out.append(_TEXT["radius"][lang].format(
                place=place, n=count_text(p["within_250m"]), cap=policy.max_within_250m))
        reasons.append("; ".join(out))
    return pd.Series(reasons, index=units.index)


def address_text(unit) -> str:
    """Return "Storgata 12 B" from a unit's address parts ('' when it has no street)."""
    return address_line(*(getattr(unit, k, None) for k in ("street", "house_number", "letter")))
