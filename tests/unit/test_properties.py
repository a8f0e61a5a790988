"""Property-based tests (Hypothesis): the answer parser, the input checks and the channels.

* The parser (career_quiz/parsing.py) takes any text, at any open question, without an
  exception and returns only canonical values (README "Slot contract"); merging the
  result into canonical answers gives values the slot validators accept. Button
  payloads with any JSON yield canonical values only.
* The input checks (career_quiz/input_checks.py) follow their documented rules for any
  id and any text; no text that passes them makes Rasa read a built-in or unknown
  intent from it (checked with Rasa's own "/intent{...}" reader).
* The REST channel's blueprint (driven over ASGI, no server) and the socket.io message
  handler answer any body with 200 or 400, never 500, and pass on exactly the
  messages the input checks accept.

Every test runs with a bounded number of examples, no deadline and no example database
(nothing is written to the repository); a failure prints the falsifying example and a
`@reproduce_failure` blob.

Regression tests with the minimal reproducers of what these properties found (all
fixed): whitespace before a "/" (`whitespace_before_slash`), deeply nested JSON in a
payload, payload language codes outside the lexicon, and `clean_languages` accepting
a final newline.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import string
import sys
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, note, settings
from hypothesis import strategies as st

from career_quiz.answers import (
    ParsedAnswers,
    merge_answers,
    parse_payload_entities,
    payload_entities,
)
from career_quiz.contract import (
    LEVELS,
    QUIZ_SLOTS,
    SLOT_LANGUAGES,
    SLOT_TASK,
    SLOT_TRAINING,
    TASK_VALUES,
    TRAINING_VALUES,
    clean_languages,
    clean_task,
    clean_training,
)
from career_quiz.input_checks import (
    BAD_SENDER,
    BAD_TEXT,
    MAX_MESSAGE_CHARS,
    OK,
    TOO_LONG,
    check_message,
    screen_payload,
    user_intents,
    valid_sender,
    valid_text,
)
from career_quiz.lexicon import LABEL_LANGUAGE, load_lexicon
from career_quiz.parsing import MAX_PARSE_CHARS
from tests.helpers import ROOT

# Sanic warns on every ASGI request that startup listeners run early; that is how its
# test client works.
pytestmark = [pytest.mark.filterwarnings("ignore:You have set a listener:UserWarning")]


# `make unit` (the quick loop) runs a quarter of the examples; `make test` runs them all.
EXAMPLE_SHARE = float(os.environ.get("QUIZ_PROPERTY_EXAMPLE_SHARE") or 1)


def _settings(max_examples: int) -> settings:
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


def _stretch(base: str, length: int) -> str:
    base = base or "Bankkauffrau "
    return (base * (length // len(base) + 1))[:length]


long_texts = st.builds(_stretch, mixed_texts, st.integers(MAX_PARSE_CHARS - 50, 4000))
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


# -- the answer parser ---------------------------------------------------------------


def assert_canonical(parsed: ParsedAnswers) -> None:
    """Everything in `parsed` follows the slot contract's vocabularies: language codes
    are the lexicon's, and German is never listed as native.
    """
    assert isinstance(parsed, ParsedAnswers)
    assert isinstance(parsed.training, list) and len(set(parsed.training)) == len(parsed.training)
    assert set(parsed.training) <= set(TRAINING_VALUES) - {"none"}, parsed.training
    assert set(parsed.training_removed) <= set(TRAINING_VALUES), parsed.training_removed
    assert set(parsed.training_texts) <= set(TRAINING_VALUES)
    assert all(isinstance(v, str) for v in parsed.training_texts.values())
    assert parsed.unplaced_value in TRAINING_VALUES
    assert isinstance(parsed.languages, dict)
    for code, level in parsed.languages.items():
        assert isinstance(code, str) and re.fullmatch("[a-z]{2}", code), parsed.languages
        assert level in LEVELS, parsed.languages
    assert set(parsed.languages_removed) <= KNOWN_LANGUAGES, parsed.languages_removed
    assert set(parsed.languages) <= KNOWN_LANGUAGES, parsed.languages
    # README: German is listed only with a non-native level.
    assert parsed.languages.get("de") != "native", parsed.languages
    assert parsed.task is None or parsed.task in TASK_VALUES, parsed.task
    assert parsed.task_candidates == [] or (
        len(parsed.task_candidates) == 2
        and len(set(parsed.task_candidates)) == 2
        and set(parsed.task_candidates) <= set(TASK_VALUES)
    ), parsed.task_candidates
    assert not (parsed.task and parsed.task_candidates)
    for flag in (
        "no_training",
        "unplaced_training",
        "german_only",
        "dont_know",
        "skip",
        "tentative",
    ):
        assert isinstance(getattr(parsed, flag), bool), flag
    assert isinstance(parsed.question, str)
    assert isinstance(parsed.is_empty(), bool) and isinstance(parsed.asks, bool)


def assert_clean_updates(updates: Dict[str, Any]) -> None:
    """Slot updates are what the slot validators accept, unchanged."""
    assert set(updates) <= set(QUIZ_SLOTS), updates
    if SLOT_TRAINING in updates:
        value = updates[SLOT_TRAINING]
        assert clean_training(value) == value, value
        assert "none" not in value or value == ["none"], value
    if SLOT_LANGUAGES in updates:
        value = updates[SLOT_LANGUAGES]
        assert clean_languages(value) == value, value
        assert all(LANGUAGE_ENTRY.fullmatch(e) for e in value), value
        assert {e.split(":")[0] for e in value} <= KNOWN_LANGUAGES, value
    if SLOT_TASK in updates:
        assert clean_task(updates[SLOT_TASK]) == updates[SLOT_TASK], updates


@_settings(100)
@given(text=parser_texts, slot=requested_slots)
@example(text="Ich bin Bankkauffrau, spreche Englisch B2 und mag keine Projekte", slot=None)
@example(text="keine", slot=SLOT_LANGUAGES)
@example(text="İİİ Englisch İ fließend", slot=SLOT_LANGUAGES)
@example(text="\x00Bankkaufmann\x1b", slot=SLOT_TRAINING)
@example(text="", slot=SLOT_TASK)
def test_parser_never_raises_and_returns_canonical_answers(parser, text, slot):
    parsed = parser.parse(text, slot)
    assert_canonical(parsed)
    # Same input, same answer: no state leaks between messages through the caches.
    assert parser.parse(text, slot) == parsed


@_settings(80)
@given(text=st.one_of(mixed_texts, long_texts), slot=requested_slots, current=current_answers)
@example(text="Ich habe doch nicht studiert", slot=None, current={SLOT_TRAINING: ["degree"]})
@example(text="Englisch: keine", slot=SLOT_LANGUAGES, current={SLOT_LANGUAGES: ["en:good"]})
def test_merged_answers_pass_the_slot_validators_and_merging_twice_changes_nothing(
    parser, text, slot, current
):
    parsed = parser.parse(text, slot)
    updates = merge_answers(current, parsed, slot)
    note(f"parsed={parsed!r} updates={updates!r}")
    assert_clean_updates(updates)
    # The same message again on the updated answers changes nothing further.
    after = {**current, **updates}
    again = merge_answers(after, parsed, slot)
    assert all(after.get(k) == v for k, v in again.items()), again
    assert set(again) <= {slot}, again


@_settings(200)
@given(
    intent=st.one_of(st.sampled_from(["inform", "start_quiz", "restart"]), st.text(max_size=8)),
    data=st.one_of(st.dictionaries(entity_names, payload_values, max_size=5), json_values),
    raw=st.one_of(st.none(), st.text(max_size=60)),
)
@example(intent="inform", data={"training": "evil"}, raw=None)
@example(intent="inform", data={"languages": ["en:good\n"]}, raw=None)
@example(intent="inform", data=None, raw='{"training": ' + "[" * 1200)
def test_payload_parsing_yields_only_canonical_values(intent, data, raw):
    text = "/" + intent + (raw if raw is not None else json.dumps(data))
    entities = payload_entities(text)
    assert isinstance(entities, list)
    assert all(set(e) == {"entity", "value"} and isinstance(e["entity"], str) for e in entities)
    if raw is None and isinstance(data, dict) and "{" not in intent:
        assert [e["entity"] for e in entities] == list(data)
    parsed = parse_payload_entities(entities)
    assert_canonical(parsed)
    assert_clean_updates(merge_answers({}, parsed, None))


@_settings(200)
@given(
    entities=st.lists(
        st.fixed_dictionaries({"entity": entity_names, "value": payload_values}), max_size=6
    ),
    current=current_answers,
    slot=requested_slots,
)
@example(
    entities=[{"entity": "training", "value": ["office", "none", "evil"]}],
    current={},
    slot=SLOT_TRAINING,
)
@example(entities=[{"entity": "languages", "value": ["none"]}], current={}, slot=None)
def test_payload_entities_yield_canonical_values_only(entities, current, slot):
    """A crafted payload sets only canonical values."""
    parsed = parse_payload_entities(entities)
    assert_canonical(parsed)
    assert_clean_updates(merge_answers(current, parsed, slot))


@pytest.mark.parametrize("entry", ["xx:native", "zz:business", "de:native"])
def test_a_payload_sets_no_language_a_user_could_not_type(entry):
    parsed = parse_payload_entities([{"entity": "languages", "value": [entry]}])
    assert_canonical(parsed)


@_settings(200)
@given(value=st.one_of(json_values, st.lists(canonical_like, max_size=4), canonical_like))
@example(value=["office\n"])
@example(value=["en:good", "en:fluent"])
def test_slot_validators_return_canonical_values_or_none(value):
    """clean_* never raise; what they return is canonical (a forged slot value either
    comes back canonical or is refused).
    """
    training = clean_training(value)
    assert training is None or (
        set(training) <= set(TRAINING_VALUES)
        and training == [v for v in TRAINING_VALUES if v in training]
    )
    languages = clean_languages(value)
    assert languages is None or all(
        isinstance(e, str) and LANGUAGE_ENTRY.fullmatch(e) for e in languages
    ), languages
    task = clean_task(value)
    assert task is None or task in TASK_VALUES


def test_clean_languages_refuses_an_entry_with_a_final_newline():
    assert clean_languages(["en:good\n"]) is None


@contextmanager
def default_recursion_limit():
    """Python's default recursion limit, as in the Rasa and action servers (Hypothesis
    raises it while a property runs, so these checks are plain tests).
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


