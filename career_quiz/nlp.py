"""The project's German spaCy pipeline: build it from the lexicon, load it lazily.

No pretrained German pipeline can be installed on our machines, so the project
builds its own: spacy.blank("de") + lookup lemmatizer (spacy-lookups-data) +
an entity ruler whose patterns come from data/knowledge/lexicon.yml.
Rasa's SpacyNLP loads the saved folder (config.yml), and so does the parser.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, List, Optional

from career_quiz import settings
from career_quiz.lexicon import Lexicon, lexicon

RULER_NAME = "entity_ruler"


def build_pipeline(lex: Lexicon, base: str = "blank:de"):
    """Returns a spaCy Language with lemmatizer and entity ruler built from `lex`.

    Args:
        lex: the lexicon whose terms become ruler patterns.
        base: "blank:de" for the project's own pipeline, or the name of an
            installed German pipeline (e.g. "de_core_news_md") to add the ruler to.
    """
    import spacy  # heavy import, kept out of module import time

    if base.startswith("blank:"):
        nlp = spacy.blank(base.split(":", 1)[1])
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    else:
        nlp = spacy.load(base)
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        before=before,
        config={"overwrite_ents": True, "validate": True},
    )
    tokenize = make_tokenize(nlp)
    ruler.add_patterns(  # type: ignore[attr-defined]  # add_pipe is typed as returning a Pipe
        lex.ruler_patterns(tokenize)
    )
    nlp.meta["name"] = "backoffice"
    nlp.meta["description"] = f"Career-quiz pipeline built from lexicon {lex.version}"
    nlp.meta["lexicon_version"] = lex.version
    return nlp


def make_tokenize(nlp) -> Callable[[str], List[str]]:
    """A cached function that tokenises a phrase the way `nlp` does, lowercased."""

    @lru_cache(maxsize=None)
    def _tokenize(text: str) -> tuple:
        return tuple(t.lower_ for t in nlp.make_doc(text))

    return lambda text: list(_tokenize(text))


def save_pipeline(nlp, path: Path) -> None:
    """Writes the pipeline to `path` (a folder Rasa's SpacyNLP can load)."""
    path.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)


@lru_cache(maxsize=1)
def in_memory_pipeline():
    """The pipeline built from the lexicon in memory, once per process (no disk state)."""
    return build_pipeline(lexicon())


@lru_cache(maxsize=1)
def pipeline(model: Optional[str] = None):
    """The parser's spaCy pipeline, loaded once per process on first use.

    Loads `model` (default: the folder `make spacy` builds). When it cannot be
    loaded, the pipeline is built in memory from the lexicon, so the parser
    works before `make spacy` ran; a pipeline without our ruler (for example a
    plain de_core_news_md) gets the ruler added.
    """
    import spacy

    model = model or settings.spacy_model()
    try:
        nlp = spacy.load(model)
    except OSError:
        return in_memory_pipeline()
    if RULER_NAME in nlp.pipe_names:
        return nlp
    return build_pipeline(lexicon(), base=model)
