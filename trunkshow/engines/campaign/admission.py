"""A drop's waiting room: who may buy when, in the order shoppers arrived.

The rule, written out:

- Every shopper who arrives (before or after the opening) takes a ticket; the
  tickets of a drop are ranked by arrival, 0 for the first. Polling faster
  changes nothing: the rank is fixed when the ticket is issued.
- From `opens_at`, the server admits `batch` tickets at once and `batch`
  more every `every` (a pace it can serve): at an instant `now` the first
  `admitted_count(now)` ranks are admitted.
- A ticket is admitted at `admitted_at(rank)` and stays usable for
  `valid_for` after that, then it has expired (the next shoppers' turn).
- Its position is how many tickets are still to be admitted up to and
  including it (1 = next); 0 once admitted. The estimated wait is the whole
  seconds until its admission, never negative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Pace:
    opens_at: datetime
    batch: int
    every: timedelta
    valid_for: timedelta

    def __post_init__(self) -> None:
        if self.batch < 1:
            raise ValueError("A batch admits at least one ticket.")
        if self.every <= timedelta(0) or self.valid_for <= timedelta(0):
            raise ValueError("Batches come at a positive pace and tickets last a positive time.")

    def admitted_count(self, now: datetime) -> int:
        if now < self.opens_at:
            return 0
        batches = 1 + int((now - self.opens_at) / self.every)
        return batches * self.batch

    def admitted_at(self, rank: int) -> datetime:
        if rank < 0:
            raise ValueError("A rank is 0 or more.")
        return self.opens_at + self.every * (rank // self.batch)

    def is_admitted(self, rank: int, now: datetime) -> bool:
        return rank < self.admitted_count(now)

    def is_expired(self, rank: int, now: datetime) -> bool:
        return now >= self.admitted_at(rank) + self.valid_for

    def position(self, rank: int, now: datetime) -> int:
        return max(0, rank - self.admitted_count(now) + 1)

    def estimated_wait_s(self, rank: int, now: datetime) -> int:
        return max(0, math.ceil((self.admitted_at(rank) - now).total_seconds()))
