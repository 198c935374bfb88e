"""Display helpers for the purchase pages: verdicts, before/after tables and plan tables (no Streamlit).

Every function here is pure: it turns the purchase results of :mod:`geoplan.service` (evaluations,
ranked candidates, plans, scenario comparisons) into translated texts and DataFrames with
formatted values (bokmål decimal comma via :mod:`geoplan.ui.format`); reasons and shortfalls are
worded by :mod:`geoplan.ui.wording`.  Here, too, the page decides which place may be named.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geoplan.service import METRICS, REASON_GROUPS, TODAY, WHAT_IF_INDICES, reason_group
from geoplan.ui import wording
from geoplan.ui.format import CELL_COLOURS, cap_pct, nok, num, pct
from geoplan.ui.i18n import t
from geoplan.ui.markdown import bullets, md_escape  # noqa: F401 (imported from here too)
from geoplan.ui.unit_table import lonlat
from geoplan.ui.wording import describe, group_counts, shortfall_text
from geoplan.vocab import TARGET_GROUP

if TYPE_CHECKING:
    from geoplan.service import Plan

# The verdict's and class's marks, none from an emoji font (the test machine's Chromium shows
# 🟢 as an empty box): a coloured ● (U+25CF, in every ordinary font) in Markdown, Material
# Symbols (bundled with Streamlit) as an alert's icon, and a cell colour in tables
# (geoplan.ui.format.CELL_COLOURS).  The word ("Grønt", "Gult", "Rødt") always stays, so the
# meaning never rests on the colour alone.
VERDICT_MARK: dict[str, str] = {"green": ":green[●]", "amber": ":orange[●]", "red": ":red[●]",
                                "unknown": ":gray[●]"}
VERDICT_ICON: dict[str, str] = {"green": ":material/check_circle:", "amber": ":material/warning:",
                                "red": ":material/cancel:", "unknown": ":material/help:"}
# "Where to buy" in a blue/purple sequential palette (ColorBrewer BuPu, 3 classes: the darkest is
# the best place), so that its areas are never taken for the green/yellow/orange marker-cluster
# icons or the verdicts' green/amber/red; grey where the dwelling count is missing.  The map fills
# the areas at WHERE_OPACITY; the table's cells are the same colours as they look on the map.
WHERE_COLORS: dict[str, str] = {"green": "#8856a7", "amber": "#9ebcda", "red": "#e0ecf4",
                                "unknown": "#bdbdbd"}
WHERE_OPACITY = 0.45


def on_white(colour: str, opacity: float) -> str:
    """The colour ``#rrggbb`` drawn at ``opacity`` over white, as ``#rrggbb``."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(opacity * c + (1 - opacity) * 255):02x}" for c in rgb)


SHARE_METRICS = ("area_share",)
COUNT_METRICS = ("within_250m", "within_500m", "building_count")
INDEX_METRICS = WHAT_IF_INDICES


def metric_label(metric: str, lang: str = "nb") -> str:
    """The name of a before/after metric: an index by its own name (one per index), the rest
    from ``purchase.metric.<metric>``."""
    if metric in INDEX_METRICS:
        return wording.index_name(metric, lang)
    return t(f"purchase.metric.{metric}", lang)
# what may name a candidate's building, in order of preference (see place_name)
PLACE_KEYS = ("address", "housing_company", "building_id", "label")



def verdict_label(verdict: str, lang: str = "nb") -> str:
    """The verdict's name, e.g. "Rødt" / "Red"."""
    return t(f"purchase.verdict.{verdict}", lang)


def verdict_badge(verdict: str, lang: str = "nb") -> str:
    """The verdict as plain text, safe in a table, a tooltip or HTML, e.g. "Rødt" (a table
    colours its cell: :func:`verdict_colours`; Markdown marks it: :func:`verdict_markdown`)."""
    return verdict_label(verdict, lang)


def verdict_markdown(verdict: str, lang: str = "nb") -> str:
    """The verdict for Markdown with a coloured mark, e.g. ":red[●] Rødt"."""
    return f"{VERDICT_MARK.get(verdict, VERDICT_MARK['unknown'])} {verdict_label(verdict, lang)}"