# Deeply nested JSON within the 2,000-character limit: json.loads raises RecursionError,
# which is no ValueError.
DEEP_UNCLOSED = '/inform{"training": ' + "[" * 1975
DEEP_CLOSED = '/inform{"training": ' + "[" * 985 + "]" * 985 + "}"


@pytest.mark.parametrize("text", [DEEP_UNCLOSED, DEEP_CLOSED], ids=["unclosed", "closed"])
def test_payload_entities_of_deeply_nested_json_do_not_raise(text):
    assert len(text) <= MAX_MESSAGE_CHARS
    with default_recursion_limit():
        entities = payload_entities(text)
    assert isinstance(entities, list)


@pytest.mark.parametrize("text", [DEEP_UNCLOSED, DEEP_CLOSED], ids=["unclosed", "closed"])
def test_check_message_of_deeply_nested_json_does_not_raise(text):
    """A channel calls check_message outside its error handling: an exception is a 500."""
    assert len(text) <= MAX_MESSAGE_CHARS
    with default_recursion_limit():
        verdict = check_message("user-1", text, frozenset({"inform"}), frozenset({"training"}))
    assert verdict.status == OK
    assert_rasa_reads_only_allowed(verdict.text, {"inform"}, {"training"})


# -- input checks ---------------------------------------------------------------------

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
    st.builds(_stretch, mixed_texts, st.integers(MAX_MESSAGE_CHARS - 3, MAX_MESSAGE_CHARS + 3)),
)


