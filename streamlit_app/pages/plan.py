"""Purchase plan page: choose a year's purchases (or up to four years', one budget per year) with
the optimiser, see the queue with and without the plan, save and compare scenarios.

Plans and scenarios are drafts stored apart from the register: nothing here changes the units.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geoplan import service
from geoplan.ui import purchase_map as pmap
from geoplan.ui import purchase_view as view
from geoplan.ui.i18n import t
from geoplan.ui.mapview import build_map
from geoplan.vocab import TARGET_GROUP
from streamlit_app import loaders, purchase_cache
from streamlit_app.widgets import candidate_source, picked_row, purchase_header, show_table

PURCHASE_PAGE = "streamlit_app/pages/purchase.py"

lang = loaders.lang()
url, version, engine = loaders.db_url(), loaders.version(), loaders.engine()
types = loaders.unit_types(url, version)

system, base, areas = purchase_header("plan", lang)


def save_plan() -> None:
    """Save the shown plan's purchases and sales as a named scenario (the register is untouched)."""
    name = st.session_state.get("scenario_name", "").strip()
    result = st.session_state.get("plan_result")
    if not name or result is None:
        st.session_state["plan_message"] = ("warning", t("plan.name_missing", lang))
        return
    service.save_plan(engine, loaders.actor(), name, result["plan"])  # with budget, targets, policy
    st.session_state["plan_message"] = ("success", t("plan.saved", lang, name=view.md_escape(name)))


def delete_picked() -> None:
    """Delete the picked scenario and drop it from the comparison."""
    name = st.session_state.get("scenario_delete_pick")
    if name is None:
        return
    service.delete_scenario(engine, loaders.actor(), name)
    st.session_state["scenario_compare"] = [
        n for n in st.session_state.get("scenario_compare", []) if n != name]
    st.session_state["plan_message"] = ("success", t("plan.deleted", lang, name=view.md_escape(name)))


# ---------------------------------------------------------------- inputs

st.subheader(t("plan.candidates", lang))
candidates = candidate_source("plan", lang)
# the one budget: the policy's annual budget (the purchase test compares prices with what is
# left of it this year); None when no budget is set, so nothing is invented here
budget_status = purchase_cache.budget(url, version)
st.session_state.setdefault("plan_budget", budget_status.annual)
st.session_state.setdefault("plan_budget_per_year", budget_status.annual)
years_col, budget_col = st.columns([1, 3])
years = years_col.selectbox(t("plan.years", lang), list(range(1, service.PLAN_MAX_YEARS + 1)),
                            key="plan_years")
# no min_value: a negative budget reaches the plan, which refuses it with a translated message
if years == 1:
    budget = budget_col.number_input(t("plan.budget", lang), value=None, step=500_000.0,
                                     format="%.0f", key="plan_budget")
else:  # the same budget every year; the candidates' prices are the same every year
    budget = budget_col.number_input(t("plan.budget_per_year", lang), value=None,
                                     step=500_000.0, format="%.0f", key="plan_budget_per_year")
budget_col.caption(view.md_escape(view.plan_budget_note(budget_status, lang)))
# on: each group's gap when the database has flows (else the households waiting); off: waiting
use_gap = st.checkbox(t("plan.use_gap", lang), value=True, help=t("plan.use_gap_help", lang),
                      key="plan_use_gap")
st.markdown(f"**{t('plan.targets', lang)}**")
columns = st.columns(4)
targets = {
    code: columns[i % 4].number_input(TARGET_GROUP.label(code, lang), min_value=0, value=0,
                                      step=1, key=f"target_{code}")
    for i, code in enumerate(TARGET_GROUP.terms)
}
if candidates is None:
    st.info(t("plan.need_candidates", lang))
elif st.button(t("plan.run", lang), type="primary", key="plan_run") and budget is None:
    st.session_state.pop("plan_result", None)  # no budget typed, none in the policy
    st.warning(t("plan.budget_needed", lang))
elif st.session_state.get("plan_run"):
    try:
        st.session_state["plan_result"] = {
            "plan": service.plan_over_years(engine, base, candidates, budget, targets,
                                            years=years, use_gap=None if use_gap else False),
            "targets": targets, "candidates": candidates}
    except service.PlanError as exc:  # bad input: say what, keep no stale plan
        st.session_state.pop("plan_result", None)
        st.error(view.plan_error_text(exc, lang))

# ---------------------------------------------------------------- the plan

