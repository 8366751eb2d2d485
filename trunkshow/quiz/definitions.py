"""Quiz sources (YAML) to parsed definitions, once per immutable version."""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import yaml

from trunkshow.engines.quiz import DefinitionError, QuizDefinition, SchemaIssue, parse_definition
from trunkshow.quiz.models import QuizVersion

MAX_SOURCE_BYTES = 256 * 1024
SAFE_LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

_parsed: dict[tuple[int, str], QuizDefinition] = {}
_lock = threading.Lock()


def checksum(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def parse_source(source: str) -> QuizDefinition:
    """Parse YAML text into a definition, or raise DefinitionError naming the problem."""
    if len(source.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise DefinitionError([SchemaIssue("(file)", f"is larger than {MAX_SOURCE_BYTES} bytes")])
    try:
        # A safe loader builds only plain data: no Python objects from a quiz
        # file. libyaml's (C) refuses "[[[[..." thousands deep in a millisecond,
        # where PyYAML's own parser recurses for seconds first.
        data: Any = yaml.load(source, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([SchemaIssue(where, f"is not valid YAML: {problem}")]) from exc
    except RecursionError as exc:  # deep nesting, where PyYAML has no libyaml
        raise DefinitionError([SchemaIssue("(file)", "is nested too deeply")]) from exc
    return parse_definition(data)


def definition_of(version: QuizVersion) -> QuizDefinition:
    """Return the parsed definition of a version; published versions never change, so parse once."""
    key = (version.pk, version.checksum)
    found = _parsed.get(key)
    if found is None:
        found = parse_source(version.source)
        with _lock:
            _parsed[key] = found
    return found
