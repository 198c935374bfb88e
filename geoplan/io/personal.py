"""Personal data in an import file, caught by header and by content; problems out, no values.

GeoPlan holds units and aggregates, never a person.  :func:`find_personal` looks at every
column of a file as read (and the importer calls it again for every other sheet or layer):

* **by header**, every header the importer did not recognise is split into words
  (:func:`geoplan.io.columns.header_key`) and matched against :data:`PERSONAL_HEADERS`: whole
  words, word prefixes (Norwegian compounds: "Telefonnummer", "Leietakernavn"), phrases
  ("date of birth", "next of kin") and two words written apart ("E-post", "F.nr"), in bokmål,
  nynorsk and English, with abbreviations.  ``navn``/``name`` alone is personal; it is accepted
  only where an importer knows it (an area's or a service point's name), and a name word is
  not personal when a word of :data:`NOT_A_PERSON` qualifies it ("Gatenavn", "Street name");
* **by content**, in every column, known or not: Norwegian birth numbers (fødselsnummer,
  D-number, H-number and Skatteetaten's synthetic test numbers, with a valid date and both
  mod-11 control digits; a 10-digit value is a birth number that lost its leading zero) and
  e-mail addresses; in columns the importer does not know, Norwegian phone numbers too (see
  :func:`phone_mask` for the rule that keeps counts and ids out);
* **festenummer or birth number**: a unit file's ``fnr`` is accepted as festenummer only
  when its values are small whole numbers (Kartverket's matrikkel holds festenummer as an
  integer of at most 4 digits, 0–9999); a value of 10 or 11 digits is refused as
  ``fnr_ambiguous``.

A problem names the column and the first rows found, never the value (not even in a log).
The content check works on the unique non-blank values of a column with vectorised string
operations, so 500,000 rows × 25 columns take a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from geoplan.io.columns import header_key
from geoplan.io.problems import Problem, first_rows, problem

# --- by header ------------------------------------------------------------------------------
# The one definition of what a personal header looks like (normalised by header_key: lower
# case, æøå folded to ae/o/a, punctuation to spaces).  kind -> (whole words, word prefixes,
# phrases).  A word is a word of the header or two neighbouring words joined ("e post" ->
# "epost", "f nr" -> "fnr", "first name" -> "firstname").  The kinds are worded in
# geoplan.ui.import_text.PERSONAL_KINDS; the first kind in this order that matches is reported.
PERSONAL_HEADERS: dict[str, tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]] = {
    "birth_number": (
        frozenset({"fnr", "fodselsnummer", "fodselsnr", "fodselsnumre", "fnummer", "fdnr",
                   "personnummer", "personnr", "personid", "personident", "dnr", "dnummer",
                   "hnummer", "ssn", "nin", "identitetsnummer", "birthnumber"}),
        ("fodselsnum", "fodselsnr", "personnum", "personnr", "personident",
         "identitetsnum"),
        ("personal id", "person id", "personal number", "personal identity", "national id",
         "national identity", "national identification", "social security", "birth number",
         "identity number", "fodsels nr", "d nr", "h nr"),
    ),
    "birth_date": (
        frozenset({"fodt", "fodd", "dob", "fdato", "fodselsdato", "fodselsdag", "fodselsar",
                   "fodselsaar", "birthdate", "birthday", "born", "birthyear"}),
        ("fodselsdat", "fodselsdag"),
        ("date of birth", "year of birth", "f dato", "fodt dato", "fodd dato"),
    ),
    "email": (
        frozenset({"epost", "email", "emails", "mail", "mailadresse", "eposter", "epostadr"}),
        ("epost", "email", "mailadr"),
        ("e post", "e mail", "mail address"),
    ),
    "phone": (
        frozenset({"tlf", "tel", "telefon", "mob", "mobnr", "mobil", "phone", "telephone",
                   "mobile", "cellphone"}),
        ("telefon", "tlf", "mobilnr", "mobilnum", "mobiltlf", "mobiltelefon", "phone",
         "telephone", "mobilephone", "cellphone"),
        ("phone number", "mobile number", "cell phone"),
    ),
    "name": (
        frozenset({"fornavn", "etternavn", "mellomnavn", "fornamn", "forenamn", "etternamn",
                   "mellomnamn", "fulltnavn", "fulltnamn", "fnavn", "enavn", "surname",
                   "surnames", "forename", "forenames", "firstname", "lastname", "givenname",
                   "familyname", "fullname", "middlename", "initialer", "initials"}),
        ("fornavn", "etternavn", "etternamn", "forenamn", "surname"),
        ("first name", "last name", "given name", "family name", "full name", "middle name"),
    ),
    "case": (
        frozenset({"sak", "saker", "case", "cases", "vedtak", "journalnr", "journalnummer",
                   "arkivsak", "caseid", "caseno", "caseworker", "casenumber"}),
        ("saks", "vedtak", "journalnr", "journalnum", "casework", "casenum", "casefile"),
        ("case id", "case number", "case no", "case worker", "case details", "case officer",
         "case file"),
    ),
    "person": (
        frozenset({"leietaker", "leietakere", "leigetakar", "leigetakarar", "beboer", "beboere",
                   "bebuar", "bebuarar", "tenant", "tenants", "occupant", "occupants",
                   "resident", "residents", "verge", "verger", "verje", "verjer", "guardian",
                   "parorende", "parorande", "kontaktperson", "kontakt", "contact", "person",
                   "soker", "sokjar", "applicant", "klient", "client", "pasient", "patient",
                   "bruker", "brukar", "ektefelle", "spouse", "samboer", "lessee"}),
        ("leietaker", "leigetakar", "beboer", "bebuar", "tenant", "occupant", "kontaktperson",
         "parorende", "parorande", "vergemal", "verjemal", "guardian"),
        ("next of kin", "contact person", "kontakt person"),
    ),
    "other": (
        frozenset({"diagnose", "diagnosis", "kjonn", "gender", "sex", "nasjonalitet",
                   "nationality", "statsborgerskap", "citizenship", "religion", "fodested",
                   "fodestad", "birthplace", "personopplysninger", "personalia"}),
        ("personopplys", "personalia", "diagnos", "helseopplys"),
        ("place of birth",),
    ),
}

# Words for a name ("Navn", "Name"); alone, or qualified by anything but NOT_A_PERSON, a column
# of names of people.  Compounds ending in a name word are names of people when the first part
# is in PERSON_STEMS ("Leietakernavn", "Kontaktnavn"), and not otherwise ("Gatenavn").
NAME_WORDS = frozenset({"navn", "namn", "name", "names", "navnet"})
NAME_ENDINGS = ("navn", "namn", "name")
PERSON_STEMS = frozenset({
    "leietaker", "leigetakar", "beboer", "bebuar", "person", "kontakt", "kontaktperson",
    "verge", "verje", "parorende", "parorande", "bruker", "brukar", "soker", "sokjar", "klient",
    "pasient", "kunde", "mor", "far", "foreldre", "barn", "tenant", "occupant", "resident",
    "contact", "guardian", "patient", "client", "applicant", "user", "customer",
})
NOT_A_PERSON = frozenset({
    "gate", "gata", "gaten", "vei", "veg", "street", "road", "adresse", "address", "omrade",
    "area", "sted", "stad", "place", "town", "city", "kommune", "municipality", "fylke",
    "county", "bydel", "district", "krets", "grunnkrets", "delomrade", "sone", "zone",
    "levekarssone", "bygg", "bygning", "building", "borettslag", "sameie", "company", "firma",
    "selskap", "skole", "school", "barnehage", "tjeneste", "service", "unit", "bolig", "type",
    "kategori", "category", "system", "lag", "layer", "fil", "file", "prosjekt", "project",
    "eiendom", "property", "gard", "bruk", "farm", "land", "country", "ark", "sheet",
})


def _words(key: str) -> tuple[list[str], set[str]]:
    """The words of a normalised header, and the words plus each two neighbours joined."""
    words = key.split()
    return words, set(words) | {a + b for a, b in zip(words, words[1:], strict=False)}


def _is_name(words: list[str], tokens: set[str]) -> bool:
    for w in words:
        if w in NAME_WORDS and not any(o in NOT_A_PERSON for o in words if o != w):
            return True
    for tok in tokens:
        for end in NAME_ENDINGS:
            stem = tok[: -len(end)]
            if tok.endswith(end) and stem and (stem in PERSON_STEMS
                                                or stem.rstrip("s") in PERSON_STEMS):
                return True
    return False


def header_kind(header: object) -> str | None:
    """The kind of personal data a header names ("name", "phone", …), or None.

    ``header_kind("Etternavn, fornavn") == "name"``, ``header_kind("F.nr") ==
    "birth_number"``, ``header_kind("Gatenavn") is None``.
    """
    key = header_key(header)
    words, tokens = _words(key)
    padded = f" {key} "
    for kind, (whole, prefixes, phrases) in PERSONAL_HEADERS.items():
        if kind == "name" and _is_name(words, tokens):
            return kind
        if tokens & whole or any(t.startswith(p) for t in tokens for p in prefixes):
            return kind
        if kind == "person" and any(t.endswith("person") and t != "person" for t in tokens):
            return kind
        if any(f" {p} " in padded for p in phrases):
            return kind
    return None


def personal_headers(headers: Iterable[object]) -> list[str]:
    """The headers that look like personal data, as the file writes them."""
    return [str(h) for h in headers if header_kind(h) is not None]


# --- by content -----------------------------------------------------------------------------
W1 = np.array([3, 7, 6, 1, 8, 9, 4, 5, 2])
W2 = np.array([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
FESTENUMMER_MAX = 9999  # Kartverket: festenummer is an integer of at most 4 digits

# Eleven digits, optionally split after the date ("010190 12345"), not part of a longer or a
# decimal number: (whole value, anywhere in a text without look-arounds for pyarrow's RE2 as a
# fast first pass, the same with look-arounds to extract the digits); by separators allowed.
# In a known column a dot is a decimal point ("313440.12345" is an easting), so not a separator.
_SEPARATORS = {True: r"[ .\-]", False: r"[ \-]"}
_ELEVEN = {dots: (rf"\d{{6}}{sep}?\d{{5}}",
                  rf"(?:^|[^\d.,])\d{{6}}{sep}?\d{{5}}(?:$|[^\d.,]|[.,]\D|[.,]$)",
                  rf"(?<![\d.,])(\d{{6}}){sep}?(\d{{5}})(?!\d|[.,]\d)")
           for dots, sep in _SEPARATORS.items()}
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_PHONE_FORMATTED = (
    r"(?:\+|00)47[ .\-]?(?:[2-9]\d{7}|[2-9]\d{2} \d{2} \d{3}|[2-9]\d \d{2} \d{2} \d{2})"
    r"|[2-9]\d{2} \d{2} \d{3}|[2-9]\d \d{2} \d{2} \d{2}"
)
_PHONE_PLAIN = r"[2-9]\d{7}"
PHONE_COLUMN_SHARE = 0.8  # plain 8-digit numbers count as phones only in a column this full


def birth_number_mask(digits: pd.Series) -> np.ndarray:
    """True for each 11-digit string that is a valid birth number.

    Valid: day 1–31 (D-number: + 40), month 1–12 (H-number: + 40; Skatteetaten's synthetic
    test numbers: + 80), a date that exists (the century from the individual number), and
    both mod-11 control digits (weights 3 7 6 1 8 9 4 5 2 and 5 4 3 2 7 6 5 4 3 2; 11 - the
    remainder, remainder 0 gives 0, remainder 1 is not a valid number).
    """
    if len(digits) == 0:
        return np.zeros(0, dtype=bool)
    raw = np.asarray(pd.Series(digits).to_numpy(dtype=object), dtype="S11")
    d = (raw.view(np.uint8).reshape(-1, 11) - 48).astype(np.int64)
    r1 = (d[:, :9] @ W1) % 11
    r2 = (d[:, :10] @ W2) % 11
    controls = (r1 != 1) & ((11 - r1) % 11 == d[:, 9]) & (r2 != 1) & ((11 - r2) % 11 == d[:, 10])
    day = d[:, 0] * 10 + d[:, 1]
    month = d[:, 2] * 10 + d[:, 3]
    yy = d[:, 4] * 10 + d[:, 5]
    ind = d[:, 6] * 100 + d[:, 7] * 10 + d[:, 8]
    day = np.where(day > 40, day - 40, day)
    month = np.where(month > 80, month - 80, np.where(month > 40, month - 40, month))
    year = np.where(ind < 500, 1900 + yy,
                    np.where((ind < 750) & (yy >= 54), 1800 + yy,
                             np.where(yy < 40, 2000 + yy, 1900 + yy)))
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    ok_month = (month >= 1) & (month <= 12)
    days = np.where(ok_month, month_days[np.clip(month, 0, 12)], 0)
    days = np.where(ok_month & (month == 2) & ~leap, 28, days)
    return controls & ok_month & (day >= 1) & (day <= days)


def _as_text(uniques: object) -> pd.Series | None:
    """The unique cell values as stripped text; whole floats without ".0"; None for dates."""
    values = pd.Series(uniques)
    if pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_float_dtype(values):
        whole = np.isfinite(values) & (values == np.floor(values)) & (values.abs() < 1e15)
        text = values.astype(str)
        text[whole] = values[whole].astype(np.int64).astype(str)
        return text
    text = values.astype(str).str.strip()
    dot0 = text.str.endswith(".0")
    if dot0.any():
        text[dot0] = text[dot0].str[:-2]
    return text


def birth_numbers(text: pd.Series, dots: bool = True) -> pd.Series:
    """True for each text holding a birth number (eleven digits, or ten that lost a zero).

    A whole value "01019012345", "010190 12345", "010190-12345", "010190.12345" (the dot
    only with ``dots``; a known column passes False, as its dot is a decimal point:
    "313440.12345" is an easting), "1019012345" (a number that lost its leading zero), or
    eleven digits inside a text ("leietaker 01019012345") that are not part of a longer or a
    decimal number.
    """
    found = pd.Series(False, index=text.index)
    long = text[(text.str.len() >= 10).to_numpy(dtype=bool)]
    if long.empty:
        return found
    whole_re, inside_re, extract_re = _ELEVEN[dots]
    whole = long.str.fullmatch(whole_re).to_numpy(dtype=bool)
    ten = long.str.fullmatch(r"\d{10}").to_numpy(dtype=bool)
    inside = long[~whole & ~ten]
    inside = inside[inside.str.contains(inside_re).to_numpy(dtype=bool)]
    parts = [long[whole].str.replace(r"[ .\-]", "", regex=True), "0" + long[ten]]
    if not inside.empty:
        eleven = inside.str.extract(extract_re).dropna()
        parts.append(eleven[0] + eleven[1])
    parts = [p for p in parts if len(p)]
    if not parts:
        return found
    digits = pd.concat(parts)
    valid = birth_number_mask(digits)
    found.loc[digits.index[valid].unique()] = True
    return found


def emails(text: pd.Series) -> pd.Series:
    """True for each text holding an e-mail address (anywhere in the text)."""
    found = pd.Series(False, index=text.index)
    at = text[text.str.contains("@", regex=False)]
    if not at.empty:
        found.loc[at.index[at.str.contains(_EMAIL).to_numpy(dtype=bool)]] = True
    return found


def phone_mask(text: pd.Series) -> pd.Series:
    """True for each text that is a Norwegian phone number, by a rule that spares counts and ids.

    Eight digits starting 2–9.  Written as a phone number is written, it counts always:
    with +47 or 0047 in front, or grouped by spaces as "912 34 567" or "91 23 45 67".  A
    plain run of eight digits counts only in a column of phone numbers: at least 80 %
    (:data:`PHONE_COLUMN_SHARE`) of the column's unique values are phone numbers, at least
    80 % of the plain ones begin with 4 or 9 (the mobile ranges), and they are not a dense
    run such as ids (fewer than half of the numbers between the smallest and the largest
    occur).  Plain counts, years and ids therefore never count.
    """
    found = pd.Series(False, index=text.index)
    mid = text[text.str.len().between(8, 20)]
    if mid.empty:
        return found
    formatted = mid.str.fullmatch(_PHONE_FORMATTED).to_numpy(dtype=bool)
    found.loc[mid.index[formatted]] = True
    plain = mid[mid.str.fullmatch(_PHONE_PLAIN).to_numpy(dtype=bool)]
    if plain.empty or (formatted.sum() + len(plain)) < PHONE_COLUMN_SHARE * len(text):
        return found
    numbers = plain.astype(np.int64)
    mobile = plain.str[0].isin(["4", "9"]).mean() >= PHONE_COLUMN_SHARE
    dense = len(plain) > 1 and len(plain) > 0.5 * (numbers.max() - numbers.min() + 1)
    if mobile and not dense:
        found.loc[plain.index] = True
    return found


def _rows(codes: np.ndarray, hits: pd.Series) -> np.ndarray:
    """The 0-based rows whose value is one of the unique values marked in ``hits``."""
    return np.flatnonzero(np.isin(codes, hits.index[hits.to_numpy(dtype=bool)]))


def _content(column: pd.Series, name: str, known: bool, fnr: bool) -> list[Problem]:
    """The content problems of one column (``name`` as the problems call it)."""
    codes, uniques = pd.factorize(column)
    if len(uniques) == 0:
        return []
    text = _as_text(uniques)
    if text is None:
        return []
    blank = (text == "") | text.isna()
    text = text[~blank.to_numpy(dtype=bool)]
    if text.empty:
        return []
    problems: list[Problem] = []
    checks = {"birth_number": lambda t: birth_numbers(t, dots=not known), "email": emails}
    if fnr:
        digits = text.str.replace(r"[ .\-]", "", regex=True)
        small = digits.str.fullmatch(rf"\d{{1,{len(str(FESTENUMMER_MAX))}}}")
        long = digits.str.fullmatch(r"\d{10,11}") & ~small
        rows = _rows(codes, long)
        if len(rows):
            problems.append(problem("fnr_ambiguous", column=name, rows=first_rows(rows)))
            checks.pop("birth_number")
    if not known:
        checks["phone"] = phone_mask
    for kind, check in checks.items():
        rows = _rows(codes, check(text))
        if len(rows):
            problems.append(problem("personal_content", column=name, kind=kind,
                                    rows=first_rows(rows), count=len(rows)))
    return problems


def find_personal(frame: pd.DataFrame, known: Mapping[str, str],
                  sheet: str | None = None) -> list[Problem]:
    """Every sign of personal data in ``frame``: headers, then contents, column by column.

    Parameters
    ----------
    frame : every column of a file as read (strings for CSV, Excel values for XLSX; no
        geometry).  Any number of rows; blank cells are skipped.
    known : field name -> header of the columns the importer recognised.  Known headers are
        not checked by header (an area file's ``navn`` is the area's name), and their contents
        are not checked for phone numbers (a price may have eight digits); ``known["fnr"]``
        is a festenummer column and checked as one.
    sheet : the name of another sheet or layer of the file; its columns are named
        "sheet › header".

    Returns
    -------
    ``personal_header`` (kind), ``personal_content`` (kind, rows, count) and
    ``fnr_ambiguous`` (rows) problems, with the column named and never a value.
    """
    known_headers = {str(h) for h in known.values()}
    fnr_header = known.get("fnr")
    problems: list[Problem] = []
    for pos in range(frame.shape[1]):
        header = str(frame.columns[pos])
        name = f"{sheet} › {header}" if sheet else header
        is_known = header in known_headers
        if not is_known:
            kind = header_kind(header)
            if kind is not None:
                problems.append(problem("personal_header", column=name, kind=kind))
        problems += _content(frame.iloc[:, pos], name, is_known,
                             fnr=fnr_header is not None and header == str(fnr_header))
    return problems
