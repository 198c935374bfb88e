"""Tests of the synthetic Elverum demo data generator (geoplan.demo.generate)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geoplan.demo.generate import (
    ADDRESS_HEADER,
    AREA_BY_ROOMS,
    CANDIDATE_HEADER,
    SERVICE_CATEGORIES,
    UNITS_HEADER,
    generate,
    read_addresses,
    read_candidates,
    read_units,
    summarize,
)

PROJECT = Path(__file__).resolve().parents[1]
REAL_BOUNDARY = PROJECT.parent / "shared" / "realdata" / "elverum-3420-boundary.geojson"
TARGET_GROUPS = {
    "Bostedsløse med rusproblemer", "Psykisk helse", "Flyktninger til bosetting",
    "Unge 18–25 år", "Barnefamilier", "Eldre", "Personer med funksjonsnedsettelse",
}


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def units(paths: dict[str, Path]) -> pd.DataFrame:
    return read_units(paths["boliger"])


@pytest.fixture(scope="module")
def addresses(paths: dict[str, Path]) -> pd.DataFrame:
    return read_addresses(paths["adresser"])


@pytest.fixture(scope="module")
def candidates(paths: dict[str, Path]) -> pd.DataFrame:
    return read_candidates(paths["kandidater"])


def _xy(units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    x = units["Øst"].str.replace(",", ".").astype(float).to_numpy()
    y = units["Nord"].str.replace(",", ".").astype(float).to_numpy()
    return x, y


def test_deterministic(tmp_path: Path) -> None:
    a, b = generate(tmp_path / "a"), generate(tmp_path / "b")
    assert a.keys() == b.keys()
    assert {"adresser", "kandidater", "tjenester"} <= a.keys()
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name


def test_committed_data_is_current(paths: dict[str, Path]) -> None:
    for name, path in paths.items():
        committed = PROJECT / "data" / path.parent.name / path.name
        if name == "readme" or not committed.exists():
            continue
        assert committed.read_bytes() == path.read_bytes(), f"{name}: run scripts/make_demo.py"


def test_totals_plausible(paths: dict[str, Path], units: pd.DataFrame) -> None:
    s = summarize(paths)
    assert 20_000 <= s["population"] <= 22_000
    assert 9_300 <= s["dwellings"] <= 10_300
    assert 2.0 <= s["persons_per_dwelling"] <= 2.3
    assert 380 <= s["units_active"] <= 460
    assert 25 <= s["units_disposed"] <= 45
    assert 18 <= s["units_per_1000"] <= 22
    assert s["hotspot_share_pct"] > 12
    gk = gpd.read_file(paths["grunnkretser"])
    do = gpd.read_file(paths["delomrader"])
    assert 20 <= len(gk) and 5 <= len(do) <= 7
    assert gk["grunnkretsnummer"].str.fullmatch(r"3420\d{4}").all()
    assert gk["befolkning"].sum() == do["befolkning"].sum()
    assert gk["boliger"].sum() == do["boliger"].sum()
    for key, col in (("rutenett_250m", "ssbid_250m"), ("rutenett_1km", "ssbid_1000m")):
        grid = pd.read_csv(paths[key], sep=";")
        assert list(grid.columns) == [col, "befolkning", "boliger"]
        assert grid["befolkning"].sum() == gk["befolkning"].sum()
        assert grid["boliger"].sum() == gk["boliger"].sum() and (grid["boliger"] > 0).all()
        size = 250 if key == "rutenett_250m" else 1000
        assert (grid[col] // 10_000_000 % size == 0).all() and (grid[col] % size == 0).all()


def test_unit_file_format(paths: dict[str, Path], units: pd.DataFrame) -> None:
    raw = paths["boliger"].read_bytes()
    assert raw.count(b"\r\n") == len(units) + 1 and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.decode("cp1252").split("\r\n")[0] == ";".join(UNITS_HEADER)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert units["Bolignr"].is_unique
    assert units["Øst"].str.fullmatch(r"\d{6},\d").all()
    assert units["Anskaffet"].str.fullmatch(r"\d\d\.\d\d\.\d{4}").all()
    assert set(units["Universelt utformet"]) <= {"Ja", "Nei"}
    assert set(units["Målgruppe"]) == TARGET_GROUPS
    assert units["Bygningsnr"].str.fullmatch(r"\d{9}").all()
    block = units[units["Adresse"] == "Storgata 12"]
    assert len(block) == 14 and block["Bygningsnr"].nunique() == 1
    anskaffet = pd.to_datetime(units["Anskaffet"], format="%d.%m.%Y")
    avhendet = pd.to_datetime(units["Avhendet"], format="%d.%m.%Y", errors="coerce")
    assert (anskaffet >= "2011-01-01").all() and (anskaffet <= "2025-12-31").all()
    sold = avhendet.notna()
    assert (avhendet[sold] > anskaffet[sold]).all() and (avhendet[sold] <= "2025-12-31").all()
    end = pd.to_datetime(units["Kontraktslutt"], format="%d.%m.%Y", errors="coerce")
    assert end.dt.year.dropna().between(2026, 2029).all()


def test_demand_file(paths: dict[str, Path]) -> None:
    raw = paths["ettersporsel"].read_bytes().decode("cp1252")
    demand = pd.read_csv(paths["ettersporsel"], sep=";", encoding="cp1252", dtype=str,
                         keep_default_na=False)
    assert raw.startswith("Dato;Målgruppe;Antall husstander;Antall rom;Universelt utformet;"
                          "Bemanning;Ønsket område\r\n")
    assert 15 <= len(demand) <= 25 and set(demand["Dato"]) == {"01.10.2026"}
    assert set(demand["Målgruppe"]) == TARGET_GROUPS
    assert set(demand["Bemanning"]) <= {"Bemannet", "Ubemannet"}
    names = set(gpd.read_file(paths["grunnkretser"])["grunnkretsnavn"])
    assert set(demand["Ønsket område"]) - {""} <= names


def test_grunnkretser_tile_boundary(paths: dict[str, Path]) -> None:
    boundary = gpd.read_file(paths["kommune"])
    assert boundary.crs.to_epsg() == 25833
    assert bool(boundary["syntetisk"].iloc[0]) is True
    gk = gpd.read_file(paths["grunnkretser"])
    assert gk.crs.to_epsg() == 25833
    area = boundary.geometry.iloc[0].area
    assert gk.area.sum() == pytest.approx(area, rel=1e-6)
    assert gk.union_all().area == pytest.approx(area, rel=1e-6)


def test_units_inside_boundary(paths: dict[str, Path], units: pd.DataFrame) -> None:
    boundary = gpd.read_file(paths["kommune"]).geometry.iloc[0]
    x, y = _xy(units)
    assert shapely.contains_xy(boundary, x, y).all()


def test_units_inside_real_elverum(units: pd.DataFrame) -> None:
    if not REAL_BOUNDARY.exists():
        pytest.skip(f"{REAL_BOUNDARY} not available")
    real = gpd.read_file(REAL_BOUNDARY).to_crs(25833).geometry.union_all()
    x, y = _xy(units)
    assert shapely.contains_xy(real, x, y).mean() >= 0.95


def test_address_register_format(paths: dict[str, Path], addresses: pd.DataFrame) -> None:
    raw = paths["adresser"].read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    assert raw.decode("utf-8").split("\n")[0] == ";".join(ADDRESS_HEADER)
    assert 3_000 <= len(addresses) <= 4_500
    assert addresses["lokalid"].is_unique
    assert not addresses.duplicated(["adressenavn", "nummer", "bokstav", "postnummer"]).any()
    assert set(addresses["kommunenummer"]) == {"3420"}
    assert set(addresses["kommunenavn"]) == {"ELVERUM"}
    assert set(addresses["adressetype"]) == {"vegadresse"}
    assert set(addresses["EPSG-kode"]) == {"25833"}
    assert addresses["Nord"].str.fullmatch(r"\d{7}\.\d{2}").all()
    assert addresses["Øst"].str.fullmatch(r"\d{6}\.\d{2}").all()
    assert addresses["nummer"].str.fullmatch(r"[1-9]\d*").all()
    assert addresses["bokstav"].str.fullmatch(r"[A-Z]?").all()
    assert 0 < (addresses["bokstav"] != "").mean() < 0.15
    text = (addresses["adressenavn"] + " " + addresses["nummer"]
            + addresses["bokstav"].map(lambda b: f" {b}" if b else ""))
    assert (addresses["adresseTekst"] == text).all()
    assert addresses["adressekode"].groupby(addresses["adressenavn"]).nunique().eq(1).all()


def test_address_register_grunnkretser(paths: dict[str, Path], addresses: pd.DataFrame) -> None:
    gk = gpd.read_file(paths["grunnkretser"])
    boundary = gpd.read_file(paths["kommune"]).geometry.iloc[0]
    x, y = addresses["Øst"].astype(float), addresses["Nord"].astype(float)
    assert shapely.contains_xy(boundary, x, y).mean() > 0.999
    names = dict(zip(gk["grunnkretsnummer"], gk["grunnkretsnavn"], strict=True))
    assert (addresses["grunnkretsnummer"].map(names) == addresses["grunnkretsnavn"]).all()
    for code, geom in zip(gk["grunnkretsnummer"], gk.geometry, strict=True):
        inside = shapely.contains_xy(geom, x, y)
        assert (addresses.loc[inside, "grunnkretsnummer"] == code).all(), code


def test_unit_addresses_in_register(units: pd.DataFrame, addresses: pd.DataFrame) -> None:
    hit = units.merge(addresses, how="left", left_on=["Adresse", "Postnr"],
                      right_on=["adresseTekst", "postnummer"], suffixes=("", "_reg"))
    assert len(hit) == len(units) and hit["lokalid"].ne("").all() and hit["lokalid"].notna().all()
    ux, uy = _xy(units)
    dist = np.hypot(ux - hit["Øst_reg"].astype(float), uy - hit["Nord_reg"].astype(float))
    assert dist.max() <= 30


def test_candidate_file(paths: dict[str, Path], candidates: pd.DataFrame,
                        units: pd.DataFrame) -> None:
    raw = paths["kandidater"].read_bytes()
    assert raw.decode("cp1252").split("\r\n")[0] == ";".join(CANDIDATE_HEADER)
    assert raw.count(b"\r\n") == len(candidates) + 1
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert 50 <= len(candidates) <= 70
    assert candidates["Øst"].str.fullmatch(r"\d{6},\d").all()
    assert candidates["Nord"].str.fullmatch(r"\d{7},\d").all()
    rooms = candidates["Antall rom"].astype(int)
    area = candidates["Areal (m²)"].str.replace(",", ".").astype(float)
    price = candidates["Pris (kr)"].astype(int)
    floor = candidates["Etasje"].astype(int)
    assert rooms.between(1, 5).all() and floor.between(0, 6).all()
    lo, hi = rooms.map(lambda r: AREA_BY_ROOMS[r][0]), rooms.map(lambda r: AREA_BY_ROOMS[r][1])
    assert area.between(lo - 0.5, hi + 0.5).all()
    assert price.between(1_400_000, 5_500_000).all()
    village = candidates["Poststed"] != "ELVERUM"
    assert village.any() and (price / area)[village].mean() < (price / area)[~village].mean()
    assert set(candidates["Heis"]) <= {"Ja", "Nei"}
    uu = candidates["Universelt utformet"] == "Ja"
    assert 0.15 <= uu.mean() <= 0.35
    assert ((floor == 0) | (candidates["Heis"] == "Ja"))[uu].mean() >= 0.8
    assert candidates["Bygningsnr"].str.fullmatch(r"\d{9}").all()
    block = units.loc[units["Adresse"] == "Storgata 12", "Bygningsnr"].iloc[0]
    in_block = candidates["Adresse"] == "Storgata 12"
    assert 1 <= in_block.sum() <= 5 and (candidates.loc[in_block, "Bygningsnr"] == block).all()
    key = ["Adresse", "Postnr"]
    assert candidates.groupby(key)["Bygningsnr"].nunique().eq(1).all()
    hit = candidates.merge(units.drop_duplicates(key)[[*key, "Bygningsnr"]], how="left", on=key,
                           suffixes=("", "_unit"))
    shared = hit["Bygningsnr_unit"].notna()
    assert (hit.loc[shared, "Bygningsnr"] == hit.loc[shared, "Bygningsnr_unit"]).all()
    assert not hit.loc[~shared, "Bygningsnr"].isin(units["Bygningsnr"]).any()


def test_candidates_at_register_addresses(paths: dict[str, Path], candidates: pd.DataFrame,
                                          addresses: pd.DataFrame) -> None:
    hit = candidates.merge(addresses, how="left", left_on=["Adresse", "Postnr"],
                           right_on=["adresseTekst", "postnummer"], suffixes=("", "_reg"))
    assert len(hit) == len(candidates) and hit["lokalid"].notna().all()
    cx, cy = _xy(candidates)
    assert np.abs(cx - hit["Øst_reg"].astype(float)).max() <= 0.051
    assert np.abs(cy - hit["Nord_reg"].astype(float)).max() <= 0.051
    areas = hit["grunnkretsnavn"].value_counts()
    assert areas.get("Lillemoen", 0) >= 3 and areas.get("Sentrum nord", 0) >= 3
    assert hit["grunnkretsnavn"].nunique() >= 10


def test_services(paths: dict[str, Path]) -> None:
    services = gpd.read_file(paths["tjenester"])
    assert services.crs.to_epsg() == 25833
    assert set(services.columns) == {"navn", "kategori", "geometry"}
    assert set(services["kategori"]) == set(SERVICE_CATEGORIES)
    counts = services["kategori"].value_counts()
    assert 6 <= counts["skole"] <= 10 and 10 <= counts["barnehage"] <= 14
    assert counts["helsestasjon"] == 2 and 8 <= counts["dagligvare"] <= 12
    assert 15 <= counts["kollektiv"] <= 25
    assert services["navn"].is_unique and (services.geom_type == "Point").all()
    boundary = gpd.read_file(paths["kommune"]).geometry.iloc[0]
    assert services.within(boundary).all()


def test_the_service_loads_the_demo_into_an_empty_database_only(engine_factory, admin) -> None:
    from geoplan import service

    files = service.demo_files()
    assert {"boundary", "units", "demand", "candidates", "grunnkrets", "delområde", "grid250",
            "grid1000"} <= set(files)
    assert all(path.is_file() for path in files.values())
    engine = engine_factory()
    assert service.ensure_demo(engine, admin) is True
    assert len(service.units(engine)) == 455
    assert service.ensure_demo(engine, admin) is False
