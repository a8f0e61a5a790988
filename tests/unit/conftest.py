"""Unit tests run without anything `make` builds: no trained Rasa model, no saved spaCy
pipeline or work-preference classifier, no npm, no browser, no server.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _knowledge_files_only(tmp_path_factory):
    """Points the parser at a spaCy model folder that does not exist, so the actions build
    the pipeline and the classifier in memory from data/knowledge/ (as after a fresh
    clone), whatever `make spacy` left in models/.
    """
    patch = pytest.MonkeyPatch()
    missing = tmp_path_factory.mktemp("unbuilt") / "de_backoffice"
    patch.setenv("QUIZ_SPACY_MODEL", str(missing))
    yield
    patch.undo()