@_settings(300)
@given(value=any_sender_values)
@example(value="a" * 128)
@example(value="a" * 129)
@example(value="")
@example(value="abc\n")
@example(value="user:1.2_x-y")
@example(value="\u0130")
def test_valid_sender_is_exactly_the_whitelist(value):
    assert valid_sender(value) is expected_valid_sender(value)


@_settings(300)
@given(value=st.one_of(raw_texts, json_values, st.binary(max_size=10)))
@example(value="\udfff")
@example(value="ok\tok\r\nok")
@example(value="\x85")
@example(value="\u2028")
def test_valid_text_refuses_exactly_surrogates_and_control_characters(value):
    assert valid_text(value) is expected_valid_text(value)


intent_names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=10)


@st.composite
def screening_cases(draw):
    """(text, allowed intents, allowed entities): payload-like texts over random vocabularies."""
    domain = draw(st.sets(intent_names, max_size=6)) | set(
        draw(st.sets(st.sampled_from(sorted(BUILTIN_INTENTS))))
    )
    allowed = user_intents(domain, BUILTIN_INTENTS)
    entities = frozenset(draw(st.sets(st.one_of(entity_names, intent_names), max_size=5)))
    name = draw(
        st.one_of(
            st.sampled_from(sorted(domain) or ["x"]),
            intent_names,
            st.sampled_from(sorted(BUILTIN_INTENTS)),
            st.text(max_size=8),
        )
    )
    keys = draw(
        st.lists(st.one_of(st.sampled_from(sorted(entities) or ["x"]), entity_names), max_size=3)
    )
    body = draw(
        st.one_of(
            st.just(""),
            st.builds(
                lambda values: json.dumps(dict(zip(keys, values))),
                st.lists(payload_values, min_size=len(keys), max_size=len(keys)),
            ),
            st.builds(json.dumps, json_values),
            st.text(max_size=20),
            st.sampled_from(
                [
                    "{",
                    "{}",
                    "{}}",
                    '{"a": 1} x',
                    "@0.9",
                    "@1{}",
                    '{"training": ' + "[" * 300 + "]" * 300 + "}",
                ]
            ),
        )
    )
    prefix = draw(
        st.sampled_from(
            [
                "/",
                "/",
                "/",
                "//",
                "/ ",
                " /",
                "\t/",
                "\n/",
                "\u00a0/",
                "/\t/",
                "/\n/",
                "/ /",
                "",
                "x/",
                "\u3000/",
            ]
        )
    )
    suffix = draw(st.sampled_from(["", "", " ", "\n", " trailing"]))
    text = draw(st.one_of(st.just(prefix + name + body + suffix), raw_texts))
    return text, allowed, entities