def verdict_icon(verdict: str) -> str:
    """The Material Symbol of a verdict for an alert's ``icon=`` (e.g. ``st.error``)."""
    return VERDICT_ICON.get(verdict, VERDICT_ICON["unknown"])


def verdict_colours(lang: str = "nb") -> dict[str, dict[str, str]]:
    """Cell colours of the verdict column of :func:`ranked_display` (for ``show_table``)."""
    return {t("purchase.col.verdict", lang): {verdict_label(v, lang): CELL_COLOURS[v]
                                              for v in ("green", "amber", "red")}}


def class_colours(lang: str = "nb") -> dict[str, dict[str, str]]:
    """Cell colours of the class column of :func:`where_display` (for ``show_table``)."""
    return {t("purchase.col.class", lang): {t(f"purchase.class.{c}", lang):
                                            on_white(colour, WHERE_OPACITY)
                                            for c, colour in WHERE_COLORS.items()}}


def verdict_text(verdict: str, lang: str = "nb") -> str:
    """The verdict with its meaning, e.g. "Rødt – bryter et tak"."""
    return f"{verdict_badge(verdict, lang)} – {t(f'purchase.verdict_meaning.{verdict}', lang)}"


def place_name(candidate: Mapping, lang: str = "nb", show_address: bool = True) -> str | None:
    """The name of a candidate's building: its address, housing company, building id or label.

    ``candidate`` is an evaluation (``evaluate_point``) or a row of ``rank``.  With
    ``show_address=False`` (the public mode) neither the address nor the label (often the
    address) is used.  None when nothing may name it (the words then say "the building").
    """
    for key in PLACE_KEYS:
        if not show_address and key in ("address", "label"):
            continue
        value = candidate.get(key)
        if isinstance(value, str) and value:
            return f"{'bygning' if lang == 'nb' else 'building'} {value}" \
                if key == "building_id" else value
    return None


def reason_texts(candidate: Mapping, lang: str = "nb", show_address: bool = True,
                 reasons: Iterable | None = None) -> list[str]:
    """Every reason of an evaluation or ranked row in words, red first (or ``reasons``).

    An area reason names the area (its name, else its code); a building reason names the
    building by :func:`place_name`; the outside reason names the municipality.
    """
    area = candidate.get("area") or {"code": candidate.get("area_code"),
                                     "name": candidate.get("area_name")}
    area_name = area.get("name") or area.get("code")
    building = place_name(candidate, lang, show_address)
    town = candidate.get("municipality") or t("purchase.the_municipality", lang)
    places = {"building_over": building, "building_ok": building, "outside_municipality": town}
    return [describe(r, lang, area_name if r.area is not None else places.get(r.rule))
            for r in (candidate["reasons"] if reasons is None else reasons)]


def reason_sections(candidate: Mapping, lang: str = "nb",
                    show_address: bool = True) -> list[tuple[str, list[str]]]:
    """The reasons in words by group: rules broken, rules passed (warnings first), what speaks
    for the purchase, and for information the change in the indices; empty groups left out.

    Each item is (the group's heading, its reasons in words).
    """
    sections = []
    for group in REASON_GROUPS:
        members = [r for r in candidate["reasons"] if reason_group(r) == group]
        if members:
            sections.append((t(f"purchase.group.{group}", lang),
                             reason_texts(candidate, lang, show_address, members)))
    info = list(candidate.get("info") or ())
    if info:
        sections.append((t("purchase.group.info", lang),
                         reason_texts(candidate, lang, show_address, info)))
    return sections


def headline(candidate: Mapping, lang: str = "nb", show_address: bool = True) -> str:
    """The verdict first, with what decides it: the rules broken (red), the warnings (amber),
    or the meaning of green."""
    verdict = candidate["verdict"]
    level = {"red": "red", "amber": "amber"}.get(verdict)
    decisive = [r for r in candidate["reasons"] if r.level == level] if level else []
    if not decisive:
        return verdict_text(verdict, lang)
    texts = reason_texts(candidate, lang, show_address, decisive)
    return f"{verdict_badge(verdict, lang)} – {t(f'purchase.headline.{verdict}', lang)}: " \
        + "; ".join(texts)


