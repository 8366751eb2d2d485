"""Where each app says how to find, export and erase what it holds about a shopper.

A privacy request (trunkshow/privacy) knows no app: it runs the handlers
registered here, in `order`. Each app registers its own in `AppConfig.ready`,
so a lower layer (analytics, common) can take part without being imported
by the privacy app, and the privacy app imports nothing above common.

A handler has three steps, each idempotent:

- `collect(subject)`: read-only; adds keys to `subject.keys` (result ids,
  cart ids, message tokens...) that later handlers may use. The keys are
  stored with the request before anything is erased, so an erase that
  crashes after one handler still knows what the others must remove.
- `export(subject) -> ExportPart`: rows (JSON-ready dicts) and files.
- `erase(subject)`: delete or anonymise; safe to run again.

Every model with a field that can hold personal data must be covered by a
handler (`models=`) or declared `not_personal` with a reason; a test fails
otherwise (tests/privacy/test_registry.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Model


@dataclass
class Subject:
    """Whose data: an e-mail address, visitor ids, and keys handlers found."""

    email: str = ""
    visitor_ids: list[str] = field(default_factory=list)
    keys: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, values: Iterable[Any]) -> None:
        known = self.keys.setdefault(kind, [])
        for value in values:
            text = str(value)
            if text not in known:
                known.append(text)

    def get(self, kind: str) -> list[str]:
        return list(self.keys.get(kind, []))

    def to_json(self) -> dict[str, Any]:
        return {"email": self.email, "visitor_ids": self.visitor_ids, "keys": self.keys}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Subject:
        return cls(
            email=str(data.get("email", "")),
            visitor_ids=[str(v) for v in data.get("visitor_ids", [])],
            keys={str(k): [str(v) for v in vs] for k, vs in dict(data.get("keys", {})).items()},
        )


@dataclass
class ExportPart:
    """One handler's share of an export: rows per section, and files to include."""

    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (name inside the ZIP, path on disk); missing files are skipped.
    files: list[tuple[str, Path]] = field(default_factory=list)


@dataclass(frozen=True)
class Handler:
    name: str
    order: int
    models: tuple[type[Model], ...]
    collect: Callable[[Subject], None]
    export: Callable[[Subject], ExportPart]
    erase: Callable[[Subject], None]


_HANDLERS: dict[str, Handler] = {}
_NOT_PERSONAL: dict[type[Model], str] = {}


def register(
    *,
    name: str,
    order: int,
    models: Iterable[type[Model]],
    collect: Callable[[Subject], None],
    export: Callable[[Subject], ExportPart],
    erase: Callable[[Subject], None],
) -> None:
    """Register an app's handler; registering the same name again replaces it."""
    _HANDLERS[name] = Handler(name, order, tuple(models), collect, export, erase)


def not_personal(model: type[Model], reason: str) -> None:
    """Declare that a model with a name-like field holds no shopper's data."""
    _NOT_PERSONAL[model] = reason


def handlers() -> list[Handler]:
    """Return the handlers in the order they run (collect/export; erase runs them reversed)."""
    return sorted(_HANDLERS.values(), key=lambda h: (h.order, h.name))


def covered_models() -> set[type[Model]]:
    return {model for handler in _HANDLERS.values() for model in handler.models}


def declared_not_personal() -> dict[type[Model], str]:
    return dict(_NOT_PERSONAL)


def nothing(subject: Subject) -> None:
    """A step with nothing to do (a handler that only exports, say)."""