@_settings(250)
@given(case=screening_cases())
@example(case=("/restart", frozenset({"inform"}), frozenset()))
@example(case=("/ /restart", frozenset({"inform"}), frozenset()))
@example(case=('/inform{"training": "office"} x', frozenset({"inform"}), frozenset({"training"})))
def test_screen_payload_lets_rasa_read_only_allowed_intents_and_entities(case):
    text, intents, entities = case
    screened = screen_payload(text, intents, entities)
    assert isinstance(screened, str)
    if not text.strip().startswith("/"):
        assert screened == text
    if screened.startswith("/"):
        name = screened[1:].partition("{")[0].strip()
        assert name in intents
    assert_rasa_reads_only_allowed(screened, intents, entities)


@_settings(300)
@given(
    intent=intent_names,
    data=st.dictionaries(
        st.sampled_from(["training", "languages", "task_preference", "skip"]),
        payload_values,
        max_size=3,
    ),
    ascii_only=st.booleans(),
)
def test_allowed_payloads_pass_unchanged(intent, data, ascii_only):
    """Buttons keep working: an allowed intent with allowed entities reaches Rasa as it is."""
    assume(intent not in BUILTIN_INTENTS)
    text = f"/{intent}" + (json.dumps(data, ensure_ascii=ascii_only) if data else "")
    assume(valid_text(text) and len(text) <= MAX_MESSAGE_CHARS)
    entities = frozenset({"training", "languages", "task_preference", "skip"})
    assert screen_payload(text, frozenset({intent}), entities) == text
    verdict = check_message("user-1", text, frozenset({intent}), entities)
    assert verdict.status == OK and verdict.text == text


