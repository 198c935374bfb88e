"""The demo's demand over time (SYNTHETIC): flows 2021–2025 and the year-end snapshots they give.

A hand-set story, no randomness: a refugee wave in 2022–2023 (many approved applications, met
by buying and leasing in units, so allocations exceed re-lets), and a growing queue of elderly
people needing universal design (inflow rising each year, few suitable units falling free).  The
other groups are steady.  The snapshots on 31 December follow from the flows by the stock-flow
identity ``queue(y) = queue(y − 1) + inflow(y) − allocations(y) − withdrawals(y)``, starting from
the queue on 31.12.2020, so the demo's snapshots and flows agree.  Each year's households are
spread over the same need rows (rooms, universal design, staffing) as the 01.10.2026 snapshot, in
proportion to them (largest remainder).
"""

from __future__ import annotations

from collections.abc import Sequence

YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025)
FLOWS_HEADER: tuple[str, ...] = ("År", "Målgruppe", "Nye søknader", "Tildelinger", "Frafall",
                                 "Gjenutleie")

# target group label -> (queue on 31.12.2020, inflow, allocations, withdrawals, re-lets by year)
STORY: dict[str, tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = {
    "Bostedsløse med rusproblemer": (9, (10, 11, 12, 11, 12), (8, 8, 9, 9, 9), (2, 2, 3, 2, 2),
                                     (7, 7, 8, 8, 8)),
    "Psykisk helse": (6, (6, 7, 7, 7, 8), (5, 6, 5, 6, 6), (1, 1, 1, 1, 1), (5, 5, 5, 5, 5)),
    "Flyktninger til bosetting": (5, (12, 45, 38, 20, 14), (10, 28, 32, 22, 12), (2, 6, 5, 3, 2),
                                  (8, 10, 11, 11, 10)),
    "Unge 18–25 år": (5, (8, 8, 9, 9, 10), (6, 6, 7, 7, 7), (2, 2, 2, 2, 2), (6, 6, 6, 7, 7)),
    "Barnefamilier": (8, (9, 10, 11, 10, 10), (7, 7, 8, 8, 7), (2, 2, 2, 2, 2), (6, 6, 7, 7, 7)),
    "Eldre": (4, (7, 8, 9, 10, 11), (5, 5, 6, 6, 6), (1, 1, 2, 2, 2), (4, 4, 5, 5, 5)),
    "Personer med funksjonsnedsettelse": (7, (4, 4, 5, 5, 5), (3, 3, 4, 4, 4), (1, 1, 1, 0, 1),
                                          (2, 2, 3, 3, 3)),
}


def queues() -> dict[str, list[int]]:
    """Households waiting per group on 31 December of each of :data:`YEARS`."""
    out = {}
    for group, (queue, inflow, allocations, withdrawals, _) in STORY.items():
        ends = []
        for k in range(len(YEARS)):
            queue = queue + inflow[k] - allocations[k] - withdrawals[k]
            ends.append(queue)
        out[group] = ends
    return out


def flow_rows() -> list[list[str]]:
    """The flow file's rows: year, group, inflow, allocations, withdrawals, re-lets."""
    rows = []
    for k, year in enumerate(YEARS):
        for group, (_, inflow, allocations, withdrawals, relets) in STORY.items():
            rows.append([str(year), group, str(inflow[k]), str(allocations[k]),
                         str(withdrawals[k]), str(relets[k])])
    return rows


def spread(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` over ``weights`` in proportion (largest remainder, ties to the first)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    out = [int(e) for e in exact]
    order = sorted(range(len(weights)), key=lambda i: -(exact[i] - out[i]))
    for i in order[:total - sum(out)]:
        out[i] += 1
    return out


def snapshot_rows(need_rows: Sequence[tuple], yes) -> list[list[str]]:
    """The year-end snapshots' rows in the demand file's layout.

    ``need_rows``: the current snapshot's ``(group, households, rooms, universal design,
    staffed, area)`` rows; ``yes``: the Ja/Nei formatter.  Rows with 0 households are left out.
    """
    ends = queues()
    out = []
    for k, year in enumerate(YEARS):
        day = f"31.12.{year}"
        for group in STORY:
            rows = [r for r in need_rows if r[0] == group]
            for (g, _, rooms, uu, staffed, area), n in zip(
                    rows, spread(ends[group][k], [r[1] for r in rows]), strict=True):
                if n:
                    out.append([day, g, str(n), str(rooms), yes(uu),
                                "Bemannet" if staffed else "Ubemannet", area])
    return out
