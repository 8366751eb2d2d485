"""Fit the kit's paints from a calibration card and keep them as the next palette version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trunkshow.common.errors import Invalid
from trunkshow.studio.services import palette_calibrate


class Command(BaseCommand):
    help = (
        "Fit two-constant Kubelka-Munk K and S per kit paint from a tint-ladder card "
        "(YAML), print each swatch's fit residual and the leave-one-out error of the "
        "two-colour mixes (CIEDE2000), and store a new palette version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("card", help="the calibration card, a YAML file")
        parser.add_argument(
            "--skip-leave-one-out", action="store_true", help="fit once, without the refits"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["card"])
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise CommandError(f"Cannot read the card {path}: {exc}") from exc
        try:
            version, fit, loo = palette_calibrate(
                card_data=data if isinstance(data, dict) else {},
                with_leave_one_out=not options["skip_leave_one_out"],
            )
        except Invalid as exc:
            lines = "\n".join(f"  {'.'.join(map(str, p))}: {m}" for p, m in exc.errors)
            raise CommandError(f"The card cannot be fitted:\n{lines}") from exc
        out = self.stdout
        out.write(f"Fit: {fit.mode}, {len(fit.swatches)} swatches")
        out.write(f"{'swatch':32} {'measured L* a* b*':>22} {'model L* a* b*':>22}  dE00")
        for s in fit.swatches:
            measured = " ".join(f"{v:6.1f}" for v in s.measured_lab)
            model = " ".join(f"{v:6.1f}" for v in s.model_lab)
            out.write(f"{s.label:32} {measured:>22} {model:>22}  {s.delta_e:5.2f}")
        mean, top = fit.mean_residual, fit.max_residual
        out.write(f"fit residual CIEDE2000: mean {mean:.2f}, max {top:.2f}")
        for label, error in loo:
            out.write(f"leave-one-out {label:24} predicted within {error:.2f} dE00")
        if loo:
            mean, top = sum(e for _l, e in loo) / len(loo), max(e for _l, e in loo)
            out.write(f"leave-one-out CIEDE2000: mean {mean:.2f}, max {top:.2f}")
        out.write(self.style.SUCCESS(f"Stored palette {version.key} v{version.number}."))
