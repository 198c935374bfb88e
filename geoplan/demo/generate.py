"""Deterministic generator of a SYNTHETIC demo municipality modelled on Elverum (3420).

Nothing here is real: the outline, the areas, the dwellings, the addresses and the units are all
invented.  The model, computed entirely in EPSG:25833:

1. **Boundary** – a hand-typed, coarse 16-vertex polygon roughly covering Elverum's extent
   (E 300 000–346 800, N 6 738 700–6 789 900).  It is not derived from any real boundary.
2. **Grunnkretser** – Voronoi polygons of hand-placed seed points (dense in the town Leiret/Vestad,
   one per village, a few sparse ones for the forests) clipped to the boundary, so they tile the
   municipality without gaps or overlaps.  Each belongs to one of six **delområder**.
3. **Dwellings** – ~9 800 points drawn from Gaussian clusters around the seeds (tight in town,
   wide in villages and forests), rejected when outside the boundary, each with 0–6 residents
   (mean ≈ 2.14).  Grunnkrets/delområde population and dwelling counts and the SSB 250 m / 1 km
   grids are aggregates of these points, so all area statistics agree with each other.
4. **Units** (kommunalt disponerte boliger) – ~20 active per 1 000 inhabitants plus ~35 disposed,
   placed on sampled dwelling points (a few metres of jitter): a 14-unit block of flats in
   "Sentrum nord", a hotspot in "Lillemoen" (>12 % of its dwellings), three housing companies
   with 3–6 units and otherwise one or two units per building.  Types, tenures and statuses follow
   fixed quotas; target group, rooms, area, rent and dates follow from the type.
5. **Demand** – a fixed, hand-written aggregate snapshot (households per target group, no persons),
   and its history (``geoplan.demo.history``): flows per group for 2021–2025 and the year-end
   snapshots they give (a hand-set story, no randomness).
6. **Address register** – the dwelling points grouped into buildings (Voronoi groups of 1–12 around
   random centre dwellings), each unit building keeping its own address, named by street sector
   and numbered outwards from the krets seed; written in Kartverket's open address CSV layout.
7. **Candidates** – ~60 flats for sale at register addresses (three in the Storgata 12 block, some
   in Lillemoen and Sentrum nord, the rest spread), priced from size and location.
8. **Services** – a fixed list of schools, kindergartens, health stations, shops and bus stops,
   each placed a little off an address near its grunnkrets seed.

All randomness comes from ``numpy.random.default_rng(3420)`` (and child streams spawned from it;
6–8 use children of ``default_rng(3421)`` so adding them left 1–5 unchanged) and all dates are
fixed, so every run writes byte-identical files.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoplan.demo import history

SEED = 3420
EPSG = 25833
KOMMUNENR = "3420"
DEMAND_DATE = "01.10.2026"
FIRST_DATE = dt.date(2011, 1, 1)
LAST_DATE = dt.date(2025, 12, 31)
N_ACTIVE = 420
N_DISPOSED = 35
HOTSPOT = "Lillemoen"
HOTSPOT_SHARE = 0.14

# Hand-typed coarse outline (EPSG:25833), clockwise from the west corner.  Synthetic.
BOUNDARY: tuple[tuple[float, float], ...] = (
    (300500, 6770000), (307000, 6758500), (310000, 6744000), (316500, 6739000),
    (323000, 6739000), (326000, 6743500), (336500, 6749000), (337500, 6761000),
    (344000, 6758500), (343500, 6770500), (346500, 6773000), (342500, 6776500),
    (335500, 6773000), (325000, 6789500), (317500, 6781500), (309000, 6772000),
)

DELOMRADER: tuple[str, ...] = (
    "Sentrum", "Vest for Glomma", "Nord", "Sør", "Øst/Jømna", "Hernes og Nordskogbygda",
)

UNITS_HEADER: tuple[str, ...] = (
    "Bolignr", "Adresse", "Postnr", "Poststed", "Gnr", "Bnr", "Fnr", "Snr", "Bygningsnr",
    "Borettslag/sameie", "Øst", "Nord", "Boligtype", "Eierform", "Antall rom", "Areal (m²)",
    "Etasje", "Universelt utformet", "Rullestoltilpasset", "Husleie (kr/mnd)", "Målgruppe",
    "Status", "Anskaffet", "Avhendet", "Kontraktslutt",
)

DEMAND_HEADER: tuple[str, ...] = (
    "Dato", "Målgruppe", "Antall husstander", "Antall rom", "Universelt utformet", "Bemanning",
    "Ønsket område",
)


@dataclass(frozen=True)
class _Krets:
    """A synthetic grunnkrets: Voronoi seed, dwelling cluster and address vocabulary."""

    name: str
    seed: tuple[float, float]
    district: int  # 1-based index into DELOMRADER
    dwellings: int  # dwellings drawn around the seed
    spread: float  # standard deviation of the cluster, metres
    kind: str  # "town", "village" or "rural"
    streets: tuple[str, ...]
    postnr: str
    poststed: str


_T, _V, _R = "town", "village", "rural"
KRETSER: tuple[_Krets, ...] = (
    # Sentrum (Leiret, east of the Glomma)
    _Krets("Sentrum nord", (313500, 6755000), 1, 770, 230, _T,
           ("Storgata", "Kirkegata", "Torggata", "Jernbanegata"), "2406", "ELVERUM"),
    _Krets("Sentrum sør", (313650, 6754100), 1, 700, 250, _T,
           ("Hamarvegen", "Nygata", "Meierigata", "Sagbakken"), "2406", "ELVERUM"),
    _Krets("Leiret øst", (314450, 6754700), 1, 650, 280, _T,
           ("Trysilvegen", "Løvbergsvegen", "Kongsvegen", "Idrettsvegen"), "2407", "ELVERUM"),
    _Krets("Lillemoen", (314150, 6755750), 1, 360, 200, _T,
           ("Lillemovegen", "Furuvegen", "Granvegen", "Bjørkvegen"), "2407", "ELVERUM"),
    # Vest for Glomma
    _Krets("Vestad", (312300, 6754600), 2, 700, 300, _T,
           ("Vestadvegen", "Gamle Kongeveg", "Kirkevegen", "Vestadtunet"), "2409", "ELVERUM"),
    _Krets("Vestad vest", (311250, 6754250), 2, 450, 350, _T,
           ("Solørvegen", "Vestlia", "Skogvegen"), "2409", "ELVERUM"),
    _Krets("Hagen", (312200, 6755950), 2, 400, 300, _T,
           ("Hagevegen", "Prestegårdsvegen", "Åsmarkvegen"), "2409", "ELVERUM"),
    _Krets("Grundset", (309500, 6749000), 2, 150, 1500, _R,
           ("Grundsetvegen", "Grundsetmoen"), "2409", "ELVERUM"),
    _Krets("Vestskogen", (305500, 6765000), 2, 110, 3000, _R,
           ("Vestskogvegen", "Sagbrua"), "2409", "ELVERUM"),
    # Nord
    _Krets("Sæter", (313850, 6756750), 3, 550, 300, _T,
           ("Sætervegen", "Sæterlia", "Åsvegen"), "2411", "ELVERUM"),
    _Krets("Moen", (315300, 6756600), 3, 450, 300, _T,
           ("Moevegen", "Solvegen", "Kringsjåvegen"), "2411", "ELVERUM"),
    _Krets("Strandbygda", (313200, 6758300), 3, 350, 500, _T,
           ("Strandbygdvegen", "Tollefsvegen", "Nordre Strandbygdveg"), "2411", "ELVERUM"),
    # Sør
    _Krets("Hanstad", (314950, 6753600), 4, 600, 300, _T,
           ("Hanstadvegen", "Lundgårdsvegen", "Skolegata", "Hanstadgata"), "2408", "ELVERUM"),
    _Krets("Grindalsmoen", (314800, 6752550), 4, 500, 300, _T,
           ("Grindalsvegen", "Leirvegen", "Kasernevegen"), "2408", "ELVERUM"),
    _Krets("Søndre Elverum", (313300, 6752800), 4, 550, 350, _T,
           ("Hamarvegen", "Søndre Elverumsveg", "Åkervegen"), "2408", "ELVERUM"),
    _Krets("Heradsbygd", (315125, 6747530), 4, 380, 800, _V,
           ("Heradsbygdvegen", "Nordbygdvegen", "Kjernsvegen"), "2415", "HERADSBYGD"),
    _Krets("Sørskogbygda", (324000, 6746000), 4, 260, 900, _V,
           ("Sørskogbygdvegen", "Kirkebakken", "Myrvegen"), "2412", "SØRSKOGBYGDA"),
    _Krets("Sørskogen", (318000, 6741500), 4, 80, 2500, _R,
           ("Sørskogvegen",), "2412", "SØRSKOGBYGDA"),
    # Øst/Jømna
    _Krets("Ydalir", (315450, 6755400), 5, 450, 250, _T,
           ("Ydalirvegen", "Ydalirtunet", "Elvdalsvegen"), "2407", "ELVERUM"),
    _Krets("Starmoen", (319800, 6754000), 5, 120, 500, _V,
           ("Starmovegen", "Hovdevegen"), "2408", "ELVERUM"),
    _Krets("Jømna", (326592, 6759225), 5, 220, 900, _V,
           ("Jømnavegen", "Jømnaåsen", "Elvevegen"), "2416", "JØMNA"),
    _Krets("Søre Jømna", (331000, 6752000), 5, 90, 2500, _R,
           ("Jømnavegen", "Søre Jømna veg"), "2416", "JØMNA"),
    _Krets("Østskogen", (339000, 6765000), 5, 70, 3500, _R,
           ("Trysilvegen", "Østskogvegen"), "2416", "JØMNA"),
    # Hernes og Nordskogbygda
    _Krets("Hernes", (319693, 6762358), 6, 500, 700, _V,
           ("Hernesvegen", "Tjernvegen", "Bruvegen"), "2410", "HERNES"),
    _Krets("Nordre Hernes", (324500, 6770500), 6, 70, 2500, _R,
           ("Hernesvegen", "Kvernvegen"), "2410", "HERNES"),
    _Krets("Nordskogbygda", (316000, 6773500), 6, 200, 900, _V,
           ("Nordskogbygdvegen", "Sagvegen", "Lisætervegen"), "2435", "NORDSKOGBYGDA"),
    _Krets("Nordskogen", (321000, 6782500), 6, 70, 3000, _R,
           ("Nordskogvegen",), "2435", "NORDSKOGBYGDA"),
)

UNIT_TYPE_MIX: dict[str, float] = {
    "Ordinær utleiebolig": 0.45, "Omsorgsbolig": 0.18, "Gjennomgangsbolig": 0.08,
    "Bofellesskap": 0.07, "Rus/psykiatri-bolig": 0.07, "Flyktningbolig": 0.08,
    "Ungdomsbolig": 0.04, "Akuttbolig": 0.03,
}
TENURE_MIX: dict[str, float] = {"Eid": 0.70, "Innleid": 0.22, "Tildelingsrett": 0.08}
STATUS_MIX: dict[str, float] = {
    "Utleid": 0.85, "Ledig": 0.07, "Under rehabilitering": 0.05, "Reservert": 0.03,
}

HOMELESS, MENTAL = "Bostedsløse med rusproblemer", "Psykisk helse"
REFUGEES = "Flyktninger til bosetting"
YOUTH, FAMILIES, ELDERLY = "Unge 18–25 år", "Barnefamilier", "Eldre"
DISABLED = "Personer med funksjonsnedsettelse"

TARGET_BY_TYPE: dict[str, dict[str, float]] = {
    "Ordinær utleiebolig": {FAMILIES: 0.40, REFUGEES: 0.15, MENTAL: 0.10, ELDERLY: 0.10,
                            DISABLED: 0.10, YOUTH: 0.10, HOMELESS: 0.05},
    "Omsorgsbolig": {ELDERLY: 0.70, DISABLED: 0.30},
    "Gjennomgangsbolig": {HOMELESS: 0.40, FAMILIES: 0.30, REFUGEES: 0.30},
    "Bofellesskap": {DISABLED: 0.70, MENTAL: 0.30},
    "Rus/psykiatri-bolig": {HOMELESS: 0.60, MENTAL: 0.40},
    "Flyktningbolig": {REFUGEES: 1.0},
    "Ungdomsbolig": {YOUTH: 1.0},
    "Akuttbolig": {HOMELESS: 1.0},
}
ROOMS_BY_TARGET: dict[str, dict[int, float]] = {
    FAMILIES: {3: 0.30, 4: 0.45, 5: 0.25}, REFUGEES: {2: 0.30, 3: 0.40, 4: 0.30},
    ELDERLY: {1: 0.40, 2: 0.60}, DISABLED: {1: 0.40, 2: 0.45, 3: 0.15},
    YOUTH: {1: 0.70, 2: 0.30}, HOMELESS: {1: 0.80, 2: 0.20}, MENTAL: {1: 0.65, 2: 0.35},
}
AREA_BY_ROOMS: dict[int, tuple[float, float]] = {
    1: (25, 40), 2: (40, 60), 3: (58, 80), 4: (74, 95), 5: (88, 110),
}
FLOOR_P: tuple[float, ...] = (0.25, 0.30, 0.20, 0.15, 0.07, 0.03)  # floors 0–5 in town
PERSONS_P: tuple[float, ...] = (0.03, 0.36, 0.30, 0.13, 0.12, 0.05, 0.01)  # 0–6 persons

# Housing companies: (name, grunnkrets, units, acquired between (first, last), type mix)
_COMPANIES: tuple[tuple[str, str, int, tuple[dt.date, dt.date], dict[str, float]], ...] = (
    ("Lillemo borettslag", "Lillemoen", 6, (dt.date(2021, 1, 1), dt.date(2024, 12, 31)),
     {"Ordinær utleiebolig": 0.5, "Gjennomgangsbolig": 0.25, "Flyktningbolig": 0.25}),
    ("Hanstad borettslag", "Hanstad", 4, (dt.date(2016, 3, 1), dt.date(2016, 3, 1)),
     {"Ordinær utleiebolig": 0.6, "Flyktningbolig": 0.25, "Gjennomgangsbolig": 0.15}),
    ("Vestadtunet sameie", "Vestad", 3, (dt.date(2013, 6, 15), dt.date(2013, 6, 15)),
     {"Ordinær utleiebolig": 0.6, "Omsorgsbolig": 0.4}),
)
_BLOCK_MIX = {"Ordinær utleiebolig": 0.5, "Ungdomsbolig": 0.2, "Flyktningbolig": 0.15,
              "Gjennomgangsbolig": 0.15}
_HOTSPOT_MIX = {"Ordinær utleiebolig": 0.35, "Rus/psykiatri-bolig": 0.2,
                "Gjennomgangsbolig": 0.15, "Flyktningbolig": 0.15, "Ungdomsbolig": 0.1,
                "Akuttbolig": 0.05}
_KIND_WEIGHT = {_T: 1.0, _V: 0.6, _R: 0.3}

ADDRESS_HEADER: tuple[str, ...] = (
    "lokalid", "kommunenummer", "kommunenavn", "adressetype", "adressekode", "adressenavn",
    "nummer", "bokstav", "gardsnummer", "bruksnummer", "festenummer", "undernummer",
    "adresseTekst", "EPSG-kode", "Nord", "Øst", "postnummer", "poststed", "grunnkretsnummer",
    "grunnkretsnavn",
)
CANDIDATE_HEADER: tuple[str, ...] = (
    "Adresse", "Postnr", "Poststed", "Øst", "Nord", "Pris (kr)", "Antall rom", "Areal (m²)",
    "Etasje", "Heis", "Universelt utformet", "Bygningsnr", "Borettslag/sameie",
)
KOMMUNENAVN = "ELVERUM"
EXTRA_SEED = SEED + 1  # root of the address/candidate/service streams; SEED's draws untouched

# Mean dwellings per address (building) and the radius within which dwellings share one, by
# krets kind; no address has more than MAX_DWELLINGS.
ADDRESS_MEAN_SIZE: dict[str, float] = {_T: 3.6, _V: 1.7, _R: 1.15}
ADDRESS_RADIUS: dict[str, float] = {_T: 120.0, _V: 250.0, _R: 400.0}
MAX_DWELLINGS = 12

# Candidate purchases: (grunnkrets, count) for the concentrated areas; the rest spread out.
BLOCK_ADDRESS = ("Storgata", 12, "")
N_BLOCK_CANDIDATES = 3
CANDIDATE_QUOTAS: tuple[tuple[str, int], ...] = (("Sentrum nord", 5), (HOTSPOT, 7))
N_SPREAD_CANDIDATES = 45
CANDIDATE_ROOMS_P: dict[int, float] = {1: 0.15, 2: 0.35, 3: 0.30, 4: 0.15, 5: 0.05}
PRICE_PER_M2: dict[str, int] = {"centre": 44_000, _T: 38_000, HOTSPOT: 34_000, _V: 27_000}
CENTRE = ("Sentrum nord", "Sentrum sør", "Ydalir")
PRICE_RANGE = (1_400_000, 5_500_000)
UU_SHARE = 0.25

SERVICE_CATEGORIES: tuple[str, ...] = (
    "skole", "barnehage", "helsestasjon", "dagligvare", "kollektiv",
)
# Synthetic service points: (name, category, grunnkrets they are placed in).
SERVICES: tuple[tuple[str, str, str], ...] = (
    ("Hanstad skole", "skole", "Hanstad"),
    ("Søndre Elverum skole", "skole", "Søndre Elverum"),
    ("Hernes skole", "skole", "Hernes"),
    ("Vestad skole", "skole", "Vestad"),
    ("Ydalir skole", "skole", "Ydalir"),
    ("Sæter skole", "skole", "Sæter"),
    ("Heradsbygd skole", "skole", "Heradsbygd"),
    ("Elverum ungdomsskole", "skole", "Sentrum sør"),
    ("Lillemoen barnehage", "barnehage", "Lillemoen"),
    ("Sæterlia barnehage", "barnehage", "Sæter"),
    ("Moen barnehage", "barnehage", "Moen"),
    ("Hagen barnehage", "barnehage", "Hagen"),
    ("Vestlia barnehage", "barnehage", "Vestad vest"),
    ("Grindalsmoen barnehage", "barnehage", "Grindalsmoen"),
    ("Strandbygda barnehage", "barnehage", "Strandbygda"),
    ("Leiret barnehage", "barnehage", "Leiret øst"),
    ("Jømna barnehage", "barnehage", "Jømna"),
    ("Nordskogbygda barnehage", "barnehage", "Nordskogbygda"),
    ("Sørskogbygda barnehage", "barnehage", "Sørskogbygda"),
    ("Heradsbygd barnehage", "barnehage", "Heradsbygd"),
    ("Elverum helsestasjon", "helsestasjon", "Sentrum sør"),
    ("Vestad helsestasjon", "helsestasjon", "Vestad"),
    ("Kiwi Storgata", "dagligvare", "Sentrum nord"),
    ("Coop Extra Hanstad", "dagligvare", "Hanstad"),
    ("Rema 1000 Vestad", "dagligvare", "Vestad"),
    ("Rema 1000 Grindalsmoen", "dagligvare", "Grindalsmoen"),
    ("Coop Prix Sæter", "dagligvare", "Sæter"),
    ("Kiwi Ydalir", "dagligvare", "Ydalir"),
    ("Kiwi Hernes", "dagligvare", "Hernes"),
    ("Coop Marked Heradsbygd", "dagligvare", "Heradsbygd"),
    ("Joker Jømna", "dagligvare", "Jømna"),
    ("Joker Nordskogbygda", "dagligvare", "Nordskogbygda"),
    *((f"{name} (buss)" if name != "Sentrum nord" else "Elverum skysstasjon", "kollektiv", name)
      for name in ("Sentrum nord", "Sentrum sør", "Leiret øst", "Lillemoen", "Vestad",
                   "Vestad vest", "Hagen", "Sæter", "Moen", "Strandbygda", "Hanstad",
                   "Grindalsmoen", "Søndre Elverum", "Ydalir", "Heradsbygd", "Sørskogbygda",
                   "Starmoen", "Jømna", "Hernes", "Nordskogbygda")),
)

# Aggregated demand snapshot: (target group, households, rooms, universal design, staffed, area).
DEMAND_ROWS: tuple[tuple[str, int, int, bool, bool, str], ...] = (
    (HOMELESS, 6, 1, False, False, ""),
    (HOMELESS, 3, 1, False, True, ""),
    (HOMELESS, 2, 2, False, False, "Sentrum sør"),
    (MENTAL, 4, 1, False, False, "Sentrum nord"),
    (MENTAL, 3, 2, False, True, ""),
    (REFUGEES, 7, 3, False, False, ""),
    (REFUGEES, 5, 4, False, False, ""),
    (REFUGEES, 3, 2, False, False, "Vestad"),
    (YOUTH, 5, 1, False, False, "Sentrum nord"),
    (YOUTH, 2, 2, False, False, ""),
    (FAMILIES, 4, 3, False, False, "Vestad"),
    (FAMILIES, 3, 4, False, False, "Hanstad"),
    (FAMILIES, 2, 5, False, False, ""),
    (FAMILIES, 2, 4, False, False, "Hernes"),
    (ELDERLY, 8, 2, True, False, ""),
    (ELDERLY, 5, 2, True, True, "Sentrum sør"),
    (ELDERLY, 3, 1, True, False, "Heradsbygd"),
    (DISABLED, 4, 2, True, True, ""),
    (DISABLED, 2, 3, True, False, "Ydalir"),
    (DISABLED, 3, 1, True, True, "Hernes"),
)


# ---------------------------------------------------------------------------------------------
# Geography


def boundary_polygon() -> shapely.Polygon:
    """Return the synthetic municipal outline in EPSG:25833."""
    return shapely.Polygon(BOUNDARY)


def _codes() -> list[str]:
    """Return grunnkretsnummer per KRETSER entry: kommunenr + delområde (2) + krets (2)."""
    seen: Counter[int] = Counter()
    out = []
    for k in KRETSER:
        seen[k.district] += 1
        out.append(f"{KOMMUNENR}{k.district:02d}{seen[k.district]:02d}")
    return out


def _cells(boundary: shapely.Polygon) -> list[shapely.Geometry]:
    """Return Voronoi cells of the seeds, clipped to the boundary, in KRETSER order."""
    seeds = shapely.MultiPoint([k.seed for k in KRETSER])
    vor = shapely.voronoi_polygons(seeds, extend_to=boundary, ordered=True)
    cells = [shapely.set_precision(shapely.intersection(c, boundary), 0.1) for c in vor.geoms]
    for k, c in zip(KRETSER, cells, strict=True):
        assert c.contains(shapely.Point(k.seed)), k.name
    return cells


def _assign(cells: list[shapely.Geometry], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the index of the cell holding each point (nearest cell for edge cases)."""
    idx = np.full(len(x), -1, dtype=int)
    for i, c in enumerate(cells):
        hit = (idx < 0) & shapely.contains_xy(c, x, y)
        idx[hit] = i
    for j in np.flatnonzero(idx < 0):
        p = shapely.Point(x[j], y[j])
        idx[j] = int(np.argmin([c.distance(p) for c in cells]))
    return idx


