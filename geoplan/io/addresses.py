"""Import of Kartverket's open address register (semicolon CSV) and the address search."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from geoplan import crs as crs_mod
from geoplan.address import address_line
from geoplan.io import values
from geoplan.io.crs_option import given_epsg
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.problems import excel_row, problem
from geoplan.io.rows import Field, parse_table
from geoplan.storage import repo
from geoplan.storage.models import Address
from geoplan.vocab import fold

ADDRESS_COLUMNS: dict[str, tuple[str, ...]] = {
    "street": ("adressenavn", "gatenavn", "street"),
    "number": ("nummer", "husnummer", "number"),
    "letter": ("bokstav", "letter"),
    "postal_code": ("postnummer", "postnr", "postal code"),
    "place": ("poststed", "place"),
    "epsg": ("epsg kode", "epsg", "crs"),
    "y": ("nord", "north", "y"),
    "x": ("ost", "east", "x"),
}
ADDRESS_FIELDS = [
    Field("street", values.text, True, "street name (adressenavn)"),
    Field("number", values.text), Field("letter", values.text),
    Field("postal_code", values.postal_code), Field("place", values.text),
    Field("epsg", values.integer),
    Field("y", values.number, True, "northing (Nord)"),
    Field("x", values.number, True, "easting (Øst)"),
]


def search_key(text: str) -> str:
    """Normalise an address for search: "Storgata 12 B, 2406" → "storgata 12b 2406"."""
    s = fold(re.sub(r"[,;.]", " ", str(text)))
    s = re.sub(r"(\d+)\s+([a-zæøå])\b", r"\1\2", s)
    return re.sub(r"\s+", " ", s).strip()


def _accepted(code: int) -> int | None:
    """The accepted horizontal EPSG code of ``code`` (4979 → 4326), None when not accepted."""
    try:
        return crs_mod.parse_epsg(code)
    except ValueError:
        return None


def import_addresses(
    engine: Engine, path: str | Path, crs: str | int | None = None, filename: str | None = None,
    sheet: str | None = None,
) -> int:
    """Import an address register file, replacing the stored register; refuse bad rows.

    Each row's CRS is its ``EPSG-kode``, else ``crs`` (``no_crs`` when neither is given); a
    code that is not accepted refuses its row (``crs_not_accepted``), an unknown ``crs`` the
    file.
    """
    given = given_epsg(crs, filename or Path(path).name)
    raw = read_table(path, filename, sheet)
    mapping, _, records, problems = parse_table(raw, ADDRESS_COLUMNS, ADDRESS_FIELDS)
    frame = pd.DataFrame(records).reindex(columns=[f.name for f in ADDRESS_FIELDS])
    if frame["epsg"].isna().any():
        if given is None:
            problems.append(problem("no_crs"))
        frame["epsg"] = frame["epsg"].fillna(given or 0)
    codes = {int(c): _accepted(int(c)) for c in frame["epsg"].unique() if c}
    for i, c in enumerate(frame["epsg"]):
        if c and codes[int(c)] is None:
            problems.append(problem("crs_not_accepted", excel_row(i), mapping.get("epsg"),
                                    value=f"EPSG:{int(c)}"))
    if problems:
        raise ImportRefused(raw.filename, problems)
    frame["epsg"] = [codes.get(int(c)) or 0 for c in frame["epsg"]]
    x = np.full(len(frame), np.nan)
    y = np.full(len(frame), np.nan)
    for code, part in frame.groupby("epsg"):
        px, py = crs_mod.to_work(part["x"], part["y"], int(code))
        x[part.index], y[part.index] = px, py
    frame["x"], frame["y"] = x, y
    frame["search_key"] = [
        search_key(f"{r.street} {r.number or ''} {r.letter or ''} {r.postal_code or ''} "
                   f"{r.place or ''}") for r in frame.itertuples()]
    rows = frame.drop(columns=["epsg"]).to_dict("records")
    with Session(engine) as s, s.begin():
        s.execute(delete(Address))
        s.execute(Address.__table__.insert(), rows)
        repo.log_import(s, "addresses", raw.filename, len(rows))
    return len(rows)


# The usual abbreviations of Norwegian street names, each written to one short form on both sides
# of the search (the register's "Storgata" and the typed "Storgt." are both "storgt"): the short
# form first, then the endings it stands for.  An ending counts at the end of a word, so compound
# names ("Kirkevegen", "Kirkev.") are read too; "allé" only as a word of its own.
STREET_ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gt", ("gaten", "gata", "gate", "gt")),
    ("vn", ("veien", "vegen", "vn")),
    ("v", ("vei", "veg", "v")),
    ("pl", ("plassen", "plass", "pl")),
    ("torg", ("torget", "torg")),
)
WORD_ABBREVIATIONS: dict[str, str] = {"alle": "allé", "allè": "allé", "alléen": "allé"}
_ENDINGS = sorted(((end, short) for short, ends in STREET_ABBREVIATIONS for end in ends),
                  key=lambda e: -len(e[0]))
STREET_CUTOFF = 75.0  # the least street score (0–100) a hit may have
STREET_SPREAD = 10.0  # hits' streets score within this of the best street
_INDEX_COLUMNS = ["street", "number", "letter", "postal_code", "place", "x", "y"]
_NUMBER = re.compile(r"^(\d+)([a-zæøå]?)$")


def street_key(text: object) -> str:
    """A street name in the search's short form: "Kirkevegen" → "kirkevn", "Storgt." → "storgt".

    Lower case, punctuation dropped, every word's ending in :data:`STREET_ABBREVIATIONS`
    written as its short form (a word that is only the ending keeps it: "Gamle vei" → "gamle v").
    """
    words = []
    for word in fold(re.sub(r"[,;.:/()]", " ", str(text))).split():
        word = WORD_ABBREVIATIONS.get(word, word)
        for end, short in _ENDINGS:
            if word.endswith(end):
                word = word[: len(word) - len(end)] + short
                break
        words.append(word)
    return " ".join(words)


def _plain(text: object) -> str:
    return " ".join(fold(re.sub(r"[,;.:/()]", " ", str(text))).split())


def _number_parts(number: object, letter: object) -> tuple[int, str, str]:
    """(house number as int for sorting, its digits as text, the letter in lower case)."""
    digits = re.sub(r"\D", "", "" if number is None else str(number))
    text_letter = "" if letter is None or (isinstance(letter, float) and np.isnan(letter)) \
        else str(letter).strip().lower()
    return (int(digits) if digits else -1), digits, text_letter


def address_index(engine: Engine) -> pd.DataFrame:
    """The address register ready for :func:`search_addresses`, in natural order.

    Columns: ``street``, ``number``, ``letter``, ``postal_code``, ``place``, ``x``, ``y``
    (EPSG:25833), ``text`` ("Storgata 12 B, 2406 ELVERUM"), ``street_key`` (:func:`street_key`),
    ``street_plain`` (the folded name), ``house`` (the number as an int, -1 without one),
    ``digits`` (the number as text) and ``letter_key`` (lower case, '' without one).  Sorted by
    street, then house number as a number, then letter: 4, 5, 6, 6 B, 32 B, 51 B.
    """
    stmt = select(*(getattr(Address, c) for c in _INDEX_COLUMNS))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(stmt).all(), columns=_INDEX_COLUMNS)
    return index_frame(frame)


def index_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`address_index`'s columns added to a frame of ``street``, ``number``, ``letter``,
    ``postal_code``, ``place``, ``x`` and ``y``, in natural order."""
    out = frame.reindex(columns=_INDEX_COLUMNS).copy()
    out["text"] = [address_line(r.street, r.number, r.letter, r.postal_code, r.place)
                   for r in out.itertuples()]
    streets = out["street"].fillna("").astype(str)
    keys = {s: (street_key(s), _plain(s)) for s in streets.unique()}
    out["street_key"] = [keys[s][0] for s in streets]
    out["street_plain"] = [keys[s][1] for s in streets]
    parts = [_number_parts(n, b) for n, b in zip(out["number"], out["letter"], strict=True)]
    out["house"] = np.array([p[0] for p in parts], dtype=np.int64)
    out["digits"] = [p[1] for p in parts]
    out["letter_key"] = [p[2] for p in parts]
    return out.sort_values(["street_plain", "house", "letter_key", "postal_code"],
                           kind="stable").reset_index(drop=True)


