"""Move a campaign in time for a rehearsal: `campaign_shift super-brand-day --start-in 10m`."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from trunkshow.campaigns.services import campaign_shift
from trunkshow.common.errors import DomainError
from trunkshow.common.selectors import market_by_code
from trunkshow.engines.campaign.schedule import utc_to_local

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_DURATION = re.compile(r"^(-?)(\d{1,6})([smhd])$")


def parse_duration(value: str) -> timedelta:
    """ "10m" -> 10 minutes; s, m, h, d; a leading minus starts it in the past (live now)."""
    if value.strip() == "0":
        return timedelta(0)
    match = _DURATION.match(value.strip())
    if match is None:
        raise CommandError(
            f"--start-in {value!r}: give a number and a unit, e.g. 90s, 10m, 2h, 1d or -5m."
        )
    sign, amount, unit = match.groups()
    delta = timedelta(**{_UNITS[unit]: int(amount)})
    return -delta if sign else delta


class Command(BaseCommand):
    help = (
        "Move a campaign so that it starts after the given time from now; every market's "
        "window moves by the same offset, lengths unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument(
            "--start-in",
            required=True,
            help="e.g. 10m, 90s, 2h, 1d; --start-in=-5m makes it live since five minutes.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        delta = parse_duration(options["start_in"])
        start_at = timezone.now().replace(microsecond=0) + delta
        try:
            rows = campaign_shift(slug=options["slug"], start_at=start_at)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for row in rows:
            market = market_by_code(row.market_id)
            zone = market.time_zone if market is not None else "UTC"
            start = utc_to_local(row.starts_at, zone)
            end = utc_to_local(row.ends_at, zone)
            self.stdout.write(
                f"{options['slug']} in {row.market_id}: {start:%Y-%m-%d %H:%M:%S} – "
                f"{end:%Y-%m-%d %H:%M:%S} {zone}"
            )
        self.stdout.write("Other server processes show the change within CATALOG_CACHE_SECONDS.")
