"""Words for the data the core returns: reasons, flags, verdicts, shortfalls and trends.

The analytics and the service return :class:`geoplan.analytics.reasons.Reason` and similar data;
this is the one module that turns them into bokmål or English, with correct plurals.  It also
decides whether a unit's address may be named: ``show_address=False`` (the public mode) never
names one.

Add a rule: one entry in :data:`RULES` with the text in both languages.  A test checks that every
rule the core can emit has an entry.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import fields

from geoplan import service
from geoplan.ui.format import cap_pct, count_text, nok, num, ordinal, pct
from geoplan.ui.i18n import t
from geoplan.vocab import TARGET_GROUP

# rule code -> (bokmål, English).  Placeholders are filled from the reason's numbers, formatted
# for the language (see :func:`describe`).
RULES: dict[str, tuple[str, str]] = {
    # --- concentration flags (areas and units) ---
    "area_share": ("{value:pct} kommunale boliger (tak {cap:cap_pct})",
                   "{value:pct} municipal dwellings (cap {cap:cap_pct})"),
    "building": ("{count:kommunal bolig|kommunale boliger} i samme bygning/borettslag "
                 "(tak {cap:count})",
                 "{count:municipal unit|municipal units} in one building or housing company "
                 "(cap {cap:count})"),
    "radius": ("{count:kommunal bolig|kommunale boliger} innen 250 m (tak {cap:count})",
               "{count:municipal unit|municipal units} within 250 m (cap {cap:count})"),
    # units_over_dwellings (a data problem): count = the area's municipal units (also the
    # dwellings the measures use), value = the dwellings the area's statistics give
    "units_over_dwellings": ("datafeil: {count:kommunal bolig|kommunale boliger} i registeret, "
                             "men bare {value:bolig|boliger} i alt; regnet som {count} boliger, "
                             "100 % kommunale",
                             "data problem: {count:municipal unit|municipal units} in the "
                             "register but only {value:dwelling|dwellings} in all; counted as "
                             "{count} dwellings, 100 % municipal"),
    # --- purchase and sale reasons ---
    # (geoplan.analytics.purchase._judge).  The caller passes ``place``: the area's name for the
    # area_* rules, the building's name (or None: "bygningen") for building_*, the
    # municipality's name for outside_municipality.
    # outside_municipality: no numbers (the point is outside the municipality's boundary)
    "outside_municipality": ("ligger utenfor {place}", "lies outside {place}"),
    # area_unknown: no numbers (the area's dwellings or the area itself are unknown)
    "area_unknown": ("andelen i området er ukjent (mangler boligtall eller område)",
                     "the area's share is unknown (no dwelling count or no area)"),
    # area_*: area code, before and after = the area's municipal share, cap = the share cap
    "area_up_over": ("øker {place} fra {before:pct} til {after:pct} kommunale boliger, over taket "
                     "på {cap:cap_pct}",
                     "raises {place} from {before:pct} to {after:pct} municipal dwellings, above "
                     "the {cap:cap_pct} cap"),
    "area_already_over": ("{place} er allerede over taket på {cap:cap_pct}: {before:pct} → "
                          "{after:pct}",
                          "{place} is already above the {cap:cap_pct} cap: {before:pct} → "
                          "{after:pct}"),
    "area_ok": ("{before:pct} → {after:pct} kommunale boliger (tak {cap:cap_pct})",
                "{before:pct} → {after:pct} municipal dwellings (cap {cap:cap_pct})"),
    "area_under_cap": ("bringer {place} under taket på {cap:cap_pct} ({before:pct} → {after:pct})",
                       "brings {place} under the {cap:cap_pct} cap ({before:pct} → {after:pct})"),
    "area_near_cap": ("{before:pct} → {after:pct} kommunale boliger, nær taket på {cap:cap_pct} "
                      "(over 80 % av det)",
                      "{before:pct} → {after:pct} municipal dwellings, close to the {cap:cap_pct} "
                      "cap (above 80 % of it)"),
    # area_far_above_mean, area_above_mean, area_below_mean: after = the area's share after,
    # value = the municipal share after (the location quotient after is after / value);
    # area_far_above_mean: cap = the location quotient above which it warns (1.5)
    "area_far_above_mean": ("{after:pct} kommunale boliger etter kjøpet, mer enn {cap:num} "
                            "ganger andelen i hele kommunen ({value:pct})",
                            "{after:pct} municipal dwellings after the purchase, more than "
                            "{cap:num} times the share in the whole municipality ({value:pct})"),
    "area_above_mean": ("{after:pct} kommunale boliger etter kjøpet, over andelen i hele kommunen "
                        "({value:pct})",
                        "{after:pct} municipal dwellings after the purchase, above the share in "
                        "the whole municipality ({value:pct})"),
    "area_below_mean": ("{after:pct} kommunale boliger etter kjøpet, ikke over andelen i hele "
                        "kommunen ({value:pct})",
                        "{after:pct} municipal dwellings after the purchase, not above the share "
                        "in the whole municipality ({value:pct})"),
    # building_over: count = municipal units in the building after, cap = units per building
    "building_over": ("blir kommunal bolig nr. {count} i {place} (tak {cap:count})",
                      "would be the {count:ordinal} municipal unit in {place} (cap {cap:count})"),
    "building_ok": ("blir kommunal bolig nr. {count} i {place}, innenfor taket på {cap:count}",
                    "would be the {count:ordinal} municipal unit in {place}, within the cap of "
                    "{cap:count}"),
    # radius_over: count = municipal units within 250 m after, cap = the 250 m cap
    "radius_over": ("gir {count:kommunal bolig|kommunale boliger} innen 250 m (tak {cap:count})",
                    "would make {count:municipal unit|municipal units} within 250 m "
                    "(cap {cap:count})"),
    "radius_at_cap": ("gir {count:kommunal bolig|kommunale boliger} innen 250 m, akkurat på "
                      "taket",
                      "would make {count:municipal unit|municipal units} within 250 m, exactly "
                      "the cap"),
    # radius_ok: count = units within 250 m of the candidate after; none of the existing units
    # within 250 m then has more than the cap within 250 m of itself
    "radius_ok": ("gir {count:kommunal bolig|kommunale boliger} innen 250 m, og ingen bolig i "
                  "nærheten får flere enn {cap:count} innen 250 m",
                  "would make {count:municipal unit|municipal units} within 250 m, and no unit "
                  "nearby gets more than {cap:count} within 250 m"),
    # neighbours_over: count = existing units within 250 m that have more than the cap within
    # 250 m of themselves after the purchase (themselves included), after = the largest count
    "neighbours_over": ("gir {count:eksisterende kommunal bolig|eksisterende kommunale boliger} "
                        "flere enn {cap:count} kommunale boliger innen 250 m (opptil "
                        "{after:count})",
                        "gives {count:existing municipal unit|existing municipal units} more "
                        "than {cap:count} municipal units within 250 m (up to {after:count})"),
    # neighbours_at_cap: count = existing units the purchase brings exactly to the 250 m cap
    "neighbours_at_cap": ("bringer {count:eksisterende kommunal bolig|eksisterende kommunale "
                          "boliger} opp i taket på {cap:count} innen 250 m",
                          "brings {count:existing municipal unit|existing municipal units} up "
                          "to the cap of {cap:count} within 250 m"),
    # d_up, d_down, isolation_up, isolation_down (level "info", never in the verdict):
    # before and after = the index for the whole municipality
    "d_up": ("øker ulikhetsindeksen D fra {before:index} til {after:index}",
             "raises the dissimilarity index D from {before:index} to {after:index}"),
    "d_down": ("senker ulikhetsindeksen D fra {before:index} til {after:index}",
               "lowers the dissimilarity index D from {before:index} to {after:index}"),
    "isolation_up": ("øker isolasjonsindeksen fra {before:index} til {after:index}",
                     "raises the isolation index from {before:index} to {after:index}"),
    "isolation_down": ("senker isolasjonsindeksen fra {before:index} til {after:index}",
                       "lowers the isolation index from {before:index} to {after:index}"),
    # demand: groups = (target-group code, households waiting) of the groups the dwelling fits;
    # it houses one household of one of them
    "demand": ("kan huse én husstand fra en målgruppe som venter (husstander som venter): "
               "{groups:groups}",
               "could house one household from a waiting group (households waiting): "
               "{groups:groups}"),
    "no_demand": ("passer ingen målgruppe med udekket behov",
                  "fits no target group with unmet demand"),
    # demand_gap: groups = (code, households waiting, gap) of the fitting groups with unmet
    # need (the demand model's projected queue at the horizon > 0; gap None: unknown, counted
    # by its households waiting), count = the horizon in years
    "demand_gap": ("kan huse én husstand fra en målgruppe med behov som ikke er dekket om "
                   "{count:år|år}: {groups:gaps}",
                   "could house one household from a group with need not covered in "
                   "{count:year|years}: {groups:gaps}"),
    # demand_covered: groups = (code, households waiting, gap 0) of the fitting groups, whose
    # need the demand model sees covered within the horizon (count, in years)
    "demand_covered": ("passer bare målgrupper der behovet er dekket innen {count:år|år}: "
                       "{groups:gaps}",
                       "fits only groups whose need is covered within {count:year|years}: "
                       "{groups:gaps}"),
    # sale_demand: group = the sold unit's target group, count = its households waiting
    "sale_demand": ("målgruppen {group:group} har {count:husstand|husstander} som venter",
                    "the target group {group:group} has {count:household|households} waiting"),
    # budget_*: value = the price, cap = the remaining budget
    "budget_ok": ("pris {value:nok} innenfor gjenstående budsjett {cap:nok}",
                  "price {value:nok} within the remaining budget of {cap:nok}"),
    "budget_over": ("pris {value:nok} over gjenstående budsjett {cap:nok}",
                    "price {value:nok} exceeds the remaining budget of {cap:nok}"),
    # --- plan shortfalls ---
    # (geoplan.analytics.optimise.Shortfall; see shortfall_text): the head, then one text per
    # cause code, filled from the Shortfall's fields
    "shortfall_head": ("mål {target}, nådd {reached}", "target {target}, reached {reached}"),
    "shortfall_none": ("ingen kandidater passer målgruppen (rom, universell utforming, bemanning "
                       "eller boligtype)",
                       "no candidate fits the group (rooms, universal design, staffing or type)"),
    "shortfall_waiting": ("bare {waiting:husstand venter|husstander venter}",
                          "only {waiting:household is|households are} waiting"),
    "shortfall_few": ("bare {fitting:kandidat passer|kandidater passer} målgruppen",
                      "only {fitting:candidate fits|candidates fit} the group"),
    "shortfall_caps": ("{blocked} av {fitting} passende kandidater er stoppet av tak (område, "
                       "bygning eller 250 m)",
                       "{blocked} of {fitting} fitting candidates are blocked by a cap (area, "
                       "building or 250 m)"),
    "shortfall_budget": ("budsjettet ({budget:amount}) rekker ikke til flere",
                         "the budget ({budget:amount}) does not stretch further"),
    "shortfall_nobody": ("ingen i målgruppen venter", "nobody in the group is waiting"),
    "shortfall_unpriced": ("{unpriced:passende kandidat mangler|passende kandidater mangler} pris",
                           "{unpriced:fitting candidate has|fitting candidates have} no price"),
    "shortfall_unknown": ("{unknown:passende kandidat ligger|passende kandidater ligger} der "
                          "andelen kommunale boliger er ukjent",
                          "{unknown:fitting candidate lies|fitting candidates lie} where the "
                          "municipal share is unknown"),
    "shortfall_room": ("takene (område, bygning eller 250 m) gir ikke plass til flere av de "
                       "passende kandidatene samtidig",
                       "the caps (area, building or 250 m) leave no room for more of the fitting "
                       "candidates together"),
    "shortfall_others": ("de passende kandidatene trengs til andre målgruppers mål",
                         "the fitting candidates are needed for other groups' targets"),
}


def plural(n: int | float, one: str, many: str) -> str:
    """Return ``one`` for exactly 1 and ``many`` otherwise ("1 feil", "5 feil"; "1 unit", "2 units")."""
    return one if n == 1 else many


class _Numbers(string.Formatter):
    """Fills a rule's placeholders with the reason's numbers, formatted for ``lang``.

    The format spec names the formatter of :mod:`geoplan.ui.format`: ``{value:pct}`` (14,2 %),
    ``{cap:cap_pct}`` (10 %), ``{count:count}`` (13), ``{value:num}`` (0,25), ``{value:nok}``
    (2 500 000 kr), ``{count:ordinal}`` (13th); ``{count:one|many}`` gives the count with the
    right plural ("1 kommunal bolig", "3 kommunale boliger").  Any other spec is Python's own.
    Also ``{before:index}`` (0,187: three decimals), ``{budget:amount}`` (2 500 000: whole),
    ``{group:group}`` (a target group's name) and ``{groups:groups}`` ("Eldre (3), Unge (2)").
    """

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        lang = self.lang
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return f"{count_text(value)} {plural(value, one, many)}"
        formatters = {
            "pct": lambda v: pct(v, lang), "cap_pct": lambda v: cap_pct(v, lang),
            "count": count_text, "num": lambda v: num(v, lang), "nok": lambda v: nok(v, lang),
            "ordinal": ordinal,
            "index": lambda v: num(v, lang, 3), "amount": lambda v: num(v, lang, 0),
            "group": lambda v: TARGET_GROUP.label(v, lang),
            "groups": lambda v: group_counts(v, lang),
            "gaps": lambda v: group_gaps(v, lang),
        }
        if format_spec in formatters:
            return formatters[format_spec](value)
        return super().format_field(value, format_spec)


def fill(template: str, lang: str = "nb", /, **values: object) -> str:
    """Fill a template's placeholders with numbers formatted for ``lang`` (see :class:`_Numbers`)."""
    return _Numbers(lang).format(template, **values)


def describe(reason, lang: str = "nb", place: str | None = None) -> str:
    """Return one reason in words: its rule's text in ``lang``, with ``place:`` before it.

    ``reason`` is a :class:`geoplan.analytics.reasons.Reason` (any object with its fields); its
    numbers fill the placeholders of ``RULES[reason.rule]``.  ``place`` (an area's name, a unit's
    address) is given by the caller, which decides whether a place may be named.  A rule whose
    text names ``{place}`` gets it inside the sentence instead ("would be the 3rd municipal unit
    in Storgata 12"), or :data:`UNNAMED_PLACE` when ``place`` is None ("… in the building").
    """
    nb, en = RULES[reason.rule]
    template = en if lang == "en" else nb
    values = {f.name: getattr(reason, f.name) for f in fields(reason)}
    if "{place}" in template:
        values["place"] = place or UNNAMED_PLACE[lang == "en"]
        return _Numbers(lang).format(template, **values)
    text = _Numbers(lang).format(template, **values)
    return f"{place}: {text}" if place else text


def describe_all(reasons: Iterable, lang: str = "nb", place: str | None = None) -> str:
    """Return several reasons in words, joined by "; " ('' for none), each with ``place``."""
    return "; ".join(describe(r, lang, place) for r in reasons)


# the place a rule names when the caller names none (bokmål, English)
UNNAMED_PLACE: tuple[str, str] = ("bygningen", "the building")


def group_counts(groups: Iterable[tuple[str, int]], lang: str = "nb") -> str:
    """(target-group code, households) pairs as "Eldre (3), Unge 18–25 år (2)"."""
    return ", ".join(f"{TARGET_GROUP.label(g, lang)} ({int(n)})" for g, n in groups)


def gap_count(gap: float | None, lang: str = "nb") -> str:
    """A group's gap (households, from the demand model) for words: whole households, one
    decimal below a half ("0,3"), "ukjent"/"unknown" for None or NaN."""
    if gap is None or gap != gap:
        return num(float("nan"), lang)
    return num(gap, lang, 1 if 0 < gap < 0.5 else 0)


def group_gaps(groups: Iterable[tuple[str, int, float | None]], lang: str = "nb") -> str:
    """(code, households waiting, gap) triples as "Eldre (udekket 27, 16 venter)"."""
    return ", ".join(
        f"{TARGET_GROUP.label(g, lang)} ({t('demand.gap_short', lang, gap=gap_count(v, lang))}, "
        f"{t('demand.waiting_short', lang, n=int(w))})" for g, w, v in groups)


def shortfall_text(shortfall, lang: str = "nb") -> str:
    """Why a plan missed a group's target, in words: "target 3, reached 1: only 2 households …".

    ``shortfall`` is a :class:`geoplan.service.Shortfall`; each of its cause codes has a
    ``shortfall_<cause>`` text in :data:`RULES`.
    """
    values = {f.name: getattr(shortfall, f.name) for f in fields(shortfall)}
    numbers, i = _Numbers(lang), int(lang == "en")
    parts = [numbers.format(RULES[f"shortfall_{c}"][i], **values) for c in shortfall.causes]
    return f"{numbers.format(RULES['shortfall_head'][i], **values)}: {'; '.join(parts)}"


# --- segregation indices and their trend (texts: geoplan.ui.i18n keys index.<key>.* and trend_*)


def index_name(key: str, lang: str = "nb") -> str:
    """Return the display name of the index ``key`` of ``service.INDEX_SPECS``."""
    spec = service.INDEX_BY_KEY[key]
    return t(f"{spec.text_key}.name", lang, symbol=spec.symbol)


def index_meaning(key: str, value: float | None, lang: str = "nb") -> str:
    """Return one sentence that says what ``value`` of the index ``key`` means."""
    if value is None or value != value:
        return t("index.unknown", lang)
    spec = service.INDEX_BY_KEY[key]
    return t(f"{spec.text_key}.meaning", lang, symbol=spec.symbol, v=num(value, lang),
             p=pct(value, lang, 0))


def trend_text(statement, lang: str = "nb") -> str:
    """Return a :class:`~geoplan.service.TrendStatement` in words.

    E.g. "D har falt fra 0,25 til 0,19 siden 2020." or, with too few years, that it cannot say.
    """
    if statement.direction == "unknown":
        return t("trend_unknown", lang)
    return t(f"trend_{statement.direction}", lang,
             symbol=service.INDEX_BY_KEY[statement.index].symbol,
             start=num(statement.start, lang), end=num(statement.end, lang),
             year=statement.start_year)


# --- refused policy values (geoplan.policy.PolicyError.problems)


def policy_refusal(problems: Iterable[tuple[str, str]], lang: str = "nb") -> str:
    """Return why policy values were refused: each field's label and what is wrong with it."""
    text = "; ".join(f"{t(f'policy.{name}', lang)}: {t(f'policy.error.{code}', lang)}"
                     for name, code in problems)
    return t("policy.refused", lang, problems=text)
