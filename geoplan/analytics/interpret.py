"""The interpretation in words of each index, shown beside its number."""

from __future__ import annotations

import math

from geoplan.analytics.format import num, pct

NAMES = {
    "dissimilarity": {"nb": "Ulikhetsindeks (D)", "en": "Dissimilarity (D)"},
    "isolation": {"nb": "Isolasjon (xPx)", "en": "Isolation (xPx)"},
    "exposure": {"nb": "Eksponering (xPy)", "en": "Exposure (xPy)"},
    "gini": {"nb": "Gini-koeffisient", "en": "Gini coefficient"},
    "theil": {"nb": "Theils entropiindeks (H)", "en": "Theil's entropy index (H)"},
    "spatial_dissimilarity": {"nb": "Romlig ulikhetsindeks (D(adj))",
                              "en": "Spatial dissimilarity (D(adj))"},
}

_TEXT = {
    "dissimilarity": {
        "nb": "D = {v}: {p} av de kommunale boligene måtte flyttet for en jevn fordeling.",
        "en": "D = {v}: {p} of municipal units would have to move for an even spread."},
    "isolation": {
        "nb": "Den typiske kommunale boligen ligger i et område der {p} av boligene er "
              "kommunale.",
        "en": "The typical municipal unit lies in an area where {p} of dwellings are "
              "municipal."},
    "exposure": {
        "nb": "Den typiske kommunale boligen ligger i et område der {p} av boligene er andre "
              "boliger.",
        "en": "The typical municipal unit lies in an area where {p} of dwellings are other "
              "dwellings."},
    "gini": {
        "nb": "Gini = {v}: 0 er helt jevn fordeling, 1 er all konsentrasjon i ett område.",
        "en": "Gini = {v}: 0 is a perfectly even spread, 1 is all concentration in one area."},
    "theil": {
        "nb": "H = {v}: områdene er i snitt {p} mindre blandet enn kommunen som helhet.",
        "en": "H = {v}: areas are on average {p} less mixed than the municipality as a whole."},
    "spatial_dissimilarity": {
        "nb": "D(adj) = {v}: ulikheten som står igjen når nabolag med lik andel regnes som "
              "ett; nær D betyr at klyngene strekker seg over flere områder.",
        "en": "D(adj) = {v}: the unevenness left when neighbouring areas with similar shares "
              "are taken together; close to D means clusters span several areas."},
}


def name(index: str, lang: str = "nb") -> str:
    """Return the display name of an index."""
    return NAMES[index]["en" if lang == "en" else "nb"]


def interpret(index: str, value: float, lang: str = "nb") -> str:
    """Return one sentence that says what ``value`` of ``index`` means."""
    lang = "en" if lang == "en" else "nb"
    if value is None or math.isnan(value):
        return ("Kan ikke beregnes: ingen kommunale boliger denne dagen, eller ingen områder "
                "med kjent boligtall." if lang == "nb" else
                "Cannot be computed: no municipal units on that date, or no areas with known "
                "dwellings.")
    return _TEXT[index][lang].format(v=num(value, lang), p=pct(value, lang, 0))