def coordinate_note(evaluation: Mapping, lang: str = "nb") -> str | None:
    """How typed coordinates were read when not as typed ("read as UTM …"), else None."""
    note = evaluation.get("coordinate_note")
    if not note:
        return None
    return t(f"purchase.coord_note.{note['code']}", lang, epsg=note["epsg"])


def coordinate_read(evaluation: Mapping, lang: str = "nb") -> str:
    """What one typed coordinate field was understood as: "Tolket som breddegrad/lengdegrad." or
    "Tolket som Øst/Nord i EPSG:25833." (``evaluation``'s ``coordinate_note``, see
    :func:`geoplan.crs.read_point_text`)."""
    note = evaluation.get("coordinate_note") or {"code": "latlon", "epsg": 4326}
    return t(f"purchase.coord_read.{note['code']}", lang, epsg=note["epsg"])


def coordinates_text(lat: float, lon: float, lang: str = "nb") -> str:
    """A point for the coordinate field, by the language's conventions: "60,881500 11,562500"
    in bokmål, "60.881500, 11.562500" in English (the field reads both)."""
    if lang == "en":
        return f"{lat:.6f}, {lon:.6f}"
    return f"{lat:.6f} {lon:.6f}".replace(".", ",")


def _given(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) \
        and value is not pd.NA and not (isinstance(value, str) and not value.strip())


def candidate_inputs(candidate: Mapping, lang: str = "nb") -> dict[str, object]:
    """The single-candidate test's inputs for one ranked or planned candidate (a row of
    ``rank``'s output or a plan's ``chosen``): the coordinate text, label and what the row
    gives of rooms, floor area, floor, lift, universal design, staffing, type, building, price.

    Keys are the purchase page's input keys (``cand_coords``, ``cand_label``, …); a value the
    row does not give is None (or False for a yes/no), so nothing of a previous candidate stays.
    """
    lon, lat = _lonlat(pd.DataFrame({"x": [candidate["x"]], "y": [candidate["y"]]}))
    get = {k: candidate.get(k) if _given(candidate.get(k)) else None
           for k in ("label", "address", "rooms", "area_m2", "floor", "lift", "universal_design",
                     "staffed", "unit_type", "building_id", "price")}
    number = {k: None if get[k] is None else float(get[k]) for k in ("area_m2", "price")}
    whole = {k: None if get[k] is None else int(get[k]) for k in ("rooms", "floor")}
    return {
        "purchase_action": "buy",
        "cand_coords": coordinates_text(float(lat[0]), float(lon[0]), lang),
        "cand_label": str(get["label"] or get["address"] or ""),
        "cand_rooms": whole["rooms"], "cand_m2": number["area_m2"], "cand_floor": whole["floor"],
        "cand_lift": bool(get["lift"]), "cand_ud": bool(get["universal_design"]),
        "cand_staffed": bool(get["staffed"]), "cand_type": get["unit_type"],
        "cand_building": str(get["building_id"] or ""), "cand_price": number["price"],
    }


def coordinate_refusal(error: Exception, lang: str = "nb") -> str:
    """Why typed coordinates were refused, in words (``error`` a ``geoplan.crs.CoordinateError``)."""
    return t(f"purchase.coord_refused.{getattr(error, 'code', 'not_coordinates')}", lang)