result = st.session_state.get("plan_result")
if result is not None:
    plan = result["plan"]
    kind, sentence = view.plan_status(plan, lang)
    getattr(st, kind)(sentence)
    st.caption(view.plan_basis_text(plan, lang))
    money = view.plan_money(plan, lang)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("plan.metric_chosen", lang), len(plan.chosen))
    c2.metric(t("plan.metric_cost", lang), money["cost"])
    c3.metric(t("plan.metric_proceeds", lang), money["proceeds"])
    c4.metric(t("plan.metric_used", lang, budget=money["budget"]), money["used"],
              delta=f"{t('plan.metric_left', lang)} {money['left']}", delta_color="off")
    if plan.horizon > 1:
        st.subheader(t("plan.by_year", lang))
        show_table(view.plan_year_table(plan, lang), lang, width="stretch")
    plan_map = build_map(base.units.iloc[0:0], areas, types, lang,
                         overlays=pmap.plan_layers(result["candidates"], plan.chosen, lang),
                         asset_base=loaders.asset_base())
    st_folium(plan_map, key="plan_map", returned_objects=[], use_container_width=True, height=480)
    st.subheader(t("plan.chosen", lang))
    chosen = view.plan_chosen_table(plan, lang)
    if chosen.empty:
        st.info(t("plan.none_chosen", lang))
    else:
        show_table(chosen, lang, colours=view.verdict_colours(lang), width="stretch",
                   key="plan_chosen_pick", on_select="rerun", selection_mode="single-row")
        st.caption(t("plan.chosen_pick_hint", lang))
        row = picked_row("plan_chosen_pick")
        if row is not None and row < len(plan.chosen):  # a purchase (sales come after)
            st.session_state["purchase_candidate"] = plan.chosen.iloc[row].to_dict()
            st.switch_page(PURCHASE_PAGE)
    left, right = st.columns(2)
    with left:
        st.subheader(t("plan.indices", lang))
        show_table(view.plan_indices_table(plan, lang), lang, width="stretch")
    with right:
        st.subheader(t("plan.demand", lang))
        show_table(view.plan_demand_table(plan, result["targets"], lang), lang, width="stretch")
    steps = view.plan_projection_table(plan, lang)
    if len(steps):
        st.subheader(t("plan.projection", lang))
        st.caption(t("plan.projection_intro", lang))
        show_table(steps, lang, width="stretch")
    for key, frame in (("plan.unpriced", plan.unpriced), ("plan.share_unknown", plan.share_unknown)):
        if len(frame):
            st.subheader(t(key, lang))
            st.caption(t(f"{key}_intro", lang))
            show_table(view.plan_left_out_table(frame, lang), lang, width="stretch")
    if plan.shortfalls:
        st.subheader(t("plan.shortfalls", lang))
        st.warning(view.bullets(view.shortfall_lines(plan, lang)))
    name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(t("plan.scenario_name", lang), key="scenario_name")
    save_col.button(t("plan.save", lang), key="scenario_save", on_click=save_plan,
                    icon=":material/save:")

# ---------------------------------------------------------------- scenarios

st.divider()
st.header(t("plan.scenarios", lang))
kind, message = st.session_state.pop("plan_message", (None, None))
if kind is not None:
    getattr(st, kind)(message)
names = service.scenario_names(engine)
if not names:
    st.info(t("plan.no_scenarios", lang))
else:
    picked = st.multiselect(t("plan.compare", lang), names, key="scenario_compare",
                            placeholder=t("choose_many", lang))
    if len(picked) >= 2:
        # what each was made with (budget, targets, policy), then what each achieves
        st.markdown(f"**{t('plan.made_with', lang)}**")
        show_table(view.scenario_settings_table(service.scenario_settings(engine, picked), lang),
                   lang, width="stretch", hide_index=False)
        table = service.compare_scenarios(engine, base, picked)
        show_table(view.compare_display(table, lang), lang, width="stretch", hide_index=False)
    else:
        st.caption(t("plan.compare_hint", lang))
    pick_col, delete_col = st.columns([3, 1], vertical_alignment="bottom")
    pick_col.selectbox(t("plan.delete_pick", lang), names, index=None, key="scenario_delete_pick",
                       placeholder=t("choose_one", lang))
    delete_col.button(t("plan.delete", lang), key="scenario_delete", on_click=delete_picked,
                      icon=":material/delete:")