def _dwellings(rng: np.random.Generator, boundary: shapely.Polygon) -> pd.DataFrame:
    """Draw dwelling points in Gaussian clusters inside the boundary, with residents."""
    xs, ys = [], []
    for k in KRETSER:
        got_x: list[np.ndarray] = []
        got_y: list[np.ndarray] = []
        n = 0
        while n < k.dwellings:
            cx = np.round(rng.normal(k.seed[0], k.spread, 2 * k.dwellings), 1)
            cy = np.round(rng.normal(k.seed[1], k.spread, 2 * k.dwellings), 1)
            ok = shapely.contains_xy(boundary, cx, cy)
            got_x.append(cx[ok])
            got_y.append(cy[ok])
            n += int(ok.sum())
        xs.append(np.concatenate(got_x)[: k.dwellings])
        ys.append(np.concatenate(got_y)[: k.dwellings])
    x, y = np.concatenate(xs), np.concatenate(ys)
    persons = rng.choice(len(PERSONS_P), size=len(x), p=PERSONS_P)
    return pd.DataFrame({"x": x, "y": y, "persons": persons})


def _area_frames(
    cells: list[shapely.Geometry], dw: pd.DataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Build the grunnkrets and delområde GeoDataFrames with aggregated statistics."""
    pop = dw.groupby("krets")["persons"].sum().reindex(range(len(KRETSER)), fill_value=0)
    cnt = dw.groupby("krets").size().reindex(range(len(KRETSER)), fill_value=0)
    gk = gpd.GeoDataFrame(
        {
            "grunnkretsnummer": _codes(),
            "grunnkretsnavn": [k.name for k in KRETSER],
            "befolkning": pop.to_numpy().astype(int),
            "boliger": cnt.to_numpy().astype(int),
            "delomrade": [k.district for k in KRETSER],
        },
        geometry=cells, crs=EPSG,
    ).sort_values("grunnkretsnummer", kind="stable").reset_index(drop=True)
    rows, geoms = [], []
    for d, name in enumerate(DELOMRADER, start=1):
        part = gk[gk["delomrade"] == d]
        rows.append({
            "delomradenummer": f"{KOMMUNENR}-D{d}", "delomradenavn": name,
            "befolkning": int(part["befolkning"].sum()), "boliger": int(part["boliger"].sum()),
        })
        geoms.append(shapely.set_precision(shapely.union_all(part.geometry.to_numpy()), 0.1))
    do = gpd.GeoDataFrame(rows, geometry=geoms, crs=EPSG)
    return gk.drop(columns="delomrade"), do


# ---------------------------------------------------------------------------------------------
# Units


def _quota(
    mix: dict[str, float], total: int, fixed: list[str], rng: np.random.Generator
) -> list[str]:
    """Return total − len(fixed) shuffled labels so that fixed + labels follow ``mix``."""
    n = total - len(fixed)
    have = Counter(fixed)
    need = {k: max(0.0, p * total - have[k]) for k, p in mix.items()}
    scale = n / sum(need.values())
    exact = {k: v * scale for k, v in need.items()}
    counts = {k: int(np.floor(v)) for k, v in exact.items()}
    by_rest = sorted(mix, key=lambda k: -(exact[k] - counts[k]))
    for k in by_rest[: n - sum(counts.values())]:
        counts[k] += 1
    labels = [k for k in mix for _ in range(counts[k])]
    rng.shuffle(labels)
    return labels


def _pick(rng: np.random.Generator, mix: dict, size: int | None = None):
    """Draw from a {value: probability} mapping."""
    keys = list(mix)
    p = np.array(list(mix.values()), dtype=float)
    idx = rng.choice(len(keys), size=size, p=p / p.sum())
    return keys[idx] if size is None else [keys[i] for i in idx]


def _day(rng: np.random.Generator, start: dt.date, end: dt.date, power: float = 1.0) -> dt.date:
    """Draw a date in [start, end]; power < 1 concentrates draws towards the end."""
    span = (end - start).days
    return start + dt.timedelta(days=int(round(span * rng.random() ** power)))


def _plus_years(d: dt.date, years: int) -> dt.date:
    """Return d + years (28 Feb for 29 Feb)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _unique_id(rng: np.random.Generator, used: set[str], lo: int = 100_000_000,
               hi: int = 300_000_000) -> str:
    """Draw a new integer id in [lo, hi) not in ``used`` (added to it) and return it as text."""
    while True:
        new = str(int(rng.integers(lo, hi)))
        if new not in used:
            used.add(new)
            return new


def _matrikkel(rng: np.random.Generator, krets: int) -> tuple[str, str]:
    """Draw a (gnr, bnr) pair for a property in grunnkrets index ``krets``."""
    gnr = str(1 + 15 * krets + int(rng.integers(0, 15)))
    bnr = str(int(rng.integers(1, 1500 if KRETSER[krets].kind == _T else 250)))
    return gnr, bnr


class _Buildings:
    """Allocates building sites, addresses, building numbers and matrikkel numbers."""

    def __init__(self, rng: np.random.Generator, dw: pd.DataFrame, cells: list[shapely.Geometry]):
        self.rng, self.dw, self.cells = rng, dw, cells
        self.used_sites: set[int] = set()
        self.used_addr: set[tuple[str, int, str]] = set()
        self.used_ids: set[str] = set()

    def site(self, krets: int, near: tuple[float, float] | None = None) -> int:
        """Pick an unused dwelling point in ``krets`` (nearest to ``near`` when given)."""
        cand = np.flatnonzero(self.dw["krets"].to_numpy() == krets)
        cand = np.array([c for c in cand if c not in self.used_sites])
        if near is not None:
            d = np.hypot(self.dw["x"].to_numpy()[cand] - near[0],
                         self.dw["y"].to_numpy()[cand] - near[1])
            j = int(cand[np.argmin(d)])
        else:
            j = int(self.rng.choice(cand))
        self.used_sites.add(j)
        return j

    def make(self, site: int, address: tuple[str, int, str] | None = None) -> dict:
        """Create a building on a dwelling site: coordinates, address, ids."""
        rng, k_i = self.rng, int(self.dw.at[site, "krets"])
        k = KRETSER[k_i]
        x0, y0 = float(self.dw.at[site, "x"]), float(self.dw.at[site, "y"])
        x, y = x0, y0
        for _ in range(5):  # a few metres of jitter, kept inside the same grunnkrets
            jx = round(x0 + rng.uniform(-6, 6), 1)
            jy = round(y0 + rng.uniform(-6, 6), 1)
            if shapely.contains_xy(self.cells[k_i], jx, jy):
                x, y = jx, jy
                break
        if address is None:
            top = 90 if k.kind == _T else 250
            while True:
                street = str(rng.choice(k.streets))
                number = int(rng.integers(1, top))
                letter = str(rng.choice(list("ABCD"))) if rng.random() < 0.12 else ""
                if (street, number, letter) not in self.used_addr:
                    break
            address = (street, number, letter)
        self.used_addr.add(address)
        bid = _unique_id(rng, self.used_ids)
        known = rng.random() > 0.05
        gnr, bnr = _matrikkel(rng, k_i) if known else ("", "")
        fnr = "1" if known and rng.random() < 0.03 else ""
        return {"krets": k_i, "x": x, "y": y, "street": address[0], "number": address[1],
                "letter": address[2], "postnr": k.postnr, "poststed": k.poststed,
                "gnr": gnr, "bnr": bnr, "fnr": fnr, "bygningsnr": bid, "kind": k.kind}


def _unit(building: dict, **extra: object) -> dict:
    """Return a unit record placed in ``building``."""
    return {**building, "company": "", "snr": "", "floor": None, "type": None, "tenure": None,
            "acquired": None, "disposed": None, "special": "", **extra}


def _place_units(rng: np.random.Generator, dw: pd.DataFrame, cells: list) -> list[dict]:
    """Place active and disposed units on buildings, special clusters first."""
    by_name = {k.name: i for i, k in enumerate(KRETSER)}
    b = _Buildings(rng, dw, cells)
    units: list[dict] = []

    # The block of flats: 14 units, one building, one address, floors 1–5.
    sn = by_name["Sentrum nord"]
    block = b.make(b.site(sn, near=KRETSER[sn].seed), address=("Storgata", 12, ""))
    for i in range(14):
        units.append(_unit(block, company="Sameiet Storgata 12", snr=str(i + 1),
                           floor=1 + i // 3, type=_pick(rng, _BLOCK_MIX), tenure="Eid",
                           acquired=dt.date(2022, 9, 1), special="block"))

    # Housing companies: one building each, 3–6 units.
    for company, kname, n, when, mix in _COMPANIES:
        bld = b.make(b.site(by_name[kname]))
        for i in range(n):
            units.append(_unit(bld, company=company, snr=str(i + 1), floor=i % 3,
                               type=_pick(rng, mix), tenure="Eid", acquired=_day(rng, *when),
                               special="company" if kname != HOTSPOT else "hotspot"))

    # Hotspot: fill Lillemoen up to HOTSPOT_SHARE of its dwellings.
    hot = by_name[HOTSPOT]
    target = int(np.ceil(HOTSPOT_SHARE * int((dw["krets"] == hot).sum())))
    have = sum(1 for u in units if u["krets"] == hot)
    while have < target:
        bld = b.make(b.site(hot))
        n = min(2 if rng.random() < 0.3 else 1, target - have)
        for _ in range(n):
            units.append(_unit(bld, type=_pick(rng, _HOTSPOT_MIX),
                               acquired=_day(rng, dt.date(2019, 6, 1), LAST_DATE, 0.7),
                               special="hotspot"))
        have += n

    # Everyone else: weighted by dwellings, fewer in villages and forests, none in the hotspot.
    weight = dw["kind"].map(_KIND_WEIGHT).to_numpy() * (dw["krets"].to_numpy() != hot)
    n_sites = int((weight > 0).sum())
    order = rng.choice(len(dw), size=n_sites, replace=False, p=weight / weight.sum())
    sites = (int(s) for s in order if int(s) not in b.used_sites)
    while len(units) < N_ACTIVE:
        site = next(sites)
        b.used_sites.add(site)
        n = min(2 if rng.random() < 0.15 else 1, N_ACTIVE - len(units))
        bld = b.make(site)
        for i in range(n):  # a pair is a two-storey two-family house
            units.append(_unit(bld, acquired=_day(rng, FIRST_DATE, LAST_DATE, 0.85),
                               floor=i if n == 2 else None))

    # Disposed units: sold again before the end of 2025.
    for _ in range(N_DISPOSED):
        site = next(sites)
        b.used_sites.add(site)
        acq = _day(rng, FIRST_DATE, dt.date(2022, 12, 31))
        sold = _day(rng, acq + dt.timedelta(days=365), LAST_DATE)
        units.append(_unit(b.make(site), acquired=acq, disposed=sold, special="disposed"))
    return units


def _attributes(rng: np.random.Generator, units: list[dict]) -> None:
    """Fill type, tenure, status, target group, size, rent and dates (in place)."""
    fixed_types = [u["type"] for u in units if u["type"]]
    rest = iter(_quota(UNIT_TYPE_MIX, len(units), fixed_types, rng))
    for u in units:
        u["type"] = u["type"] or next(rest)
    fixed_ten = [u["tenure"] for u in units if u["tenure"]]
    rest = iter(_quota(TENURE_MIX, len(units), fixed_ten, rng))
    for u in units:
        u["tenure"] = u["tenure"] or next(rest)
    active = [u for u in units if u["disposed"] is None]
    statuses = iter(_quota(STATUS_MIX, len(active), [], rng))
    for u in units:
        u["status"] = next(statuses) if u["disposed"] is None else "Ledig"

    for u in units:
        t = u["type"]
        u["target"] = _pick(rng, TARGET_BY_TYPE[t])
        rooms = int(_pick(rng, ROOMS_BY_TARGET[u["target"]]))
        if t in ("Akuttbolig", "Bofellesskap"):
            rooms = min(rooms, 2)
        u["rooms"] = rooms
        lo, hi = AREA_BY_ROOMS[rooms]
        u["area"] = round(rng.uniform(lo, hi) * 2) / 2
        if u["floor"] is None:
            if u["kind"] == _T:
                u["floor"] = int(rng.choice(len(FLOOR_P), p=FLOOR_P))
            else:
                u["floor"] = int(rng.random() < 0.3)
        if u["special"] == "block":
            uu = True
        elif t == "Omsorgsbolig":
            uu = rng.random() < 0.85
        elif t == "Bofellesskap":
            uu = rng.random() < 0.70
        else:
            uu = rng.random() < (0.20 if u["floor"] == 0 else 0.08)
        u["uu"] = bool(uu)
        u["wheelchair"] = bool(rng.random() < (0.6 if uu else 0.02))
        rent = 3500 + 105 * u["area"] + rng.normal(0, 500)
        rent += 1200 if u["tenure"] == "Innleid" else 0
        u["rent"] = int(np.clip(round(rent / 50) * 50, 6000, 16000))
        u["contract_end"] = None
        if u["disposed"] is None and u["status"] == "Utleid":
            start = _day(rng, max(u["acquired"], dt.date(2023, 6, 1)), dt.date(2026, 9, 30))
            u["contract_end"] = _plus_years(start, 3) - dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Address register, candidate purchases and services (their own random streams)


def _nearest_free(px: np.ndarray, py: np.ndarray, free: np.ndarray, x: float, y: float,
                  size: int, radius: float) -> np.ndarray:
    """Return up to ``size`` free point indices nearest (x, y) within ``radius``; mark them."""
    d = np.where(free, np.hypot(px - x, py - y), np.inf)
    near = np.argsort(d, kind="stable")[:size]
    near = near[d[near] <= radius]
    free[near] = False
    return near


def _jitter(rng: np.random.Generator, x: float, y: float, metres: float) -> tuple[float, float]:
    """Return (x, y) moved by up to ``metres`` on each axis, rounded to centimetres."""
    return (round(x + rng.uniform(-metres, metres), 2),
            round(y + rng.uniform(-metres, metres), 2))


def _group_dwellings(rng: np.random.Generator, dw: pd.DataFrame,
                     buildings: list[dict]) -> list[dict]:
    """Group dwelling points into address points; unit buildings come first with their address."""
    out: list[dict] = []
    for k_i, k in enumerate(KRETSER):
        idx = np.flatnonzero(dw["krets"].to_numpy() == k_i)
        px, py = dw["x"].to_numpy()[idx], dw["y"].to_numpy()[idx]
        free = np.ones(len(idx), dtype=bool)
        mean, radius = ADDRESS_MEAN_SIZE[k.kind], ADDRESS_RADIUS[k.kind]
        for own in (b for b in buildings if b["krets"] == k_i):
            size = min(MAX_DWELLINGS, 1 + int(rng.poisson(mean - 1)))
            n = len(_nearest_free(px, py, free, own["x"], own["y"], size, radius))
            x, y = _jitter(rng, own["x"], own["y"], 4.0)
            out.append({**own, "x": x, "y": y, "dwellings": max(n, 1)})
        rest = np.flatnonzero(free)
        if not len(rest):
            continue
        # Voronoi grouping around random centre dwellings; far-off dwellings stand alone.
        centres = rng.choice(rest, size=max(1, round(len(rest) / mean)), replace=False)
        d = np.hypot(px[rest, None] - px[centres], py[rest, None] - py[centres])
        owner = np.where(d.min(axis=1) <= radius, np.argmin(d, axis=1),
                         len(centres) + np.arange(len(rest)))
        for o in np.unique(owner):
            members = rest[owner == o]
            for g in np.array_split(members, -(-len(members) // MAX_DWELLINGS)):
                x, y = _jitter(rng, float(px[g].mean()), float(py[g].mean()), 3.0)
                out.append({"krets": k_i, "x": x, "y": y, "street": "", "dwellings": len(g)})
    return out


def _name_addresses(rng: np.random.Generator, addresses: list[dict]) -> None:
    """Give new addresses a street (by sector around the seed), number, letter and matrikkel."""
    used = {(a["street"], a["number"], a["letter"], KRETSER[a["krets"]].postnr)
            for a in addresses if a["street"]}
    last: dict[tuple[str, str], tuple[int, str]] = {}
    for k_i, k in enumerate(KRETSER):
        new = [a for a in addresses if a["krets"] == k_i and not a["street"]]
        turn = rng.uniform(0, 2 * np.pi)
        for a in new:
            angle = (np.arctan2(a["y"] - k.seed[1], a["x"] - k.seed[0]) + turn) % (2 * np.pi)
            a["street"] = k.streets[int(angle / (2 * np.pi) * len(k.streets)) % len(k.streets)]
        # Number outwards from the seed along each street; now and then a gap or a letter.
        for a in sorted(new, key=lambda a: (a["street"], np.hypot(a["x"] - k.seed[0],
                                                                  a["y"] - k.seed[1]))):
            key = (a["street"], k.postnr)
            number, letter = last.get(key, (0, ""))
            if number and rng.random() < 0.07:
                letter = chr(ord(letter or "A") + 1)  # 12 → 12 B → 12 C
            else:
                gap = int(rng.integers(1, 4)) if rng.random() < 0.2 else 0
                number, letter = number + 1 + gap, ""
            while (a["street"], number, letter, k.postnr) in used:
                number, letter = number + 1, ""
            used.add((a["street"], number, letter, k.postnr))
            last[key] = (number, letter)
            gnr, bnr = _matrikkel(rng, k_i)
            a.update(number=number, letter=letter, gnr=gnr, bnr=bnr, fnr="",
                     postnr=k.postnr, poststed=k.poststed, bygningsnr="", company="")


def _addresses(rng: np.random.Generator, dw: pd.DataFrame, cells: list[shapely.Geometry],
               units: list[dict]) -> list[dict]:
    """Build the synthetic address register: unit addresses plus grouped dwelling points."""
    buildings: dict[tuple[str, int, str], dict] = {}
    for u in units:
        buildings.setdefault((u["street"], u["number"], u["letter"]), u)
    keep = ("krets", "x", "y", "street", "number", "letter", "postnr", "poststed", "gnr", "bnr",
            "fnr", "bygningsnr", "company")
    own = [{c: b[c] for c in keep} for b in buildings.values()]
    for b in own:
        if not b["gnr"]:
            b["gnr"], b["bnr"] = _matrikkel(rng, b["krets"])
    addresses = _group_dwellings(rng, dw, own)
    _name_addresses(rng, addresses)
    xs = np.array([a["x"] for a in addresses])
    ys = np.array([a["y"] for a in addresses])
    for a, cell in zip(addresses, _assign(cells, xs, ys), strict=True):
        a["cell"] = int(cell)
    streets = sorted({a["street"] for a in addresses})
    code = {s: str(1000 + 5 * i) for i, s in enumerate(streets)}
    addresses.sort(key=lambda a: (code[a["street"]], a["postnr"], a["number"], a["letter"]))
    used_ids: set[str] = set()
    for a in addresses:
        a["code"] = code[a["street"]]
        a["lokalid"] = _unique_id(rng, used_ids, 200_000_000, 800_000_000)
    return addresses


def _is_block(a: dict) -> bool:
    """Return whether a record is at the 14-unit block of flats (Storgata 12)."""
    return (a["street"], a["number"], a["letter"]) == BLOCK_ADDRESS


def _floors(rng: np.random.Generator, a: dict) -> tuple[int, bool]:
    """Return (top floor, has lift) for a candidate's building."""
    if _is_block(a):
        return 6, True
    if KRETSER[a["krets"]].kind != _T:
        return int(rng.integers(1, 3)), False
    if a["dwellings"] >= 4:
        top = int(rng.integers(3, 7))
        return top, bool(rng.random() < (0.8 if top >= 4 else 0.3))
    return (2 if a["dwellings"] >= 2 else 1), False


def _price(rng: np.random.Generator, a: dict, area: float) -> int:
    """Return an asking price from size and location, rounded to 10 000 kr."""
    k = KRETSER[a["krets"]]
    where = "centre" if k.name in CENTRE else HOTSPOT if k.name == HOTSPOT else k.kind
    where = where if where in PRICE_PER_M2 else _V  # forests priced like villages
    price = (350_000 + area * PRICE_PER_M2[where]) * np.exp(rng.normal(0, 0.08))
    return int(np.clip(round(price / 10_000) * 10_000, *PRICE_RANGE))


def _candidates(rng: np.random.Generator, addresses: list[dict],
                units: list[dict]) -> list[dict]:
    """Draw flats for sale at register addresses: some concentrated, most spread out."""
    by_name = {k.name: i for i, k in enumerate(KRETSER)}
    is_block = [_is_block(a) for a in addresses]
    chosen = [addresses[is_block.index(True)]] * N_BLOCK_CANDIDATES
    for name, n in CANDIDATE_QUOTAS:
        pool = [i for i, a in enumerate(addresses) if a["krets"] == by_name[name]
                and a["dwellings"] >= 2 and not is_block[i]]
        chosen += [addresses[i] for i in rng.choice(pool, size=n, replace=False)]
    special = {by_name[name] for name, _ in CANDIDATE_QUOTAS}
    kinds = [KRETSER[a["krets"]].kind for a in addresses]
    weight = np.array([0.0 if a["krets"] in special or kind == _R  # no flats in the forests
                       else a["dwellings"] * _KIND_WEIGHT[kind]
                       for a, kind in zip(addresses, kinds, strict=True)])
    spread = rng.choice(len(addresses), size=N_SPREAD_CANDIDATES, replace=False,
                        p=weight / weight.sum())
    chosen += [addresses[i] for i in spread]
    chosen = [chosen[i] for i in rng.permutation(len(chosen))]

    used_ids = {u["bygningsnr"] for u in units}
    buildings: dict[int, dict] = {}  # per address: building id, top floor, lift, company
    out = []
    for a in chosen:
        if id(a) not in buildings:
            top, lift = _floors(rng, a)
            company = a["company"]
            if not company and a["dwellings"] >= 3:
                company = (f"Sameiet {_address_text(a)}" if rng.random() < 0.6
                           else f"{a['street']} borettslag")
            buildings[id(a)] = {"bygningsnr": a["bygningsnr"] or _unique_id(rng, used_ids),
                                "top": top, "lift": lift, "company": company}
        b = buildings[id(a)]
        rooms = int(_pick(rng, CANDIDATE_ROOMS_P))
        area = float(round(rng.uniform(*AREA_BY_ROOMS[rooms])))
        out.append({"address": a, "bygningsnr": b["bygningsnr"], "lift": b["lift"],
                    "floor": int(rng.integers(0, b["top"] + 1)), "rooms": rooms, "area": area,
                    "price": _price(rng, a, area), "company": b["company"],
                    "uu": _is_block(a)})  # the block is universally designed throughout
    eligible = [c for c in out if (c["floor"] == 0 or c["lift"]) and not c["uu"]]
    n_uu = min(len(eligible), round(UU_SHARE * len(out)) - sum(c["uu"] for c in out))
    for i in rng.choice(len(eligible), size=n_uu, replace=False):
        eligible[i]["uu"] = True
    return out


def _services(rng: np.random.Generator, addresses: list[dict],
              cells: list[shapely.Geometry]) -> gpd.GeoDataFrame:
    """Place the synthetic service points a little off addresses near each grunnkrets centre."""
    by_name = {k.name: i for i, k in enumerate(KRETSER)}
    taken: set[int] = set()
    names, cats, points = [], [], []
    for name, category, krets in SERVICES:
        k_i = by_name[krets]
        sx, sy = KRETSER[k_i].seed
        pool = sorted((i for i, a in enumerate(addresses)
                       if a["krets"] == k_i and i not in taken),
                      key=lambda i: np.hypot(addresses[i]["x"] - sx, addresses[i]["y"] - sy))
        i = int(rng.choice(pool[:25]))
        taken.add(i)
        r, t = rng.uniform(15, 40), rng.uniform(0, 2 * np.pi)
        x, y = addresses[i]["x"] + r * np.cos(t), addresses[i]["y"] + r * np.sin(t)
        if not shapely.contains_xy(cells[k_i], x, y):
            x, y = addresses[i]["x"], addresses[i]["y"]
        names.append(name)
        cats.append(category)
        points.append(shapely.Point(round(x, 1), round(y, 1)))
    return gpd.GeoDataFrame({"navn": names, "kategori": cats}, geometry=points, crs=EPSG)


# ---------------------------------------------------------------------------------------------
# Writers


def _num(value: float) -> str:
    """Format a number with one decimal and a decimal comma ("313440,5")."""
    return f"{value:.1f}".replace(".", ",")


def _area_text(value: float) -> str:
    """Format a floor area: "54" or "54,5"."""
    return str(int(value)) if float(value).is_integer() else _num(value)


def _date(value: dt.date | None) -> str:
    """Format a date as dd.mm.yyyy, or empty."""
    return value.strftime("%d.%m.%Y") if value else ""


def _address_text(a: dict) -> str:
    """Format a record's street address: "Storgata 12" or "Storgata 12 B"."""
    return f"{a['street']} {a['number']}" + (f" {a['letter']}" if a["letter"] else "")


def _yes(value: bool) -> str:
    """Format a boolean as Ja/Nei."""
    return "Ja" if value else "Nei"


def _write_csv(path: Path, header: tuple[str, ...] | list[str], rows: list[list[str]],
               encoding: str, newline: str) -> None:
    """Write a ';'-separated text file with the given encoding and line ending."""
    for row in rows:
        assert all(";" not in c and "\n" not in c for c in row), row
    text = newline.join(";".join(r) for r in [list(header), *rows]) + newline
    path.write_bytes(text.encode(encoding))


def _unit_rows(units: list[dict]) -> list[list[str]]:
    """Return the unit register rows, sorted by Bolignr."""
    rows = []
    for u in units:
        rows.append([
            u["id"], _address_text(u), u["postnr"], u["poststed"], u["gnr"], u["bnr"], u["fnr"], u["snr"],
            u["bygningsnr"], u["company"], _num(u["x"]), _num(u["y"]), u["type"], u["tenure"],
            str(u["rooms"]), _area_text(u["area"]), str(u["floor"]), _yes(u["uu"]),
            _yes(u["wheelchair"]), str(u["rent"]), u["target"], u["status"],
            _date(u["acquired"]), _date(u["disposed"]), _date(u["contract_end"]),
        ])
    return rows


def _address_rows(addresses: list[dict]) -> list[list[str]]:
    """Return the address register rows in Kartverket's column order."""
    codes = _codes()
    return [[
        a["lokalid"], KOMMUNENR, KOMMUNENAVN, "vegadresse", a["code"], a["street"],
        str(a["number"]), a["letter"], a["gnr"], a["bnr"], a["fnr"] or "0", "",
        _address_text(a), str(EPSG), f"{a['y']:.2f}", f"{a['x']:.2f}", a["postnr"],
        a["poststed"], codes[a["cell"]], KRETSER[a["cell"]].name,
    ] for a in addresses]


def _candidate_rows(candidates: list[dict]) -> list[list[str]]:
    """Return the candidate purchase rows (listing-site style)."""
    return [[
        _address_text(c["address"]), c["address"]["postnr"], c["address"]["poststed"],
        _num(c["address"]["x"]), _num(c["address"]["y"]), str(c["price"]), str(c["rooms"]),
        _area_text(c["area"]), str(c["floor"]), _yes(c["lift"]), _yes(c["uu"]),
        c["bygningsnr"], c["company"],
    ] for c in candidates]


def _grid(dw: pd.DataFrame, size: int) -> pd.DataFrame:
    """Aggregate dwellings to SSB grid cells of ``size`` metres (only cells with dwellings)."""
    xll = (np.floor(dw["x"].to_numpy() / size) * size).astype(np.int64)
    yll = (np.floor(dw["y"].to_numpy() / size) * size).astype(np.int64)
    ssbid = (xll + 2_000_000) * 10_000_000 + yll
    g = pd.DataFrame({"ssbid": ssbid, "persons": dw["persons"].to_numpy()})
    out = g.groupby("ssbid").agg(befolkning=("persons", "sum"), boliger=("persons", "size"))
    return out.reset_index().sort_values("ssbid")


def _write_grid(path: Path, grid: pd.DataFrame, column: str) -> None:
    """Write an SSB grid statistics CSV (UTF-8, ';')."""
    rows = [[str(r.ssbid), str(r.befolkning), str(r.boliger)] for r in grid.itertuples()]
    _write_csv(path, [column, "befolkning", "boliger"], rows, "utf-8", "\n")


def _write_geojson(path: Path, frame: gpd.GeoDataFrame) -> None:
    """Write a GeoJSON file in EPSG:25833 (CRS recorded in the file)."""
    if path.exists():
        path.unlink()
    frame.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=1)


README = """# GeoPlan demo data — Elverum (syntetisk)

**Synthetic demo data — not real addresses of municipal units.**

Every file here is generated by `python scripts/make_demo.py` (`geoplan/demo/generate.py`) from a
fixed random seed (3420); regenerating gives byte-identical files.  The municipality is modelled
loosely on Elverum (kommunenummer 3420), but the outline, areas, dwellings, addresses, building
numbers, matrikkel numbers and units are invented.  Any resemblance to real properties is chance.

All geometries and coordinates are in EPSG:25833 (ETRS89 / UTM zone 33N).

Files:

- `shapes/elverum_kommune.geojson` – the synthetic municipal outline (one hand-drawn polygon):
  `kommunenummer`, `kommunenavn`, `syntetisk`.
- `shapes/elverum_grunnkretser.geojson` – {n_gk} grunnkretser (Voronoi cells tiling the outline):
  `grunnkretsnummer`, `grunnkretsnavn`, `befolkning`, `boliger`.
- `shapes/elverum_delomrader.geojson` – {n_do} delområder, each a union of grunnkretser:
  `delomradenummer`, `delomradenavn`, `befolkning`, `boliger`.
- `shapes/elverum_rutenett_250m.csv` – SSB-style 250 m grid statistics (UTF-8, `;`):
  `ssbid_250m;befolkning;boliger`, only cells with dwellings;
  `ssbid = (x_ll + 2000000) * 10000000 + y_ll` with (x_ll, y_ll) the cell's lower-left corner.
- `shapes/elverum_rutenett_1km.csv` – the same for 1 km cells: `ssbid_1000m;befolkning;boliger`.
- `units/elverum_boliger.csv` – the register of municipal rental units as a Norwegian Excel
  export: Windows-1252, `;`, decimal comma, dd.mm.yyyy, Ja/Nei, CRLF.  {n_active} active units and
  {n_disposed} disposed (sold) units; `Øst`/`Nord` in EPSG:25833.
- `units/elverum_ettersporsel.csv` – aggregated demand snapshot per target group (households
  waiting, rooms, universal design, staffing, wanted area) dated {demand_date}; no persons.
  Windows-1252, `;`, CRLF.
- `units/elverum_ettersporsel_historikk.csv` – the same snapshot on 31.12.{first_year} …
  31.12.{last_year} (same layout), and `units/elverum_strommer.csv` – flows per target group and
  year {first_year}–{last_year}: `År;Målgruppe;Nye søknader;Tildelinger;Frafall;Gjenutleie`
  (new approved applications, households housed, households that left the list without a
  municipal unit, units let again); Windows-1252, `;`, CRLF.  **A synthetic story**, hand-set
  in `geoplan/demo/history.py`: a refugee wave in 2022–2023 met by buying and leasing in units,
  and a growing queue of elderly people needing universal design; the other groups are steady.
  The year-end snapshots follow from the flows (queue + inflow − allocations − withdrawals).
- `units/elverum_adresser.csv` – a synthetic address register in the layout of Kartverket's open
  address file (matrikkelenVegadresse, UTF-8, `;`, `Nord`/`Øst` with two decimals and a decimal
  point): {n_addresses} invented `vegadresse` rows, one per building, made by grouping the synthetic
  dwelling points (1–12 dwellings each).  Every unit's `Adresse` + `Postnr` is in it, a few metres
  from the unit; `grunnkretsnummer`/`grunnkretsnavn` by point in polygon.
- `units/elverum_kandidater.csv` – {n_candidates} synthetic flats for sale (candidate purchases),
  as pasted from a listing site: Windows-1252, `;`, decimal comma, CRLF; each at a register
  address, some in Lillemoen and Sentrum nord (three in the Storgata 12 block), most spread out.
- `shapes/elverum_tjenester.geojson` – {n_services} synthetic service points (`navn`, `kategori` ∈
  skole, barnehage, helsestasjon, dagligvare, kollektiv) near the dwellings in town and villages.

Totals: {population} inhabitants in {dwellings} dwellings (synthetic points aggregated to every
area file and grid, so they agree).  Disposed units carry status "Ledig" and an "Avhendet" date.
The address register, the candidates and the services come from their own random streams
(seed {extra_seed}), so adding them left the other files unchanged.
"""


# ---------------------------------------------------------------------------------------------
# Public API


def generate(out_dir: Path) -> dict[str, Path]:
    """Generate the synthetic Elverum demo files under out_dir and return their paths by name."""
    out_dir = Path(out_dir)
    shapes, unit_dir = out_dir / "shapes", out_dir / "units"
    shapes.mkdir(parents=True, exist_ok=True)
    unit_dir.mkdir(parents=True, exist_ok=True)
    rng_geo, rng_units, rng_attr = np.random.default_rng(SEED).spawn(3)

    boundary = boundary_polygon()
    cells = _cells(boundary)
    dw = _dwellings(rng_geo, boundary)
    dw["krets"] = _assign(cells, dw["x"].to_numpy(), dw["y"].to_numpy())
    dw["kind"] = [KRETSER[i].kind for i in dw["krets"]]
    gk, do = _area_frames(cells, dw)

    units = _place_units(rng_units, dw, cells)
    _attributes(rng_attr, units)
    order = sorted(range(len(units)), key=lambda i: (units[i]["acquired"], i))
    units = [units[i] for i in order]
    for n, u in enumerate(units, start=1):
        u["id"] = f"EL-{n:04d}"
    rng_addr, rng_cand, rng_serv = np.random.default_rng(EXTRA_SEED).spawn(3)
    addresses = _addresses(rng_addr, dw, cells, units)
    candidates = _candidates(rng_cand, addresses, units)
    services = _services(rng_serv, addresses, cells)

    paths = {
        "kommune": shapes / "elverum_kommune.geojson",
        "grunnkretser": shapes / "elverum_grunnkretser.geojson",
        "delomrader": shapes / "elverum_delomrader.geojson",
        "rutenett_250m": shapes / "elverum_rutenett_250m.csv",
        "rutenett_1km": shapes / "elverum_rutenett_1km.csv",
        "boliger": unit_dir / "elverum_boliger.csv",
        "ettersporsel": unit_dir / "elverum_ettersporsel.csv",
        "ettersporsel_historikk": unit_dir / "elverum_ettersporsel_historikk.csv",
        "strommer": unit_dir / "elverum_strommer.csv",
        "adresser": unit_dir / "elverum_adresser.csv",
        "kandidater": unit_dir / "elverum_kandidater.csv",
        "tjenester": shapes / "elverum_tjenester.geojson",
        "readme": out_dir / "README.md",
    }
    kommune = gpd.GeoDataFrame(
        {"kommunenummer": [KOMMUNENR], "kommunenavn": ["Elverum (syntetisk)"], "syntetisk": [True]},
        geometry=[boundary], crs=EPSG,
    )
    _write_geojson(paths["kommune"], kommune)
    _write_geojson(paths["grunnkretser"], gk)
    _write_geojson(paths["delomrader"], do)
    _write_grid(paths["rutenett_250m"], _grid(dw, 250), "ssbid_250m")
    _write_grid(paths["rutenett_1km"], _grid(dw, 1000), "ssbid_1000m")
    _write_csv(paths["boliger"], UNITS_HEADER, _unit_rows(units), "cp1252", "\r\n")
    demand = [[DEMAND_DATE, g, str(n), str(r), _yes(uu), "Bemannet" if st else "Ubemannet", area]
              for g, n, r, uu, st, area in DEMAND_ROWS]
    _write_csv(paths["ettersporsel"], DEMAND_HEADER, demand, "cp1252", "\r\n")
    _write_csv(paths["ettersporsel_historikk"], DEMAND_HEADER,
               history.snapshot_rows(DEMAND_ROWS, _yes), "cp1252", "\r\n")
    _write_csv(paths["strommer"], history.FLOWS_HEADER, history.flow_rows(), "cp1252", "\r\n")
    _write_csv(paths["adresser"], ADDRESS_HEADER, _address_rows(addresses), "utf-8", "\n")
    _write_csv(paths["kandidater"], CANDIDATE_HEADER, _candidate_rows(candidates), "cp1252",
               "\r\n")
    _write_geojson(paths["tjenester"], services)
    n_active = sum(1 for u in units if u["disposed"] is None)
    paths["readme"].write_text(README.format(
        n_gk=len(gk), n_do=len(do), n_active=n_active, n_disposed=len(units) - n_active,
        demand_date=DEMAND_DATE, population=int(dw["persons"].sum()), dwellings=len(dw),
        n_addresses=len(addresses), n_candidates=len(candidates), n_services=len(services),
        extra_seed=EXTRA_SEED, first_year=history.YEARS[0], last_year=history.YEARS[-1],
    ), encoding="utf-8", newline="\n")
    return paths


def _read_csv(path: Path, encoding: str) -> pd.DataFrame:
    """Read a generated ';'-separated file as strings (empty cells stay "")."""
    return pd.read_csv(path, sep=";", encoding=encoding, dtype=str, keep_default_na=False)


def read_units(path: Path) -> pd.DataFrame:
    """Read the generated unit register (cp1252, ';', decimal comma) as strings."""
    return _read_csv(path, "cp1252")


def read_addresses(path: Path) -> pd.DataFrame:
    """Read the generated address register (UTF-8, ';', decimal point) as strings."""
    return _read_csv(path, "utf-8")


def read_candidates(path: Path) -> pd.DataFrame:
    """Read the generated candidate purchases (cp1252, ';', decimal comma) as strings."""
    return _read_csv(path, "cp1252")


def summarize(paths: dict[str, Path]) -> dict[str, float]:
    """Return headline figures of generated files: units, population, dwellings, hotspot share."""
    units = read_units(paths["boliger"])
    gk = gpd.read_file(paths["grunnkretser"])
    active = units[units["Avhendet"] == ""]
    x = active["Øst"].str.replace(",", ".").astype(float).to_numpy()
    y = active["Nord"].str.replace(",", ".").astype(float).to_numpy()
    per_krets = np.array([shapely.contains_xy(g, x, y).sum() for g in gk.geometry])
    share = per_krets / np.maximum(gk["boliger"].to_numpy(), 1)
    top = int(np.argmax(np.where(gk["boliger"].to_numpy() >= 100, share, 0)))
    population = int(gk["befolkning"].sum())
    return {
        "units_active": len(active),
        "units_disposed": len(units) - len(active),
        "population": population,
        "dwellings": int(gk["boliger"].sum()),
        "persons_per_dwelling": round(population / int(gk["boliger"].sum()), 3),
        "units_per_1000": round(1000 * len(active) / population, 2),
        "hotspot": gk["grunnkretsnavn"].iloc[top],
        "hotspot_units": int(per_krets[top]),
        "hotspot_share_pct": round(100 * float(share[top]), 1),
        "municipal_share_pct": round(100 * len(active) / int(gk["boliger"].sum()), 2),
        "addresses": len(read_addresses(paths["adresser"])),
        "candidates": len(read_candidates(paths["kandidater"])),
        "services": len(gpd.read_file(paths["tjenester"])),
    }
