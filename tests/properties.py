"""Shared parts of the property-based tests (Hypothesis): the example budget, oracles
written independently of the code under test, and the strategies that generate texts,
ids and JSON.

Every property test runs with a bounded number of examples (`property_settings`), no deadline
and no example database (nothing is written to the repository); a failure prints the
falsifying example and a `@reproduce_failure` blob. `make unit` runs a quarter of the
examples (QUIZ_PROPERTY_EXAMPLE_SHARE=0.25), `make test` all of them.
"""

from __future__ import annotations

import os
import re
import string
from typing import Any, Optional, Tuple

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from career_quiz.contract import (
    LEVELS,
    SLOT_LANGUAGES,
    SLOT_TASK,
    SLOT_TRAINING,
    TASK_VALUES,
    TRAINING_VALUES,
)
from career_quiz.input_checks import MAX_MESSAGE_CHARS
from career_quiz.lexicon import LABEL_LANGUAGE, load_lexicon
from career_quiz.parsing import MAX_PARSE_CHARS

# `make unit` (the quick loop) runs a quarter of the examples; `make test` runs them all.
EXAMPLE_SHARE = float(os.environ.get("QUIZ_PROPERTY_EXAMPLE_SHARE") or 1)


def property_settings(max_examples: int) -> settings:
    return settings(
        max_examples=max(10, round(max_examples * EXAMPLE_SHARE)),
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


# -- oracles, written independently of the code under test ---------------------

SENDER_CHARS = frozenset(string.ascii_letters + string.digits + "_.:-")
SENDER_ALPHABET = "".join(sorted(SENDER_CHARS))
# Lone surrogates (U+D800-U+DFFF) and control characters (C0, DEL, C1) except tab, LF, CR.
ALLOWED_CONTROLS = frozenset("\t\n\r")
# Rasa's built-in intents (rasa.shared.core.constants.DEFAULT_INTENTS in Rasa 3.6).
BUILTIN_INTENTS = frozenset({"restart", "back", "out_of_scope", "session_start", "nlu_fallback"})
# A canonical language entry, matched in full (a "$" would also accept a final newline).
LANGUAGE_ENTRY = re.compile(r"[a-z]{2}:(?:basic|good|fluent|business|native)")


def expected_valid_sender(value: Any) -> bool:
    return (
        isinstance(value, str) and 1 <= len(value) <= 128 and all(c in SENDER_CHARS for c in value)
    )


def is_forbidden_char(char: str) -> bool:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return True
    return (code < 0x20 or 0x7F <= code <= 0x9F) and char not in ALLOWED_CONTROLS


def expected_valid_text(value: Any) -> bool:
    return isinstance(value, str) and not any(is_forbidden_char(c) for c in value)


def rasa_reading(text: str) -> Optional[Tuple[str, frozenset]]:
    """(intent, entity names) Rasa reads from a message text as its own "/intent{...}"
    shortcut, or None when Rasa treats the text as words.

    Uses Rasa's own pattern and entity reader on the text as UserMessage stores it
    (UserMessage strips the text; so does the reader).
    """
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    user_text = text.strip()
    if not user_text.startswith("/"):
        return None
    match = YAMLStoryReader._regex_message_pattern().match(user_text)
    if not match:
        return None
    intent = YAMLStoryReader._intent_name_from_regex_match(match, None)
    try:
        entities = YAMLStoryReader._entities_from_regex_match(match, None, None)
    except RecursionError:  # Rasa itself would fail on this text
        return intent, frozenset({"<json Rasa cannot read>"})
    return intent, frozenset(e["entity"] for e in entities)


def assert_rasa_reads_only_allowed(text: str, intents, entities) -> None:
    reading = rasa_reading(text)
    if reading is None:
        return
    intent, names = reading
    assert intent in intents, f"Rasa would read the intent {intent!r} from {text!r}"
    assert intent not in BUILTIN_INTENTS, f"built-in intent {intent!r} passes in {text!r}"
    assert names <= set(entities), f"Rasa would read the entities {names} from {text!r}"


def whitespace_before_slash(text: Any) -> bool:
    r"""Whitespace before a "/" (" /restart", "/\\t/restart"): UserMessage strips it, so
    Rasa would read the payload if the check did not strip it too.
    """
    if not isinstance(text, str):
        return False
    if not text.startswith("/"):
        return text.strip().startswith("/")
    rest = text.lstrip("/ ")
    return rest != rest.lstrip() and rest.strip().startswith("/")


# -- strategies -------------------------------------------------------------------

LEXICON = load_lexicon()
KNOWN_LANGUAGES = frozenset(
    {t.id for t in LEXICON.terms_for(LABEL_LANGUAGE)} | set(LEXICON.language_names)
)
LEXICON_PHRASES = sorted(
    {t.value for t in LEXICON.terms if t.kind == "phrase"}
    | {w for words in LEXICON.level_cues.values() for w in words}
    | {w for words in LEXICON.cues.values() for w in words}
)
QUIZ_WORDS = [
    "Bankkauffrau",
    "Bankkaufmann",
    "Kauffrau für Büromanagement",
    "Dipl.-Kffr. (FH)",
    "BWL studiert",
    "Master in BWL",
    "Ausbildung",
    "Lehre",
    "Studium abgebrochen",
    "weder Lehre noch Uni",
    "nur Abitur",
    "keine",
    "kein",
    "nicht",
    "nein",
    "nie",
    "Englisch B2",
    "ES B2, IT A2",
    "it: a2",
    "(EN) C1",
    "fließend Englisch",
    "etwas Spanisch",
    "Tschechisch spreche ich nicht",
    "Muttersprache Russisch",
    "Deutsch",
    "nur Deutsch",
    "Schulenglisch",
    "nicht so gut",
    "verhandlungssicher",
    "Fremdsprachen? Leider nicht",
    "Projekte",
    "Projekte statt Ablage",
    "lieber als",
    "Buchhaltung",
    "Termine und Reisen",
    "Reisekostenabrechnung",
    "Assistenz der Geschäftsleitung",
    "IT",
    "Fach-Backoffice",
    "weiß nicht",
    "Überspringen",
    "Geht Sie nichts an",
    "brauche ich dafür ein Studium?",
    "Was heißt verhandlungssicher?",
    "Bankkauffrau?",
    "und",
    "aber",
    "sowie",
    "oder",
    ",",
    ".",
    "?",
    "!",
    ":",
    "-",
    "–",
    "(",
    ")",
    "/",
    "&",
    "\n",
]
ODD_CHARS = [
    "\u200b",
    "\u200d",
    "\u200e",
    "\u202e",
    "\ufeff",
    "\u00ad",
    "\u0301",
    "\u0308",
    "ß",
    "ẞ",
    "İ",
    "ı",
    "ﬀ",
    "ǅ",
    "Ⅻ",
    "①",
    "Ｂａｎｋ",
    "\u2028",
    "\u2029",
    "\u00a0",
    "\u3000",
    "\t",
    "\r\n",
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "🙂",
    "👩‍💼",
    "𝔅𝔞𝔫𝔨",
    "\U0010ffff",
    "\ufffd",
    "ä",
    "ae",
    "ö",
    "ü",
    "Ä",
    "É",
    "ç",
    "ـ",
    "ש",
    "中文",
    "\\",
    '"',
    "'",
    "{",
    "}",
    "@",
    "%s",
]

words = st.one_of(
    st.sampled_from(QUIZ_WORDS),
    st.sampled_from(LEXICON_PHRASES),
    st.sampled_from(LEXICON_PHRASES).map(str.title),
    st.sampled_from(LEXICON_PHRASES).map(str.upper),
    st.sampled_from(ODD_CHARS),
    st.text(max_size=6),
)
separators = st.sampled_from([" ", " ", " ", ", ", ". ", "? ", "\n", "", " und ", " - ", "  "])
mixed_texts = st.lists(st.tuples(words, separators), max_size=25).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


def stretch(base: str, length: int) -> str:
    base = base or "Bankkauffrau "
    return (base * (length // len(base) + 1))[:length]


long_texts = st.builds(stretch, mixed_texts, st.integers(MAX_PARSE_CHARS - 50, 4000))
# Any text without lone surrogates (st.text's default), odd characters and quiz words.
parser_texts = st.one_of(st.text(max_size=300), mixed_texts, long_texts)
requested_slots = st.one_of(
    st.sampled_from([SLOT_TRAINING, SLOT_LANGUAGES, SLOT_TASK, None]),
    st.text(max_size=12),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
canonical_like = st.one_of(
    st.sampled_from(TRAINING_VALUES + TASK_VALUES + LEVELS),
    st.builds(
        lambda c, lv: f"{c}:{lv}",
        st.sampled_from(sorted(KNOWN_LANGUAGES) + ["xx", "EN"]),
        st.sampled_from(LEVELS + ("expert",)),
    ),
    st.builds(
        lambda v, s: v + s,
        st.sampled_from(TRAINING_VALUES + ("en:good",)),
        st.sampled_from(["\n", " ", "\t", "X"]),
    ),
)
payload_values = st.one_of(
    json_values,
    canonical_like,
    st.lists(canonical_like, max_size=4),
    st.lists(st.one_of(canonical_like, json_values), max_size=4),
)
entity_names = st.one_of(
    st.sampled_from(
        [
            SLOT_TRAINING,
            SLOT_LANGUAGES,
            SLOT_TASK,
            "skip",
            "recommended_variant",
            "variant_scores",
            "quiz_state",
        ]
    ),
    st.text(max_size=10),
)

canonical_training = st.one_of(
    st.none(),
    st.just(["none"]),
    st.lists(st.sampled_from([v for v in TRAINING_VALUES if v != "none"]), unique=True).map(
        lambda vs: [v for v in TRAINING_VALUES if v in vs]
    ),
)
canonical_languages = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(sorted(KNOWN_LANGUAGES - {"de"})), st.sampled_from(LEVELS), max_size=4
    ).map(lambda d: [f"{c}:{lv}" for c, lv in d.items()]),
)
current_answers = st.fixed_dictionaries(
    {},
    optional={
        SLOT_TRAINING: canonical_training,
        SLOT_LANGUAGES: canonical_languages,
        SLOT_TASK: st.one_of(st.none(), st.sampled_from(TASK_VALUES)),
    },
)


# -- ids and texts as clients send them --------------------------------------------

sender_values = st.one_of(
    st.text(alphabet=SENDER_ALPHABET, min_size=0, max_size=140),
    st.text(alphabet=SENDER_ALPHABET, min_size=126, max_size=130),
    st.builds(
        lambda s, t: s + t,
        st.text(alphabet=SENDER_ALPHABET, min_size=1, max_size=20),
        st.sampled_from(["\n", " ", "\x00", "\udfff", "é", "/", "١", "ａ", "K"]),
    ),
    st.text(max_size=40),
    st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=20),
    st.binary(max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    json_values,
    st.integers(),
    st.none(),
)
# ids a JSON body or a socket.io event can carry, and (for the plain checks) bytes.
any_sender_values = st.one_of(sender_values, st.binary(max_size=10))
# Unicode text that may include lone surrogates and control characters.
any_chars = st.characters(min_codepoint=0, max_codepoint=0x10FFFF)
raw_texts = st.one_of(
    st.text(any_chars, max_size=60),
    st.text(max_size=60),
    mixed_texts,
    st.builds(
        lambda a, c, b: a + c + b,
        st.text(max_size=20),
        st.sampled_from(
            [
                "\udfff",
                "\ud800",
                "\x00",
                "\x1b",
                "\x7f",
                "\x85",
                "\x9f",
                "\t",
                "\n",
                "\r",
                "\u2028",
                "\ufeff",
                "\U0001f642",
            ]
        ),
        st.text(max_size=20),
    ),
    st.builds(stretch, mixed_texts, st.integers(MAX_MESSAGE_CHARS - 3, MAX_MESSAGE_CHARS + 3)),
)