@_settings(200)
@given(
    name=st.sampled_from(sorted(BUILTIN_INTENTS)),
    # Whitespace before the slash: test_whitespace_before_a_slash_smuggles_no_builtin_intent.
    prefix=st.sampled_from(["/", "//", "/ ", "/ /", "///", "/  "]),
    body=st.one_of(
        st.sampled_from(["", "{}", "@1.0", " ", '{"training": []}', "{", "@"]),
        st.builds(json.dumps, st.dictionaries(entity_names, json_values, max_size=2)),
    ),
    domain=st.sets(intent_names, max_size=5),
)
def test_builtin_intents_never_pass_as_payloads(name, prefix, body, domain):
    intents = user_intents(set(domain) | BUILTIN_INTENTS, BUILTIN_INTENTS)
    assert not intents & BUILTIN_INTENTS
    text = prefix + name + body
    verdict = check_message("user-1", text, intents, frozenset({"training"}))
    if verdict.ok:
        assert_rasa_reads_only_allowed(verdict.text, intents, {"training"})


@pytest.mark.parametrize(
    "text", [" /restart", "/\t/restart", "\u00a0/session_start", "\n/back", "/ \t/restart"]
)
def test_whitespace_before_a_slash_smuggles_no_builtin_intent(text):
    assert whitespace_before_slash(text)
    verdict = check_message("user-1", text, frozenset({"inform"}), frozenset({"training"}))
    if verdict.ok:
        assert_rasa_reads_only_allowed(verdict.text, {"inform"}, {"training"})


@_settings(200)
@given(
    sender=any_sender_values,
    text=st.one_of(raw_texts, json_values, st.binary(max_size=8)),
    max_chars=st.one_of(st.just(MAX_MESSAGE_CHARS), st.integers(0, 80)),
    case=screening_cases(),
)
@example(
    sender="u",
    text="/restart",
    max_chars=MAX_MESSAGE_CHARS,
    case=("", frozenset({"inform"}), frozenset()),
)
@example(
    sender="u\n",
    text="Hallo",
    max_chars=MAX_MESSAGE_CHARS,
    case=("", frozenset({"inform"}), frozenset()),
)
def test_check_message_verdicts_follow_the_rules(sender, text, max_chars, case):
    payload_text, intents, entities = case
    for candidate in (text, payload_text):
        verdict = check_message(sender, candidate, intents, entities, max_chars=max_chars)
        assert verdict.status in (OK, BAD_SENDER, BAD_TEXT, TOO_LONG)
        body = "" if candidate is None else candidate
        if not expected_valid_sender(sender):
            assert verdict.status == BAD_SENDER
        elif not expected_valid_text(body):
            assert verdict.status == BAD_TEXT
        elif len(body) > max_chars:
            assert verdict.status == TOO_LONG
        else:
            assert verdict.status == OK
        assert verdict.ok is (verdict.status == OK)
        if verdict.ok:
            assert valid_text(verdict.text) and len(verdict.text) <= max_chars
            if not body.strip().startswith("/"):
                assert verdict.text == body
            assert_rasa_reads_only_allowed(verdict.text, intents, entities)
        else:
            assert verdict.text == ""