def ranked_table(ranked: pd.DataFrame, lang: str = "nb", show_address: bool = True) -> pd.DataFrame:
    """A flat table of ``rank``'s output: every reason in words in its own column
    (``reason_1`` …), the groups it fits as text (``target_groups``: with the demand model's
    gap, "Eldre (udekket 27, 16 venter)"; without, their households waiting, "Eldre (16)"), no
    place columns and no info reasons (``d_change`` holds D's change)."""
    flat = ranked.drop(columns=["reasons", "demand_fit", "demand_gap", "info_reasons",
                                *(c for c in PLACE_KEYS if c != "label" and c in ranked)],
                       errors="ignore")
    gaps = ranked["demand_gap"] if "demand_gap" in ranked else [()] * len(ranked)
    flat["target_groups"] = [fits_text(fit, gap, lang)
                             for fit, gap in zip(ranked["demand_fit"], gaps, strict=True)]
    texts = [reason_texts(row, lang, show_address) for row in ranked.to_dict("records")]
    for k in range(max((len(r) for r in texts), default=0)):
        flat[f"reason_{k + 1}"] = [r[k] if k < len(r) else "" for r in texts]
    return flat


def fits_text(fit: Iterable[tuple[str, int]], gaps: Iterable[tuple[str, float | None]],
              lang: str = "nb") -> str:
    """The groups a candidate fits in words: with any known gap "Eldre (udekket 27, 16
    venter)" (:func:`geoplan.ui.wording.group_gaps`), else "Eldre (16)" (households waiting)."""
    fit, gaps = list(fit), dict(gaps)
    if not any(gaps.get(g) is not None for g, _ in fit):
        return group_counts(fit, lang)
    return wording.group_gaps([(g, w, gaps.get(g)) for g, w in fit], lang)


def _finite(value: object) -> bool:
    return value is not None and isinstance(value, int | float | np.number) \
        and math.isfinite(float(value))


def format_metric(metric: str, value: float | None, lang: str = "nb") -> str:
    """Format one metric's value: shares as percent, counts whole, indices with 3 decimals."""
    if not _finite(value):
        return num(float("nan"), lang)
    if metric in SHARE_METRICS:
        return pct(value, lang)
    if metric in COUNT_METRICS:
        return str(int(round(value)))
    if metric in INDEX_METRICS:
        return num(value, lang, 3)
    return num(value, lang, 2)


def format_change(metric: str, before: float | None, after: float | None, lang: str = "nb") -> str:
    """The signed change from before to after ("+1", "+0,1 pp", "−0,002"); empty when unknown."""
    if not (_finite(before) and _finite(after)):
        return ""
    diff = float(after) - float(before)
    if metric in SHARE_METRICS:
        text = f"{num(abs(diff) * 100, lang, 1)} {t('purchase.percentage_points', lang)}"
    elif metric in COUNT_METRICS:
        text = str(int(round(abs(diff))))
    elif metric in INDEX_METRICS:
        text = num(abs(diff), lang, 3)
    else:
        text = num(abs(diff), lang, 2)
    if abs(diff) < 1e-12 or not text.strip("0,. " + t("purchase.percentage_points", lang)):
        return "0"
    return ("+" if diff > 0 else "−") + text


def before_after_table(evaluation: dict, lang: str = "nb") -> pd.DataFrame:
    """Before and after side by side for each metric, with translated names and formatted values."""
    rows = []
    for metric in METRICS:
        b, a = evaluation["before"].get(metric), evaluation["after"].get(metric)
        rows.append({t("purchase.col_metric", lang): metric_label(metric, lang),
                     t("purchase.col_before", lang): format_metric(metric, b, lang),
                     t("purchase.col_after", lang): format_metric(metric, a, lang),
                     t("purchase.col_change", lang): format_change(metric, b, a, lang)})
    return pd.DataFrame(rows)


def demand_fit_table(evaluation: dict, lang: str = "nb") -> pd.DataFrame:
    """The target groups the candidate could house: with the demand model's gap (when the
    evaluation carries one) the unmet need ``gap_horizon`` years ahead first, then the
    households waiting now (context)."""
    fits = evaluation["demand_fit"]
    out = {t("target_group", lang): [TARGET_GROUP.label(g["target_group"], lang) for g in fits]}
    horizon = evaluation.get("gap_horizon")
    if horizon and any(g.get("gap") is not None for g in fits):
        years = f"{horizon} {wording.plural(horizon, *t('demand.word.year', lang).split('|'))}"
        out[t("demand.col.gap", lang, h=years)] = [wording.gap_count(g.get("gap"), lang)
                                                   for g in fits]
    out[t("purchase.col_households_waiting", lang)] = [int(g["households"]) for g in fits]
    return pd.DataFrame(out)


