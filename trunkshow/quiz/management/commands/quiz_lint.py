from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trunkshow.catalog.selectors import ranking_rows
from trunkshow.common.locales import localized, supported_locales
from trunkshow.common.selectors import active_markets
from trunkshow.engines.quiz import DefinitionError
from trunkshow.engines.quiz.lint import lint
from trunkshow.inventory.selectors import in_stock_skus
from trunkshow.quiz.definitions import parse_source
from trunkshow.quiz.management.commands._source import read_quiz_file


class Command(BaseCommand):
    help = (
        "Check a quiz file: schema, reachability of every profile (exact), profile shares, "
        "translations, and sellable products per market. Exits 1 on errors."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        source = read_quiz_file(path)
        try:
            definition = parse_source(source)
        except DefinitionError as exc:
            for issue in exc.issues:
                self.stdout.write(f"error: {issue}")
            raise CommandError(f"{len(exc.issues)} error(s) in {path}", returncode=1) from exc

        sellable: dict[str, set[str]] = {}
        in_stock: dict[str, set[str]] = {}
        for market in active_markets():
            rows = ranking_rows(market_code=market.code)
            sellable[market.code] = {t for r in rows for t in r.tags}
            available = in_stock_skus(skus=[r.sku for r in rows], market_code=market.code)
            in_stock[market.code] = {t for r in rows if r.sku in available for t in r.tags}

        report = lint(
            definition,
            locales=supported_locales(),
            sellable_tags=sellable,
            in_stock_tags=in_stock,
        )
        self.stdout.write(
            f"{definition.slug}: {len(definition.questions)} questions, "
            f"{len(definition.profiles)} profiles, {report.combinations:,} answer combinations "
            f"checked exactly ({report.distinct_totals:,} distinct trait totals)."
        )
        if report.shares:
            self.stdout.write("Profile shares under uniformly random answers:")
            for profile in definition.profiles:
                share = float(report.shares.get(profile.key, 0))
                bar = "#" * round(share * 40)
                title = localized(profile.title, "en")
                self.stdout.write(f"  {profile.key:24s} {share:7.2%}  {bar}  {title}")
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        for error in report.errors:
            self.stdout.write(f"error: {error}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} error(s) in {path}", returncode=1)
        self.stdout.write(self.style.SUCCESS("No errors."))
