"""Keep the test framework out of a web process.

django-ninja imports `setting_changed` from `django.test.signals`, and
importing that module runs `django/test/__init__.py`, which loads Django's
test client, test cases and (through django.test.utils) Jinja2: about 5 MiB
of a web process's 150 MiB budget (issue 28) for code it never runs. Before
Django starts, the package `django.test` is registered without running its
`__init__`: its submodules import as usual, and the first attribute asked of
the package itself (`django.test.TestCase`) runs the `__init__` then.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any


def defer_django_test() -> None:
    if "django.test" in sys.modules:
        return
    spec = importlib.util.find_spec("django.test")
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def __getattr__(name: str) -> Any:
        del module.__dict__["__getattr__"]
        loader.exec_module(module)
        return getattr(module, name)

    module.__dict__["__getattr__"] = __getattr__
    sys.modules["django.test"] = module
    django: ModuleType = sys.modules.get("django") or importlib.import_module("django")
    django.test = module  # type: ignore[attr-defined]
