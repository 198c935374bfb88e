"""Meeting papers (``geoplan report``): the A4 PDF and the slide PNG of the dashboard's map.

The PDF is read back with poppler (``pdftotext``, ``pdftoppm``, ``pdfinfo``; `make test`
installs Debian's poppler-utils): the public version must show no unit id, no address and no
count from 1 to min_count - 1 next to an area or a target group; every page renders, the map is
on page 1; the internal version says "Intern" on every page.  Those tests skip only when
``pdftotext`` is absent.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread
from shapely.geometry import box
from typer.testing import CliRunner

from geoplan import service
from geoplan.cli import app
from geoplan.ui import dashboard_view as view
from geoplan.ui import static_map
from geoplan.ui.report import report_pdf
from geoplan.vocab import TARGET_GROUP

poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                             reason="poppler-utils (pdftotext) is not installed")
DAY = dt.date(2026, 6, 30)


def _text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], check=True,
                         capture_output=True, text=True)
    return out.stdout.replace("\u00a0", " ")


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _row_cells(text: str, label: str) -> list[str] | None:
    """The cells of the table row that starts with ``label`` (columns are 2+ spaces apart)."""
    match = re.search(rf"^\s*{re.escape(label)}\s{{2,}}(.+)$", text, re.M)
    return None if match is None else re.split(r"\s{2,}", match.group(1).strip())


def _shown_count(cell: str, min_count: int) -> int | None:
    """A count cell as an int; None for "færre enn N" (which must name min_count)."""
    if cell.startswith("færre enn") or cell.startswith("fewer than"):
        assert cell.endswith(str(min_count)), cell
        return None
    return int(cell.replace(" ", ""))


# --- the public PDF on the Elverum demo


@pytest.fixture
def public_pdf(demo_engine, tmp_path) -> tuple[service.Dashboard, Path]:
    d = service.dashboard(demo_engine, on=DAY, public=True)
    return d, _write(tmp_path, "public.pdf", report_pdf(d, "nb"))


@poppler
def test_public_pdf_names_no_unit_and_no_address(public_pdf, demo_engine):
    _, pdf = public_pdf
    text = _text(pdf)
    units = service.units(demo_engine)
    assert len(units) > 400
    ids = [u for u in units["unit_id"] if u in text]
    assert ids == []
    addresses = {f"{s} {n}" for s, n in zip(units["street"], units["house_number"], strict=True)
                 if isinstance(s, str) and s.strip()}
    assert len(addresses) > 100
    assert sorted(a for a in addresses if a in text) == []
    # the report does show what it should: the municipality and every area by name
    assert "Elverum" in text
    assert all(name in text for name in d_names(public_pdf[0]))


def d_names(d: service.Dashboard) -> list[str]:
    return [view.area_name(c, n) for c, n in zip(d.areas["code"], d.areas["name"], strict=True)]


@poppler
def test_public_pdf_shows_no_small_count_next_to_an_area_or_group(public_pdf):
    d, pdf = public_pdf
    text = _text(pdf)
    m = d.min_count
    checked = hidden = 0
    for name, published in zip(d_names(d), d.areas["units"], strict=True):
        cells = _row_cells(text, name)
        assert cells is not None, f"no row for {name}"
        shown = _shown_count(cells[1], m)  # area | all dwellings | municipal | share | …
        if shown is None:
            hidden += 1
            assert np.isnan(published)
        else:
            assert shown == 0 or shown >= m, (name, shown)
            assert shown == published
        # no whole number in the row (decimals like 4,9 % aside) lies in 1 .. m - 1
        whole = [int(w) for w in re.findall(r"(?<![\d,.])\d+(?![\d,.])", " ".join(cells))]
        assert not [w for w in whole if 0 < w < m], (name, cells)
        checked += 1
    assert checked == len(d.areas) and hidden >= 1  # the demo has areas with 1..4 units
    # group | households waiting | vacant suitable units | unmet need (issue 10): all published
    for row in d.waiting.to_dict("records"):
        cells = _row_cells(text, TARGET_GROUP.label(row["target_group"], "nb"))
        assert len(cells) == 3, cells
        for cell, column in zip(cells, ("households", "vacant", "gap"), strict=True):
            shown = _shown_count(cell, m)
            assert shown is None or shown == 0 or shown >= m
            assert shown is None or shown == row[column]


@poppler
def test_internal_pdf_shows_the_true_small_counts_the_public_one_hides(demo_engine, tmp_path):
    """The row parser above can see a small count: the internal version has some."""
    d = service.dashboard(demo_engine, on=DAY, public=False)
    text = _text(_write(tmp_path, "internal.pdf", report_pdf(d, "nb")))
    shown = {name: _shown_count(_row_cells(text, name)[1], d.min_count) for name in d_names(d)}
    assert shown == dict(zip(d_names(d), d.areas["units"].astype(int), strict=True))
    assert any(0 < n < d.min_count for n in shown.values())


@poppler
def test_every_page_renders_and_the_map_is_on_page_one(public_pdf, tmp_path):
    _, pdf = public_pdf
    pages = _pages(pdf)
    assert pages == 3
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == pages
    palette = np.array([[int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]
                        for c in view.SHARE_PALETTE])

    def palette_share(png: Path) -> float:
        rgb = imread(png)[..., :3].reshape(-1, 1, 3)
        near = (np.abs(rgb - palette[None, :, :]).max(axis=2) < 0.03).any(axis=1)
        return float(near.mean())

    shares = [palette_share(p) for p in rendered]
    assert shares[0] > 0.05, shares  # the map fills a good part of page 1 with class colours
    assert shares[0] > 3 * max(shares[1:]), shares


@poppler
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_internal_pdf_says_intern_on_every_page(demo_engine, tmp_path, lang):
    d = service.dashboard(demo_engine, on=DAY, public=False)
    pdf = _write(tmp_path, "internal.pdf", report_pdf(d, lang))
    pages = _pages(pdf)
    assert pages >= 3
    for page in range(1, pages + 1):
        assert "Intern" in _text(pdf, page), page
    assert "Intern" not in _text(_write(tmp_path, "public.pdf",
                                        report_pdf(service.dashboard(demo_engine, on=DAY), lang)))


# --- the command


@pytest.fixture
def demo_cli(demo_copy, monkeypatch):
    monkeypatch.setenv("GEOPLAN_DATABASE_URL", demo_copy)
    service.reset_engines()
    yield CliRunner()
    service.reset_engines()


def test_cli_writes_the_pdf_and_the_slide_png(demo_cli, tmp_path):
    pdf, png = tmp_path / "papers.pdf", tmp_path / "map.png"
    result = demo_cli.invoke(app, ["report", str(pdf), "--png", str(png), "--public",
                                   "--date", "2026-06-30", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert static_map.png_size(png.read_bytes()) == (1920, 1080)
    assert "public" in result.output


def test_cli_png_alone_and_refusals(demo_cli, tmp_path):
    png = tmp_path / "only.png"
    result = demo_cli.invoke(app, ["report", "--png", str(png), "--system", "delområde"])
    assert result.exit_code == 0, result.output
    assert static_map.png_size(png.read_bytes()) == static_map.SLIDE_SIZE_PX
    assert list(tmp_path.glob("*.pdf")) == []
    for args, words in ((["report"], "give the PDF"),
                        (["report", str(tmp_path / "x.pdf"), "--lang", "de"], "--lang"),
                        (["report", str(tmp_path / "no" / "x.pdf")], "cannot write"),
                        (["report", str(tmp_path / "x.pdf"), "--date", "30.06.2026"], "not a date"),
                        (["report", str(tmp_path / "x.pdf"), "--system", "nosuch"], "nosuch")):
        result = demo_cli.invoke(app, args)
        assert result.exit_code == 1 and words in result.output, (args, result.output)


# --- hand-made dashboards: conventions without the demo


def _hand_made(public: bool = True, municipality: str = "Ås & <Test>") -> service.Dashboard:
    """Three square areas of 1 km²: shares 5 %, suppressed, 12 % (over a 10 % cap)."""
    areas = gpd.GeoDataFrame({
        "code": ["A", "B", "C"], "name": ["Nord & Sør", "<Vest>", None],
        "population": [2000.0, 500.0, 1000.0], "dwellings": [200.0, 100.0, 250.0],
        "units": [10.0, np.nan, 30.0], "share": [0.05, np.nan, 0.12],
        "per_1000": [5.0, np.nan, 30.0], "over_cap": [False, False, True],
        "suppressed": [False, True, False],
    }, geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(0, 1000, 1000, 2000)],
        crs="EPSG:25833")
    trend = pd.DataFrame({"year": [2024, 2025, 2026], "units": [30.0, 35.0, 40.0],
                          "share": [0.05, 0.06, 0.07], "dissimilarity": [0.2, 0.21, 0.22]})
    return service.Dashboard(
        on=DAY, system="grunnkrets", municipality=municipality, public=public, min_count=5,
        rounding_base=5, max_area_share=0.10,
        headline={"units": 40, "units_per_1000": 11.4, "share_in_areas_over_cap": 0.75,
                  "dissimilarity": 0.22},
        d_trend=service.TrendStatement("dissimilarity", "rising", 0.2, 0.22, 2024, 2026),
        areas=areas, trend=trend,
        waiting=pd.DataFrame({"target_group": ["refugees", "youth"], "households": [15.0, np.nan]}),
        waiting_date=dt.date(2026, 6, 1), this_year={"purchases": 5, "sales": 0})


def test_area_rows_highest_share_first_suppressed_last_names_or_codes():
    rows, more = view.area_rows(_hand_made(), "nb")
    assert more == 0
    assert [r["name"] for r in rows] == ["C", "Nord & Sør", "<Vest>"]
    assert [r["units"] for r in rows] == ["30", "10", "færre enn 5"]
    assert [r["share"] for r in rows] == ["12,0 %", "5,0 %", "–"]
    assert [r["over_cap"] for r in rows] == [True, False, False]
    rows, more = view.area_rows(_hand_made(), "en", limit=1)
    assert (len(rows), more, rows[0]["per_1000"]) == (1, 2, "30.0")


def test_day_text_and_scale_bar_lengths():
    assert view.day_text(dt.date(2026, 1, 5), "nb") == "05.01.2026"
    assert view.day_text(dt.date(2026, 1, 5), "en") == "2026-01-05"
    assert view.day_text(None) == "–"
    # about a fifth of the width, rounded down to 1, 2 or 5 times a power of ten
    assert static_map.nice_length(46_000) == 5_000
    assert static_map.nice_length(12_000) == 2_000
    assert static_map.nice_length(4_000) == 500
    assert static_map.nice_length(999) == 100
    assert static_map.length_text(500, "nb") == "500 m"
    assert static_map.length_text(10_000, "nb") == "10 km"
    assert static_map.length_text(2_500, "nb") == "2,5 km"
    assert static_map.length_text(2_500, "en") == "2.5 km"


def test_inset_only_when_small_areas_would_vanish(demo_engine):
    assert static_map.inset_bounds(_hand_made()) is None  # three equal squares
    town = service.dashboard(demo_engine, on=DAY)
    x0, y0, x1, y1 = static_map.inset_bounds(town)
    X0, Y0, X1, Y1 = town.areas.total_bounds
    assert X0 < x0 < x1 < X1 and Y0 < y0 < y1 < Y1
    assert (x1 - x0) < (X1 - X0) / 4
    assert static_map.inset_bounds(service.dashboard(demo_engine, "delområde", DAY)) is None


@poppler
def test_names_are_escaped_and_shown_as_written(tmp_path):
    """Area and municipality names are data: "&" and "<…>" must not break ReportLab's markup."""
    pdf = _write(tmp_path, "hand.pdf", report_pdf(_hand_made(), "nb", made=DAY))
    text = _text(pdf)
    assert "Ås & <Test>" in text and "Nord & Sør" in text and "<Vest>" in text
    assert _row_cells(text, "<Vest>")[1] == "færre enn 5"
    assert _row_cells(text, "C")[-1] == "ja"
    assert "Offentlig versjon" in text and "30.06.2026" in text


def test_pdf_is_a4_in_both_languages():
    for lang in ("nb", "en"):
        pdf = report_pdf(_hand_made(public=False), lang)
        assert pdf[:5] == b"%PDF-"
        assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf
