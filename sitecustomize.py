"""Keeps the servers' start-up logs readable.

Python imports this module at start-up when the repository root is on
PYTHONPATH (the Makefile and scripts set it). Rasa 3.6 and its pinned
dependencies print dozens of DeprecationWarnings about their own internals on
import; they say nothing about this project. Sanic re-enables them with a
filter of its own when it is imported, so filters alone do not hold: the
display hook drops them instead. Every other warning (Rasa's UserWarnings
about our data, for example) is still shown.
"""

import warnings

_show = warnings.showwarning


def _show_unless_deprecation(message, category, *args, **kwargs):
    if issubclass(category, (DeprecationWarning, PendingDeprecationWarning)):
        return
    _show(message, category, *args, **kwargs)


warnings.showwarning = _show_unless_deprecation