def _split_query(query: str) -> tuple[str, str | None, str, list[str]]:
    """(street words, house number digits or None, letter, the words after the number)."""
    words = search_key(query).split()
    first = next((i for i, w in enumerate(words) if w[0].isdigit()), len(words))
    street, rest = words[:first], words[first:]
    if not street:  # "12 Storgata": the number before the name
        street = [w for w in rest if not w[0].isdigit()]
        rest = [w for w in rest if w[0].isdigit()]
    digits, letter = None, ""
    if rest:
        m = _NUMBER.match(rest[0])
        if m:
            digits, letter = m.group(1), m.group(2)
            rest = rest[1:]
    return " ".join(street), digits, letter, rest


def street_scores(index: pd.DataFrame, street: str) -> pd.Series:
    """Each street's score (0–100) for the typed ``street``, the index its plain name.

    The better of two rapidfuzz ``fuzz.ratio`` scores: the short forms (:func:`street_key`, so
    "Storgt" meets "Storgata") and the plain names (so "Storgatta" meets "Storgata"); a name
    that begins with what is typed scores 100, one that holds it (three letters or more) 95.
    """
    names = index.drop_duplicates("street_plain")[["street_plain", "street_key"]]
    typed_key, typed_plain = street_key(street), _plain(street)
    if not typed_plain:
        return pd.Series(dtype=float)
    by_key = {name: score for name, score, _ in process.extract(
        typed_key, names["street_key"].tolist(), scorer=fuzz.ratio, limit=None)}
    by_plain = {name: score for name, score, _ in process.extract(
        typed_plain, names["street_plain"].tolist(), scorer=fuzz.ratio, limit=None)}
    scores = {}
    for plain, key in zip(names["street_plain"], names["street_key"], strict=True):
        score = max(by_key.get(key, 0.0), by_plain.get(plain, 0.0))
        if plain.startswith(typed_plain) or key.startswith(typed_key):
            score = 100.0
        elif len(typed_plain) >= 3 and (typed_plain in plain or typed_key in key):
            score = max(score, 95.0)
        scores[plain] = score
    return pd.Series(scores, dtype=float)