def budget_text(price: float | None, budget: float | None, lang: str = "nb") -> str:
    """One line comparing the price with the remaining budget."""
    if budget is None:
        return t("purchase.budget_unset", lang)
    if not _finite(price):
        return t("purchase.budget_no_price", lang, budget=nok(budget, lang))
    key = "purchase.budget_within" if price <= budget else "purchase.budget_exceeded"
    return t(key, lang, price=nok(price, lang), budget=nok(budget, lang),
             left=nok(budget - price, lang))


def budget_status_text(status, lang: str = "nb") -> str:
    """The one budget where it is used: "Årsbudsjett 10 000 000 kr; brukt i 2026: …; igjen: …",
    or that none is set (``status`` a :class:`geoplan.service.BudgetStatus`)."""
    if status.annual is None:
        return t("purchase.budget_unset", lang)
    return t("purchase.budget_status", lang, annual=nok(status.annual, lang), year=status.year,
             spent=nok(status.spent, lang), remaining=nok(status.remaining, lang))


def plan_budget_note(status, lang: str = "nb") -> str:
    """Where the plan's default budget comes from: the policy's annual budget, or none set."""
    if status.annual is None:
        return t("plan.budget_unset", lang)
    return t("plan.budget_from_policy", lang, annual=nok(status.annual, lang))


def group_labels(groups: Iterable[str], lang: str = "nb") -> str:
    """Target-group codes as a comma-separated list of labels."""
    return ", ".join(TARGET_GROUP.label(g, lang) for g in groups)