# -- channels -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def domain():
    """The project's domain, as the loaded model carries it."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain"))


def assert_reaches_rasa_as_checked(message, text: str, domain) -> None:
    """What a channel passed on is valid, short, the visitor's text (stripped, as
    UserMessage stores it) unless it was a payload, and no payload Rasa would read as a
    built-in intent or a foreign entity.
    """
    assert valid_text(message.text) and len(message.text) <= MAX_MESSAGE_CHARS
    if not text.strip().startswith("/"):
        assert message.text == text.strip()
    else:
        assert message.text in (text.strip(), text.lstrip("/ ").strip())
    assert_rasa_reads_only_allowed(
        message.text, set(domain.intents) - BUILTIN_INTENTS, set(domain.entities)
    )


def assert_bot_messages(data: bytes) -> list:
    replies = json.loads(data)
    assert isinstance(replies, list) and replies, replies
    assert all(
        isinstance(r, dict) and isinstance(r.get("text"), str) and r["text"].strip()
        for r in replies
    ), replies
    return replies


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


class Recorder:
    """A fake `on_new_message`: records each UserMessage and answers it with one text."""

    def __init__(self) -> None:
        self.messages: List[Any] = []

    async def __call__(self, message) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Antwort")


def _credentials(name: str) -> Optional[Dict[str, Any]]:
    data = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    return data[name]


class AsgiClient:
    """Sends HTTP requests to a Sanic app over ASGI (no server, no socket)."""

    def __init__(self, app, loop) -> None:
        self.app, self.loop = app, loop
        self.loop.run_until_complete(self._lifespan())

    async def _lifespan(self) -> None:
        queue: asyncio.Queue = asyncio.Queue()
        await queue.put({"type": "lifespan.startup"})
        started = asyncio.Event()

        async def send(message):
            if message["type"].startswith("lifespan.startup"):
                started.set()

        self._lifespan_task = asyncio.ensure_future(
            self.app({"type": "lifespan", "asgi": {"version": "3.0"}}, queue.get, send)
        )
        await asyncio.wait_for(started.wait(), 30)

    def close(self) -> None:
        """Ends the lifespan task (the app has no shutdown work here)."""
        self._lifespan_task.cancel()
        self.loop.run_until_complete(asyncio.gather(self._lifespan_task, return_exceptions=True))

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        query: bytes = b"",
        content_type: bytes = b"application/json",
    ) -> Tuple[int, bytes]:
        return self.loop.run_until_complete(self._request(method, path, body, query, content_type))

    async def _request(self, method, path, body, query, content_type) -> Tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query,
            "root_path": "",
            "headers": [
                (b"host", b"test"),
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 80),
        }
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        sent: List[Dict[str, Any]] = []

        async def receive():
            if pending:
                return pending.pop(0)
            await asyncio.sleep(3600)  # the client never disconnects early

        async def send(message):
            sent.append(message)

        await asyncio.wait_for(self.app(scope, receive, send), 30)
        status = next(m["status"] for m in sent if m["type"] == "http.response.start")
        data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return status, data


@pytest.fixture(scope="module")
def rest(loop, domain):
    """The REST channel's blueprint in a small Sanic app, with a recording on_new_message.

    `app.ctx.agent.domain` is the project's domain, as in the Rasa server.
    """
    from sanic import Sanic

    from rasa_addons.rest_channel import SafeRestInput

    asyncio.set_event_loop(loop)
    recorder = Recorder()
    channel = SafeRestInput.from_credentials(_credentials("rasa_addons.rest_channel.SafeRestInput"))
    app = Sanic("quiz_property_tests_rest")
    app.ctx.agent = SimpleNamespace(domain=domain)
    app.blueprint(channel.blueprint(recorder), url_prefix="/webhooks/rest")
    client = AsgiClient(app, loop)
    yield SimpleNamespace(client=client, recorder=recorder, domain=domain)
    client.close()


def _json_body(value: Any, ascii_only: bool) -> bytes:
    # Lone surrogates: escaped ("\udfff") with ensure_ascii, raw (invalid UTF-8) without.
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


rest_objects = st.fixed_dictionaries(
    {},
    optional={
        "sender": sender_values,
        "message": st.one_of(raw_texts, json_values),
        "metadata": json_values,
        "input_channel": json_values,
        "stream": json_values,
    },
)
rest_bodies = st.one_of(
    st.builds(_json_body, rest_objects, st.booleans()),
    st.builds(
        _json_body,
        st.fixed_dictionaries(
            {
                "sender": st.text(alphabet=SENDER_ALPHABET, min_size=1, max_size=30),
                "message": raw_texts,
            }
        ),
        st.booleans(),
    ),
    st.builds(_json_body, json_values, st.booleans()),
    st.binary(max_size=80),
    st.sampled_from(
        [
            b"",
            b"{",
            b"null",
            b"[]",
            b'{"sender": "a", "message": "x"',
            b"\xff\xfe",
            b'{"sender": "a\\udfff", "message": "x"}',
            b'{"sender": "a", "message": "\\udfff"}',
            b'{"sender": "a", "message": "\\u0000"}',
            b'{"sender": "a", "message": NaN}',
            b'{"sender": "a", "sender": "b", "message": "x"}',
        ]
    ),
)


def _request_view(body: bytes):
    """(sender, text) as the body carries them, or None when it is no JSON object."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return data.get("sender"), data.get("message")


