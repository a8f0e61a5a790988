"""Keeps the servers' start-up logs readable without hiding the project's own warnings.

Python imports this module at start-up when the repository root is on PYTHONPATH (the
Makefile and scripts set it). Rasa 3.6 and its pinned dependencies (TensorFlow, spaCy's
CLI, typer, pkg_resources, SQLAlchemy's 2.0 notices) raise dozens of
DeprecationWarnings about their own internals on import; they say nothing about this
project. A warnings filter cannot hold them back: Sanic calls
`filterwarnings("once", category=DeprecationWarning)` when it is imported, which goes
in front of any filter set here. So the display hook drops exactly those: deprecation
warnings attributed to installed packages (site-packages) or to the import machinery.
A deprecation attributed to the project's code, and every other warning (Rasa's
UserWarnings about our data, for example), is still shown.

pytest does not use this hook; its filters are in pyproject.toml.
"""

import sysconfig
import warnings

_show = warnings.showwarning
_INSTALLED = tuple(
    {sysconfig.get_paths()[key] for key in ("purelib", "platlib")} | {"<frozen importlib"}
)


def _show_unless_installed_deprecation(message, category, filename, *args, **kwargs):
    if issubclass(category, (DeprecationWarning, PendingDeprecationWarning)) and str(
        filename
    ).startswith(_INSTALLED):
        return
    _show(message, category, filename, *args, **kwargs)


warnings.showwarning = _show_unless_installed_deprecation
