"""Tests of the synthetic Elverum demo data generator (geoplan.demo.generate)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geoplan.demo.generate import UNITS_HEADER, generate, read_units, summarize

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


def _xy(units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    x = units["Øst"].str.replace(",", ".").astype(float).to_numpy()
    y = units["Nord"].str.replace(",", ".").astype(float).to_numpy()
    return x, y


def test_deterministic(tmp_path: Path) -> None:
    a, b = generate(tmp_path / "a"), generate(tmp_path / "b")
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name


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