@_settings(300)
@given(body=rest_bodies, query=st.sampled_from([b"", b"", b"stream=true", b"stream=false"]))
@example(body=b'{"sender": "a.b:c", "message": "Hallo"}', query=b"")
@example(body=b'{"sender": "u1", "message": "\\udfff"}', query=b"")
@example(body=b'{"sender": "u1", "message": "a\\u0000b"}', query=b"")
@example(body=b'{"sender": "u1\\n", "message": "Hallo"}', query=b"")
@example(body=json.dumps({"sender": "u1", "message": "x" * 2001}).encode(), query=b"")
@example(body=b'{"sender": "u1", "message": "/restart"}', query=b"")
@example(body=b'{"sender": "u1", "message": "/inform{\\"training\\": \\"evil\\"}"}', query=b"")
def test_rest_channel_answers_200_or_400_and_passes_on_only_checked_messages(rest, body, query):
    before = len(rest.recorder.messages)
    status, data = rest.client.request("POST", "/webhooks/rest/webhook", body, query)
    calls = rest.recorder.messages[before:]
    note(f"status={status} response={data[:300]!r} calls={[(m.sender_id, m.text) for m in calls]}")
    assert status in (200, 400), status
    view = _request_view(body)
    if view is None:
        assert status == 400 and not calls
        assert_bot_messages(data)
        return
    sender, text = view
    text = "" if text is None else text
    if not expected_valid_sender(sender) or not expected_valid_text(text):
        assert status == 400 and not calls
        assert_bot_messages(data)
        return
    assert status == 200
    if len(text) > MAX_MESSAGE_CHARS:
        assert not calls, "an over-long message reached Rasa"
        assert_bot_messages(data)  # "please shorten"
        return
    assert len(calls) == 1
    message = calls[0]
    assert message.sender_id == sender
    assert message.input_channel == "rest"
    assert message.metadata is None or isinstance(message.metadata, dict)
    assert_reaches_rasa_as_checked(message, text, rest.domain)
    # The bot's replies come back as they were sent.
    assert json.loads(data) == [{"recipient_id": sender, "text": "Antwort"}]


def test_rest_channel_passes_no_builtin_intent_after_whitespace(rest):
    before = len(rest.recorder.messages)
    status, _ = rest.client.request(
        "POST", "/webhooks/rest/webhook", b'{"sender": "u1", "message": " /restart"}'
    )
    assert status == 200
    (message,) = rest.recorder.messages[before:]
    assert_reaches_rasa_as_checked(message, " /restart", rest.domain)


@_settings(50)
@given(
    path=st.sampled_from(["/webhooks/rest/", "/webhooks/rest/webhook"]),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS"]),
    body=st.binary(max_size=30),
)
def test_rest_channel_other_methods_never_fail(rest, path, method, body):
    status, _ = rest.client.request(method, path, body)
    assert status < 500, status


@pytest.fixture(scope="module")
def socket_channel(loop, domain):
    """The socket.io channel as credentials.yml configures it, registered on a Sanic
    app whose `ctx.agent.domain` is the project's domain; emits are recorded.
    """
    from sanic import Sanic

    from rasa_addons.socketio_channel import WidgetSocketIOInput

    recorder = Recorder()
    channel = WidgetSocketIOInput.from_credentials(
        _credentials("rasa_addons.socketio_channel.WidgetSocketIOInput")
    )
    app = Sanic("quiz_property_tests_socketio")
    app.ctx.agent = SimpleNamespace(domain=domain)
    app.blueprint(channel.blueprint(recorder))
    sio = channel.sio
    emits: List[Tuple[tuple, dict]] = []
    rooms: List[Tuple[str, str]] = []

    async def emit(*args, **kwargs):
        emits.append((args, kwargs))

    def enter_room(sid, room, namespace=None):
        rooms.append((sid, room))

    sio.emit = emit  # the handlers look these up on the server object at call time
    sio.enter_room = enter_room
    handlers = sio.handlers[channel.namespace or "/"]
    return SimpleNamespace(
        channel=channel,
        recorder=recorder,
        emits=emits,
        rooms=rooms,
        handlers=handlers,
        loop=loop,
        domain=domain,
    )


