"""A drop's waiting room: who may buy when, in the order shoppers arrived.

The rule, written out:

- Every shopper who arrives (before or after the opening) takes a ticket; the
  tickets of a drop are ranked by arrival, 0 for the first. Polling faster
  changes nothing: the rank is fixed when the ticket is issued.
- From `opens_at`, the server admits `batch` tickets every `every` (a pace it
  can serve), one after another at an even pace: rank 0 at `opens_at`, rank r
  at `opens_at + every * r / batch`. Never two at the same instant: shoppers
  admitted together race each other to the shelf, and the one who polls
  fastest wins, which is what the waiting room is there to prevent. At an
  instant `now` the first `admitted_count(now)` ranks are admitted.
- A ticket is admitted at `admitted_at(rank)` and stays usable for
  `valid_for` after that, then it has expired (the next shoppers' turn).
- Its position is how many tickets are still to be admitted up to and
  including it (1 = next); 0 once admitted. The estimated wait is the time
  until its admission (whole seconds to show, milliseconds for a client to
  ask again just then), never negative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

_US = timedelta(microseconds=1)
_MS = timedelta(milliseconds=1)


@dataclass(frozen=True)
class Pace:
    opens_at: datetime
    batch: int
    every: timedelta
    valid_for: timedelta

    def __post_init__(self) -> None:
        if self.batch < 1:
            raise ValueError("A batch admits at least one ticket.")
        if self.every < timedelta(milliseconds=1) or self.valid_for <= timedelta(0):
            raise ValueError("Batches come at a positive pace and tickets last a positive time.")

    def admitted_count(self, now: datetime) -> int:
        if now < self.opens_at:
            return 0
        # In whole microseconds, so that admitted_at and admitted_count agree exactly.
        elapsed = (now - self.opens_at) // _US
        return 1 + elapsed * self.batch // (self.every // _US)

    def admitted_at(self, rank: int) -> datetime:
        if rank < 0:
            raise ValueError("A rank is 0 or more.")
        return self.opens_at + _US * -(-rank * (self.every // _US) // self.batch)

    def is_admitted(self, rank: int, now: datetime) -> bool:
        return rank < self.admitted_count(now)

    def is_expired(self, rank: int, now: datetime) -> bool:
        return now >= self.admitted_at(rank) + self.valid_for

    def position(self, rank: int, now: datetime) -> int:
        return max(0, rank - self.admitted_count(now) + 1)

    def estimated_wait_s(self, rank: int, now: datetime) -> int:
        return max(0, math.ceil((self.admitted_at(rank) - now).total_seconds()))

    def estimated_wait_ms(self, rank: int, now: datetime) -> int:
        return max(0, -(-(self.admitted_at(rank) - now) // _MS))


@dataclass(frozen=True)
class Admission:
    """A ticket admitted now, with the units put aside for it (per SKU)."""

    rank: int
    holds: dict[str, int]


def admit_due(
    *, waiting: list[int], due: int, available: dict[str, int], claim: int
) -> list[Admission]:
    """Admit waiting tickets in rank order, each with its units put aside at once.

    `waiting` are the ranks of one shelf's tickets not admitted yet, in any order; the
    pace has reached the first `due` ranks; `available` is what the shelf has left per
    SKU; every admitted ticket has up to `claim` units of each SKU set aside for it.

    The units go to the tickets in the order they were issued, whoever asks first:
    the ticket admitted first has its units first, so a shopper's slow phone cannot
    let a later arrival overtake them. A due ticket for which nothing is left waits,
    and every ticket behind it on the shelf waits with it (a unit handed back later
    goes to it first). A shelf with no SKU has nothing to share: due tickets are
    admitted with nothing set aside.
    """
    if claim < 1:
        raise ValueError("A ticket claims at least one unit.")
    left = {sku: max(0, units) for sku, units in available.items()}
    admitted: list[Admission] = []
    for rank in sorted(r for r in waiting if 0 <= r < due):
        holds = {sku: min(claim, units) for sku, units in left.items() if units > 0}
        if left and not holds:
            break
        for sku, units in holds.items():
            left[sku] -= units
        admitted.append(Admission(rank=rank, holds=holds))
    return admitted