def search_addresses(source: Engine | pd.DataFrame, query: str, limit: int = 10) -> pd.DataFrame:
    """Find addresses for a typed ``query`` ("Storgt. 5", "kirkevegen 3b, 2406"), best first.

    ``source`` is an engine or :func:`address_index`'s frame (build it once and keep it: a
    search then takes about a millisecond).  The words before the first number are the street,
    found by :func:`street_scores` (abbreviations both ways, small typos; streets within
    :data:`STREET_SPREAD` of the best and at least :data:`STREET_CUTOFF`); the number keeps the
    addresses whose house number is it (then those that begin with it: "5" also finds 50, 51 B),
    a letter only that number with that letter; words after the number (postal code, place) put the
    addresses that hold them first.  Within a street the order is natural: 4, 5, 6, 6 B, 32 B.

    Returns the columns ``street``, ``number``, ``letter``, ``postal_code``, ``place``, ``x``,
    ``y`` (EPSG:25833), ``text`` and ``score`` (the street's, 0–100), at most ``limit`` rows.
    """
    index = source if isinstance(source, pd.DataFrame) else address_index(source)
    cols = [*_INDEX_COLUMNS, "text", "score"]
    street, digits, letter, rest = _split_query(query)
    scores = street_scores(index, street) if street and len(index) else pd.Series(dtype=float)
    if scores.empty or scores.max() < STREET_CUTOFF:
        return pd.DataFrame(columns=cols)
    keep = scores[scores >= max(STREET_CUTOFF, scores.max() - STREET_SPREAD)]
    hits = index[index["street_plain"].isin(keep.index)].copy()
    hits["score"] = hits["street_plain"].map(keep)
    hits["number_rank"] = 0
    if digits is not None:
        exact = hits["digits"] == digits
        starts = hits["digits"].str.startswith(digits)
        hits = hits[starts]
        hits["number_rank"] = np.where(exact[starts], 0, 1)
        if letter:  # "5 b": that number with that letter only
            hits = hits[(hits["number_rank"] == 0) & hits["letter_key"].str.startswith(letter)]
    if rest:
        place = (hits["postal_code"].fillna("").astype(str) + " "
                 + hits["place"].fillna("").astype(str).map(fold))
        hits["place_rank"] = [0 if all(w in p for w in rest) else 1 for p in place]
    else:
        hits["place_rank"] = 0
    hits = hits.sort_values(["score", "place_rank", "number_rank", "street_plain", "house",
                             "letter_key"], ascending=[False, True, True, True, True, True],
                            kind="stable")
    return hits.head(limit)[cols].reset_index(drop=True)
