from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trunkshow.engines.quiz import DefinitionError
from trunkshow.quiz.management.commands._source import read_quiz_file
from trunkshow.quiz.services import quiz_import


class Command(BaseCommand):
    help = "Import a quiz definition (YAML) as a new published version. Same text twice: no change."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--draft", action="store_true", help="Store without publishing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        source = read_quiz_file(path)
        try:
            version, created = quiz_import(source=source, publish=not options["draft"])
        except DefinitionError as exc:
            raise CommandError(
                "The quiz has errors:\n" + "\n".join(f"  {i}" for i in exc.issues)
            ) from exc
        state = "published" if version.is_published else "draft"
        verb = "Imported" if created else "Unchanged:"
        self.stdout.write(f"{verb} {version.quiz.slug} version {version.number} ({state}).")