def _lonlat(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = lonlat(frame)
    return np.round(lon, 6), np.round(lat, 6)


def ranked_export(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """The flat ranked table (see ``ranked_table``) with lon/lat, verdict labels, translated headers."""
    out = table.copy()
    out["lon"], out["lat"] = _lonlat(out)
    out["verdict"] = out["verdict"].map(lambda v: verdict_label(v, lang))
    out["action"] = out["action"].map(lambda a: t(f"purchase.action.{a}", lang))
    head = ["rank", "label", "action", "verdict", "area_code", "area_name", "price",
            "price_per_m2", "houses", "target_groups", "after_location_quotient", "d_change"]
    head = [c for c in head if c in out]
    reasons = [c for c in out.columns if c.startswith("reason_")]
    rest = [c for c in out.columns if c not in head and c not in reasons and c not in ("x", "y")]
    out = out[[*head, *reasons, *rest]]
    return out.rename(columns=_ranked_header(lang))


def _ranked_header(lang: str) -> dict[str, str]:
    names = {c: t(f"purchase.col.{c}", lang) for c in (
        "rank", "label", "action", "verdict", "area_code", "area_name", "price", "price_per_m2",
        "houses", "households_waiting", "target_groups", "d_change", "lon", "lat")}
    for m in METRICS:
        names[f"before_{m}"] = f"{metric_label(m, lang)} ({t('purchase.col_before', lang).lower()})"
        names[f"after_{m}"] = f"{metric_label(m, lang)} ({t('purchase.col_after', lang).lower()})"
    return names | {f"reason_{k}": t("purchase.col.reason", lang, n=k) for k in range(1, 100)}


def ranked_display(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """The ranked table as shown on the page: the main columns and every reason, no raw metrics."""
    out = pd.DataFrame({
        "rank": table["rank"],
        "verdict": [verdict_badge(v, lang) for v in table["verdict"]],
        "label": table["label"], "area_name": table["area_name"], "price": table["price"],
        "price_per_m2": table["price_per_m2"].round(0),
        "houses": table["houses"], "target_groups": table["target_groups"],
        "after_location_quotient": table["after_location_quotient"].round(2),
        "d_change": table["d_change"].round(4),
    })
    for c in (c for c in table.columns if c.startswith("reason_")):
        out[c] = table[c]
    return out.rename(columns=_ranked_header(lang))


def where_display(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """The where-to-buy table with class labels, demand fit in percent and group labels."""
    return pd.DataFrame({
        t("purchase.col.class", lang): [t(f"purchase.class.{c}", lang) for c in table["class"]],
        t("purchase.col.area_code", lang): table["code"],
        t("purchase.col.area_name", lang): table["name"],
        t("purchase.col.units", lang): table["units"].astype(int),
        t("purchase.col.dwellings", lang): table["dwellings"],
        t("purchase.col.headroom", lang): table["headroom"],
        t("purchase.col.demand_fit", lang): [pct(f, lang, 0) for f in table["demand_fit"]],
        t("purchase.col.groups", lang): [group_labels(g, lang) for g in table["groups"]],
    }).reset_index(drop=True)


def plan_chosen_table(plan: Plan, lang: str = "nb") -> pd.DataFrame:
    """The plan's chosen purchases (and planned sales): label, price, group served, verdict,
    place; first the year, for a plan over several years (planned sales: the first year)."""
    frames = []
    for frame, action in ((plan.chosen, "buy"), (plan.sales, "sell")):
        if frame.empty:
            continue
        lon, lat = _lonlat(frame)
        groups = frame["target_group"] if "target_group" in frame else pd.Series([None] * len(frame))
        verdicts = frame["verdict"] if "verdict" in frame else pd.Series([None] * len(frame))
        years = (frame["year"].to_numpy() if "year" in frame else
                 np.full(len(frame), getattr(plan, "first_year", 1)))
        frames.append(pd.DataFrame({
            **({t("plan.col.year", lang): [str(int(y)) for y in years]}
               if getattr(plan, "horizon", 1) > 1 else {}),
            t("purchase.col.label", lang): frame["label"].to_numpy(),
            t("purchase.col.action", lang): t(f"purchase.action.{action}", lang),
            t("purchase.col.price", lang): pd.to_numeric(frame["price"], errors="coerce").to_numpy(),
            t("target_group", lang): [TARGET_GROUP.label(g, lang) if isinstance(g, str) else ""
                                      for g in groups],
            t("purchase.col.verdict", lang): [verdict_label(v, lang) if isinstance(v, str) else ""
                                     for v in verdicts],
            t("purchase.col.lon", lang): lon, t("purchase.col.lat", lang): lat,
        }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def plan_money(plan: Plan, lang: str = "nb") -> dict[str, str]:
    """The plan's money as formatted texts: cost, proceeds, net use, budget and what is left."""
    used = plan.cost - plan.proceeds
    return {"cost": nok(plan.cost, lang), "proceeds": nok(plan.proceeds, lang),
            "used": nok(used, lang), "budget": nok(plan.budget, lang),
            "left": nok(plan.budget - used, lang)}


def plan_year_table(plan: Plan, lang: str = "nb") -> pd.DataFrame:
    """Per plan year: the year, the purchases, the budget, the cost and the money used (cost
    less planned sales, which fall in the first year), formatted."""
    rows = plan.year_money()
    return pd.DataFrame({
        t("plan.col.year", lang): [str(r["year"]) for r in rows],
        t("plan.col.purchases", lang): [len(r["labels"]) for r in rows],
        t("plan.col.budget", lang): [num(r["budget"], lang, 0) for r in rows],
        t("plan.col.cost", lang): [num(r["cost"], lang, 0) for r in rows],
        t("plan.col.used", lang): [num(r["money_used"], lang, 0) for r in rows],
    })


def plan_projection_table(plan: Plan, lang: str = "nb") -> pd.DataFrame:
    """The demand model's queue per group and plan year without and with the plan (one
    decimal; "unknown" for a group without flows); empty without a projection."""
    steps = plan.projection
    if steps is None or steps.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        t("target_group", lang): [TARGET_GROUP.label(g, lang) for g in steps["target_group"]],
        t("plan.col.year", lang): [str(int(y)) for y in steps["year"]],
        t("plan.col.queue", lang): [num(v, lang, 1) for v in steps["queue"]],
        t("plan.col.queue_with_plan", lang): [num(v, lang, 1) for v in steps["queue_with_plan"]],
    })


def plan_basis_text(plan: Plan, lang: str = "nb") -> str:
    """What the plan took as the households a group can take (``plan.basis``), in words; for
    a plan over several years, with the note that prices are the same every year."""
    text = t(f"plan.basis.{plan.basis}", lang)
    return f"{text} {t('plan.same_price', lang)}" if plan.horizon > 1 else text


def plan_indices_table(plan: Plan, lang: str = "nb") -> pd.DataFrame:
    """The segregation indices before and after the plan."""
    return pd.DataFrame([{
        t("purchase.col_metric", lang): metric_label(k, lang),
        t("purchase.col_before", lang): format_metric(k, plan.before.get(k), lang),
        t("purchase.col_after", lang): format_metric(k, plan.after.get(k), lang),
        t("purchase.col_change", lang): format_change(k, plan.before.get(k), plan.after.get(k), lang),
    } for k in INDEX_METRICS if k in plan.before])


def plan_demand_table(plan: Plan, targets: dict[str, int] | None = None,
                      lang: str = "nb") -> pd.DataFrame:
    """Per target group: target (units a year × the plan's years), households served by the
    plan and left unmet (what the group could take, less those served)."""
    targets = targets or {}
    years = getattr(plan, "horizon", 1)
    groups = [g for g in TARGET_GROUP.terms if g in plan.served or g in targets]
    return pd.DataFrame({
        t("target_group", lang): [TARGET_GROUP.label(g, lang) for g in groups],
        t("purchase.col.target", lang): [int(targets.get(g, 0)) * years for g in groups],
        t("purchase.col.served", lang): [int(plan.served.get(g, 0)) for g in groups],
        t("purchase.col.unmet", lang): [int(plan.unmet.get(g, 0)) for g in groups],
    })


def shortfall_lines(plan: Plan, lang: str = "nb") -> list[str]:
    """One line per group whose target was not reached: "Group: why" (see ``shortfall_text``)."""
    return [f"{TARGET_GROUP.label(g, lang)}: {shortfall_text(why, lang)}"
            for g, why in plan.shortfalls.items()]


# how a page shows each plan status (``st.<kind>``); the text is ``plan.status.<status>``
PLAN_STATUS_KIND: dict[str, str] = {"optimal": "success", "targets_missed": "warning",
                                    "infeasible": "error", "not_solved": "error"}


def plan_status(plan: Plan, lang: str = "nb") -> tuple[str, str]:
    """The plan's status as (kind of box: success, warning or error; its sentence)."""
    return PLAN_STATUS_KIND.get(plan.status, "error"), t(f"plan.status.{plan.status}", lang)


def plan_error_text(error, lang: str = "nb") -> str:
    """A refused plan (``service.PlanError``) in words."""
    return t(f"plan.error.{error.code}", lang, groups=group_labels(error.groups, lang))


def plan_left_out_table(frame: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """Candidates the plan left out (``plan.unpriced`` or ``plan.share_unknown``): label,
    price, the target groups they fit, lon and lat."""
    if frame.empty:
        return pd.DataFrame()
    lon, lat = _lonlat(frame)
    return pd.DataFrame({
        t("purchase.col.label", lang): frame["label"].to_numpy(),
        t("purchase.col.price", lang): pd.to_numeric(frame["price"], errors="coerce").to_numpy(),
        t("purchase.col.groups", lang): [group_labels(g, lang) for g in frame["target_groups"]],
        t("purchase.col.lon", lang): lon, t("purchase.col.lat", lang): lat,
    })


def plan_summary_lines(plan: Plan, lang: str = "nb") -> list[str]:
    """The plan as lines of text (the command line): status, purchases, shortfalls, left out."""
    money = plan_money(plan, lang)
    lines = [plan_status(plan, lang)[1], plan_basis_text(plan, lang),
             t("plan.summary", lang, n=len(plan.chosen), cost=money["cost"],
               money=nok(plan.budget + plan.proceeds, lang))]
    if plan.horizon > 1:
        lines += [t("plan.summary_year", lang, year=r["year"], n=len(r["labels"]),
                    cost=nok(r["cost"], lang), budget=nok(r["budget"] + r["proceeds"], lang))
                  for r in plan.year_money()]
    table = plan_chosen_table(plan, lang)
    label, price, group = (t(k, lang) for k in ("purchase.col.label", "purchase.col.price",
                                                "target_group"))
    year = t("plan.col.year", lang)
    for row in table.to_dict("records"):
        when = f"{row[year]} " if year in row else ""
        lines.append(f"  {when}{row[label]}: {row[group] or '-'} ({nok(row[price], lang)})")
    lines += [f"  {line}" for line in shortfall_lines(plan, lang)]
    steps = plan_projection_table(plan, lang)
    if len(steps):
        lines.append(f"{t('plan.projection', lang)}:")
        last = steps[steps[year] == steps[year].max()]
        for g, y, without, with_plan in last.itertuples(index=False):
            lines.append("  " + t("plan.summary_queue", lang, group=g, year=y, without=without,
                                  with_plan=with_plan))
    for key, frame in (("plan.unpriced", plan.unpriced), ("plan.share_unknown", plan.share_unknown)):
        if len(frame):
            lines.append(f"{t(key, lang)}:")
            lines += [f"  {label}" for label in frame["label"]]
    return lines


def scenario_settings_table(settings: Mapping[str, Mapping], lang: str = "nb") -> pd.DataFrame:
    """What each scenario was made with (``service.scenario_settings``): budget, targets and
    each policy value, one column per scenario ("not recorded" where it was not)."""
    from geoplan.policy import COUNT, MONEY, POLICY_FIELDS, SHARE

    def policy_value(kind: str, value) -> str:
        if not _finite(value):
            return t("plan.not_recorded", lang)
        return {SHARE: lambda: cap_pct(value, lang), COUNT: lambda: str(int(value)),
                MONEY: lambda: nok(value, lang)}.get(kind, lambda: num(value, lang))()

    rows = [t("plan.made_with_budget", lang), t("plan.made_with_targets", lang),
            *(t(f"policy.{f.name}", lang) for f in POLICY_FIELDS)]
    out = {}
    for name, made in settings.items():
        budget, targets, policy = made.get("budget"), made.get("targets"), made.get("policy")
        out[str(name)] = [
            nok(budget, lang) if _finite(budget) else t("plan.not_recorded", lang),
            t("plan.not_recorded", lang) if targets is None else
            ", ".join(f"{TARGET_GROUP.label(g, lang)} {int(n)}" for g, n in targets.items())
            or t("plan.no_targets", lang),
            *(policy_value(f.kind, (policy or {}).get(f.name)) for f in POLICY_FIELDS),
        ]
    return pd.DataFrame(out, index=rows)


# the rows of a scenario comparison and how each is shown; index rows are named as metrics
COMPARE_ROWS: dict[str, str] = {
    "purchases": "count", "sales": "count", "cost": "money", "proceeds": "money",
    "net_cost": "money", "households_served": "count",
    **{k: "index" for k in INDEX_METRICS}, "areas_over_cap": "count", "red_items": "count",
}


def compare_display(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """The scenario comparison with translated row names, formatted values and "today" in words."""
    rows = [r for r in COMPARE_ROWS if r in table.index]
    out = {}
    for col in table.columns:
        values = []
        for r in rows:
            v, kind = table.loc[r, col], COMPARE_ROWS[r]
            if not _finite(v):
                values.append(num(float("nan"), lang))
            elif kind == "money":
                values.append(nok(float(v), lang))
            elif kind == "index":
                values.append(num(float(v), lang, 3))
            else:
                values.append(str(int(v)))
        out[t("plan.today", lang) if col == TODAY else str(col)] = values
    names = [metric_label(r, lang) if COMPARE_ROWS[r] == "index" else
             t(f"purchase.compare.{r}", lang) for r in rows]
    return pd.DataFrame(out, index=names)
