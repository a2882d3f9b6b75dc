"""Give a patient a long history in every app that adds to the chart (for query-count tests).

Each app that registers chart sections or timeline entries adds a function to HISTORY_BUILDERS
in its tests/<app>/history.py: `def add(cast, entries: int) -> None`.
"""

import importlib
import pkgutil

import tests
from tests.conftest import Cast


def add_history(cast: Cast, entries: int) -> None:
    for module in pkgutil.iter_modules(tests.__path__):
        try:
            history = importlib.import_module(f"tests.{module.name}.history")
        except ModuleNotFoundError:
            continue
        history.add(cast, entries)