socket_data = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "session_id": sender_values,
            "message": st.one_of(raw_texts, json_values),
            "metadata": st.one_of(json_values, st.builds(json.dumps, json_values)),
            "customData": json_values,
        },
    ),
    st.fixed_dictionaries(
        {
            "session_id": st.text(alphabet=SENDER_ALPHABET, min_size=1, max_size=40),
            "message": raw_texts,
        }
    ),
)


@_settings(300)
@given(sid=st.text(max_size=20), data=socket_data)
@example(sid="s", data={"session_id": "a.b:c", "message": "Hallo"})
@example(sid="s", data={"session_id": "abc", "message": "\udfff"})
@example(sid="s", data={"session_id": "abc", "message": "x" * 2001})
@example(sid="s", data={"session_id": "abc", "message": "/restart"})
@example(sid="s", data={"session_id": "abc\n", "message": "Hallo"})
def test_socketio_message_handler_passes_on_only_checked_messages(socket_channel, sid, data):
    sc = socket_channel
    handler = sc.handlers[sc.channel.user_message_evt]
    before_calls, before_emits = len(sc.recorder.messages), len(sc.emits)
    sc.loop.run_until_complete(handler(sid, data))
    calls = sc.recorder.messages[before_calls:]
    emits = sc.emits[before_emits:]
    note(f"calls={[(m.sender_id, m.text) for m in calls]} emits={emits!r}")
    refusals = [e for e in emits if e[0] and e[0][0] == "quiz_error"]
    if not isinstance(data, dict):
        assert not calls and refusals
        return
    session_id = data.get("session_id")
    text = "" if data.get("message") is None else data.get("message")
    if not expected_valid_sender(session_id) or not expected_valid_text(text):
        assert not calls, "a refused message reached Rasa"
        # Refused with an error event ({"error", "message"}) to the socket.
        assert refusals and all(
            e[1].get("room") == sid and e[0][1].get("message") for e in refusals
        ), emits
        return
    assert not refusals, emits
    if len(text) > MAX_MESSAGE_CHARS:
        assert not calls, "an over-long message reached Rasa"
        shorten = [e for e in emits if e[0] and e[0][0] == sc.channel.bot_message_evt]
        assert shorten and all(
            isinstance(e[0][1], dict) and e[0][1].get("text") for e in shorten
        ), emits
        return
    assert len(calls) == 1
    message = calls[0]
    assert message.sender_id == session_id
    assert message.input_channel == "socketio"
    assert isinstance(message.metadata, dict)
    assert_reaches_rasa_as_checked(message, text, sc.domain)


@_settings(200)
@given(
    sid=st.text(max_size=20),
    data=st.one_of(json_values, st.fixed_dictionaries({}, optional={"session_id": sender_values})),
)
@example(sid="s", data={"session_id": "a.b:c"})
@example(sid="s", data={"session_id": "\udfff"})
def test_socketio_session_request_confirms_a_valid_session_id(socket_channel, sid, data):
    sc = socket_channel
    before = len(sc.emits)
    sc.loop.run_until_complete(sc.handlers["session_request"](sid, data))
    confirms = [e for e in sc.emits[before:] if e[0] and e[0][0] == "session_confirm"]
    assert len(confirms) == 1
    confirmed = confirms[0][0][1]
    assert valid_sender(confirmed)
    given_id = data.get("session_id") if isinstance(data, dict) else None
    if expected_valid_sender(given_id):
        assert confirmed == given_id
    if sc.channel.session_persistence:
        assert sc.rooms[-1] == (sid, confirmed)
