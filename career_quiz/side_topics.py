"""Which side-question topic a message names, from words (data/knowledge/side_topics.yml).

Plain Python (no rasa). The intent classifier sees a whole message, so in "Ich bin
Steuerfachangestellte – reicht das?" the answer part can outweigh the question, and a
short "Und was verdient man da so?" can look like small talk. These patterns name the
topic of the question part; rasa_addons/side_topics.py puts it above the classifier's
guess, and actions/actions.py uses it for the question in a mixed message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Pattern, Sequence, Tuple

import yaml

from career_quiz import english, settings, side_answers, side_model
from career_quiz.lexicon import lexicon
from career_quiz.questions import QuestionCues, sentences, split_message

# Intents the classifier gives to quiz answers: a message it reads so is only taken for
# a topic by its question part.
ANSWER_INTENTS = frozenset({"inform", "dont_know"})
# Below this the classifier's guess is weak (config.yml's FallbackClassifier threshold).
CONFIDENT = 0.7
# Intents that end a conversation well; one of them is never replaced by another.
CLOSING = frozenset({"goodbye", "chitchat_thanks", "feedback_positive"})
# The answer to a question nothing else answers.
UNKNOWN = "out_of_scope"
# Letters without words ("asdfghjkl qwertz"): Rasa's fallback intent, "nicht verstanden".
NOT_UNDERSTOOD = "nlu_fallback"
KEYBOARD_ROWS = (
    "qwertzuiopü",
    "qwertyuiop",
    "asdfghjklöä",
    "yxcvbnm",
    "zxcvbnm",
    "qaywsxedcrfvtgbzhnujmikolp",
)
# A farewell: it wins in a message without "?" ("keine lust mehr, tschüss").
GOODBYE = "goodbye"
GREET = "greet"
# Feedback keeps its intent beside a farewell (actions/actions.py stores it).
FEEDBACK = frozenset({"feedback_positive", "feedback_negative"})
# Negative feedback beside a farewell is a goodbye unless it judges the chat (fresh16:
# "stop, ich will nicht mehr" got "Das tut mir leid" and the question again).
NEGATIVE = "feedback_negative"
JUDGED = re.compile(
    r"schlecht|mist\b|müll|nutzlos|sinnlos|blöd|doof|enttäusch|unbrauchbar|quatsch|schrott"
    r"|nicht (hilfreich|geholfen|gut)|bringt (mir )?nichts|falsch|unsinn|blödsinn|käse|kacke"
)
# A message in English: the bilingual notice that the quiz is German (domain/side_questions.yml).
ENGLISH = "english"
# Praise of the chat ("hat Spaß gemacht", "hilfreich"): words no quiz answer holds.
PRAISE = frozenset({"feedback_positive"})
# Question topics (domain/faq.yml, domain/side_questions.yml) and the confidence at which
# the classifier's guess of one is taken for a message in question form.
TOPIC_PREFIX = "faq_"
PLAUSIBLE = 0.4
# Topics only a question names: words of an answer too ("Grundkenntnisse", "B2").
QUESTION_ONLY = frozenset(
    {"faq_verhandlungssicher", "faq_cefr", "faq_languages_needed", "faq_german", "faq_commercial"}
)
# "reicht das?" beside an answer, unless the answer part names a topic of its own.
BESIDE_AN_ANSWER = frozenset({"faq_enough"})
# Sub-topics with an answer of their own, each asked like its parent topic.
SUB_TOPICS = {
    "faq_recognition_procedure": "faq_recognition",
    "faq_retraining_voucher": "faq_retraining",
    "faq_retraining_external": "faq_retraining",
    "faq_training_exam": "faq_training_duration",
}
RECOGNITION = "faq_recognition"
# Topics of a question part whose `excludes` the whole message's statement can match.
RULED_OUT_BY_STATEMENT = frozenset({*SUB_TOPICS, "ask_fit"})
# A statement that changes what the question part asks: (the topic the whole message
# names, the question topics it takes over), first match wins. "ich hab gar keine
# ausbildung. kann ich trotzdem bei der ihk die prüfung machen?" asks for the
# Externenprüfung; "Versicherungsausbildung in Italien abgeschlossen. Welche Stelle bei
# der IHK ist zuständig?" for recognition (IHK FOSA).
WHOLE_OVER_QUESTION = (
    (
        "faq_retraining_external",
        frozenset({"faq_ihk", "faq_recognition", "faq_retraining", "faq_training_exam"}),
    ),
    (RECOGNITION, frozenset({"faq_ihk"})),
    # "Ich kann nur Deutsch, reicht das auch?": whether a foreign language is needed.
    ("faq_languages_needed", frozenset({"faq_enough"})),
)
WHOLE_FIRST = frozenset(
    {
        "faq_recognition",
        "faq_retraining",
        *(k for k, v in SUB_TOPICS.items() if v in ("faq_recognition", "faq_retraining")),
    }
)
# A question nothing else places goes to the topic of the nearest fact when their
# similarity reaches FACTS_ROUTE; also when the classifier calls it out of scope.
FACTS_ROUTE = 0.35
UNPLACED = frozenset({"out_of_scope", "nlu_fallback"})
# An interrogative and its verb, anywhere in a message ("c1 was kann man da").
ASKING = re.compile(
    r"\b(was|wie( viel(e)?| lange?| oft)?|wo|wer|wann|warum|wieso|welche[rsnm]?) (kann|können|"
    r"bedeutet|heißt|ist|sind|muss|brauche|braucht|bekommt|verdient|zahlt|gibt|bewertet|hilft|"
    r"berät)\b|\b(erklären sie|in worten)\b|\b(recht|anspruch) auf\b"
    # "grundkenntnisse = welches niveau", "was kriegt man als azubi", "wie schätz ich ...":
    # an interrogative before a verb and its subject.
    r"|\bwelche[srnm]? (level|niveau|stufe|sprachniveau)\b"
    r"|^(\w+ )?(was|wie|wo|wann|warum|wieso|weshalb) (?!ich|man|sie|es|du|wir)\w+"
    r" (ich|man|du|wir)\b"
    # An indirect question ("mein sohn … will wissen wie lang die ausbildung geht", fresh18).
    r"|\b(will|möchte|wollte|würde gerne?|hätte gerne?|möchten) (\w+ )?(wissen|erfahren),?"
    r" (wie|was|wo|wann|ob|welche[srnm]?|wer|warum|wieso)\b"
)
# A statement that ends like a question ("homeoffice in einer arztpraxis geht das",
# "umschulung mit 50 noch möglich"): no "?", but asked all the same.
TRAILING_ASK = re.compile(
    r"\b((geht|klappt|funktioniert|läuft|gibt'?s|lohnt) (das|es|sich das)"
    r"( so| überhaupt| auch| noch)?"
    r"|(möglich|machbar|realistisch|sinnvoll|normal)( so)?|oder nicht|oder was"
    # "halbe stelle im sekretariat, realistisch oder eher schwierig"
    r"|(möglich|machbar|realistisch) oder (eher )?(nicht|schwierig|schwer|unrealistisch))\W*$"
)
# Another topic named by the words replaces the first one when one of its facts fits
# the message better by this much (cosine similarity, career_quiz/side_answers.py).
RERANK_MARGIN = 0.1
# Where a message of two questions splits: "?", ";", or "und"/"oder" before a question word.
CLAUSE_BREAK = re.compile(
    r"\?|;|\s(?:und|oder)\s+(?=(?:wie|was|wo|wer|wann|welche\w*|ob|gibt|kann|muss|ist|sind)\b)",
    re.IGNORECASE,
)
# Words that ask without naming a topic ("und wie lange dauert das?").
GENERIC_WORDS = frozenset({"lange", "lang", "dauert", "dauer", "kostet", "kosten", "läuft", "geht"})
# Words of a question part that ask about what the message already said ("ist das normal
# so?", "lohnt sich das noch?", "Ist das möglich?").
BACK_REFERRING = GENERIC_WORDS | frozenset(
    {"normal", "möglich", "machbar", "realistisch", "sinnvoll", "lohnt", "sich", "tun"}
    | {"klappt", "funktioniert", "überhaupt", "okay", "ok", "üblich", "schlimm", "weg"}
    | {"mach", "mache", "machen", "vorgehen", "anstellen", "anfangen", "nun", "jetzt"}
)
# The answer to a question on the visitor's own case: the result and its reasons tell.
OWN_CASE = "faq_enough"
# A complaint that the bot answered what was not asked.
NOT_ASKED = "feedback_negative"
# Words of a question part that point at the statement part before it.
POINTING_BACK = frozenset(
    {"das", "dies", "dieses", "dafür", "dazu", "damit", "davor", "vorher", "dort", "dabei"}
)
# An emoji between words ends a sentence ("nur deutsch leider 🙈 achso und gibts …?").
EMOJI_BREAK = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]\\s+(?=\\w)")
# The key of the parse data that names a topic found by these words.
SIDE_TOPIC_KEY = "side_topic"
# Topics that a message asks about as a whole: named by words in a message whose question
# part the splitter missed ("zahlt das jobcenter ne umschulung?"), the message is a
# question, and the training or language it names is no answer. Not "reicht das?" (asked
# beside an answer), closings, summaries.
WHOLE_QUESTIONS = frozenset(
    {
        *("faq_salary", "faq_training_pay", "faq_ihk", "faq_training_duration"),
        *("faq_retraining", "faq_part_time", "faq_counselling", "faq_recognition"),
        *("faq_cefr", "faq_verhandlungssicher", "faq_prospects", "faq_degree_needed"),
        *("faq_ihk_training", "out_of_scope"),
        *SUB_TOPICS,
    }
)


# A yes/no question opens with its verb ("werd ich ... schlechter bezahlt", "gibts geld
# für ..."), a statement with its subject; "bin ohne Abschluss", "kann kein Englisch" and
# "hab in Rumänien gelernt" are answers, so those verbs count only before a pronoun.
VERB_FIRST = re.compile(
    r"^(ist|sind|gibt'?s|gibt es|zählt|lohnt|verdient|geht"
    r"|(komm|komme|kommt|bringt) (ich|man|mich|einen|es|das)"
    r"|(kann|können|muss|müssen|darf|soll|sollte|werde?|werd|würde|bekomme|kriege|brauche?"
    r"|verdiene) (ich|man|es|das|sie|du|mir|einem)\b)\b"
)


Patterns = Tuple[Tuple[str, Tuple[Pattern[str], ...]], ...]


def _first(patterns: Patterns, text: str, excludes: Patterns = ()) -> Optional[str]:
    low = " ".join((text or "").lower().split())
    for name, compiled in patterns:
        if any(p.search(low) for p in compiled) and not _excluded(excludes, name, low):
            return name
    return None


def _excluded(excludes: Patterns, name: str, low: str) -> bool:
    """True when an `excludes` pattern of topic `name` matches the lowercased text."""
    return any(any(p.search(low) for p in compiled) for n, compiled in excludes if n == name)


@dataclass(frozen=True)
class SideTopics:
    """The topic patterns, in the order they are tried."""

    always: Patterns
    patterns: Patterns
    own_case: Tuple[Pattern[str], ...] = ()
    not_asked: Tuple[Pattern[str], ...] = ()
    requires: Patterns = ()
    own_next_step: Tuple[Pattern[str], ...] = ()
    excludes: Patterns = ()
    about_a_job: FrozenSet[str] = frozenset()

    def names(self) -> FrozenSet[str]:
        """Every intent a pattern can name."""
        return frozenset(name for name, _ in self.always + self.patterns)

    def always_topic(self, text: str) -> Optional[str]:
        """A topic that is never a quiz answer (summary, e-mail, emoji), or None."""
        return _first(self.always, text)

    def topic(self, text: str) -> Optional[str]:
        """The first topic with a pattern that matches `text`, or None."""
        return self.always_topic(text) or _first(self.patterns, text, self.excludes)

    def asks_own_case(self, text: str) -> bool:
        """True for a question about the visitor's own case ("Reicht meine Ausbildung?")."""
        low = " ".join((text or "").lower().split())
        return any(p.search(low) for p in self.own_case)

    def asks_own_next_step(self, text: str) -> bool:
        """True for a question about the visitor's own next step ("Welche Weiterbildung
        passt für mich als nächstes?"): after a result, its first step answers it too.
        """
        low = " ".join((text or "").lower().split())
        return any(p.search(low) for p in self.own_next_step)

    def complains_not_asked(self, text: str) -> bool:
        """True for "Ich hab nicht nach Gehalt gefragt": no question on that topic."""
        low = " ".join((text or "").lower().split())
        return any(p.search(low) for p in self.not_asked)

    def lacks_words_for(self, intent: Optional[str], text: str) -> bool:
        """True when `intent` needs words (`requires`) and `text` has none of them."""
        low = " ".join((text or "").lower().split())
        for name, compiled in self.requires:
            if name == intent:
                return not any(p.search(low) for p in compiled)
        return False

    def candidates(self, text: str) -> List[str]:
        """Every topic with a pattern that matches `text`, in order."""
        low = " ".join((text or "").lower().split())
        return [
            name
            for name, compiled in self.patterns
            if any(p.search(low) for p in compiled) and not _excluded(self.excludes, name, low)
        ]


def _compile(section: Dict[str, List[str]]) -> Patterns:
    return tuple((name, tuple(re.compile(p) for p in pats)) for name, pats in section.items())


def load_side_topics(path: Optional[Path] = None) -> SideTopics:
    """Reads side_topics.yml and compiles its patterns."""
    path = path or settings.knowledge_dir() / "side_topics.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return SideTopics(
        _compile(data.get("always") or {}),
        _compile(data["topics"]),
        tuple(re.compile(p) for p in data.get("own_case") or ()),
        tuple(re.compile(p) for p in data.get("not_asked") or ()),
        _compile(data.get("requires") or {}),
        tuple(re.compile(p) for p in data.get("own_next_step") or ()),
        _compile(data.get("excludes") or {}),
        frozenset(data.get("about_a_job") or ()),
    )


@lru_cache(maxsize=1)
def side_topics() -> SideTopics:
    """The project's side_topics.yml, read once per process on first use."""
    return load_side_topics()


@lru_cache(maxsize=1)
def _cues() -> QuestionCues:
    return QuestionCues.from_data(lexicon().questions)


def asks_instead_of_answering(side_topic: Optional[str], question: str, text: str) -> bool:
    """True when the words named a topic of a one-sentence message but the splitter found
    no question part, and it ends in "?" or starts with an interrogative: the message is a
    question, not an answer. A message of several sentences keeps its answers
    ("Bankkaufmann, seit 2015. Wieviel verdient man?"), and so does a statement
    ("Teamassistentin (IHK)", "bin ohne Berufsabschluss"). A farewell without "?" is no
    answer either ("keine lust mehr, tschüss").
    """
    text = (text or "").strip()
    if side_topic == GOODBYE and "?" not in text:
        return True  # "keine lust mehr, tschüss": a farewell, not the answer "keine"
    one_sentence = not re.search(r"[.!?;:]\s", text) and not EMOJI_BREAK.search(text)
    words = text.lower().split()
    # "?" at the end, or an interrogative among the first two words ("ab wann darf man ...").
    asked = text.endswith("?") or bool(set(words[:2]) & set(_cues().interrogatives))
    asked = asked or bool(VERB_FIRST.match(text.lower())) or bool(TRAILING_ASK.search(text.lower()))
    return side_topic in WHOLE_QUESTIONS and not question and one_sentence and asked


def unsplit_question(side_topic: Optional[str], question: str) -> Optional[str]:
    """The topic to answer beside the answers of a mixed message whose question part the
    splitter did not find ("ich hab ne ausbildung als industriekauffrau, was wär da
    gehaltlich drin"), or None. message_topic named `side_topic` only for a message that
    asks (an interrogative, "?", a verb first, "… realistisch?"), so the question is
    answered and the answers are kept. Not the honest "no information" reply: a topic
    no words named is no reason to add one to an answer.
    """
    if question or side_topic == UNKNOWN or side_topic not in WHOLE_QUESTIONS:
        return None
    return side_topic


def by_facts(
    found: Optional[str], text: str, among: Optional[Sequence[str]] = None
) -> Optional[str]:
    """`found`, or another topic whose words `text` also names when one of its facts fits
    `text` clearly better (data/knowledge/side_facts.yml): in "Spanisch reicht zum
    Einkaufen im Urlaub – welches Niveau ist das?" the holiday does not make it a
    working-time question. The patterns propose, the facts decide; `among` limits the
    other topics to those (the ones the question part names).
    """
    if not side_answers.has_facts(found):
        return found
    index = side_answers.index()
    best = index.topic_score(str(found), text)
    others = side_topics().candidates(text) if among is None else among
    for other in others:
        if other != found and side_answers.has_facts(other):
            score = index.topic_score(other, text)
            if score > best + RERANK_MARGIN:
                found, best = other, score
    return found


def _content_words(clause: str) -> List[str]:
    words = re.findall(r"[\wäöüß]+", clause.lower())
    return [w for w in words if w not in side_answers.STOP_WORDS and w not in GENERIC_WORDS]


def clause_topics(text: str) -> List[Tuple[str, str]]:
    """The (topic, clause) pairs of a message that asks about two topics with facts
    ("Was verdient man und wie lange dauert die Ausbildung?"); [] for one topic or none.

    Clauses end at "?", ";" or at "und"/"oder" before a question word. A clause counts
    only with a word of its own beyond question words ("und wie lange dauert sie?" asks
    on about the first topic).
    """
    # Of a message with a statement and a question, the question's clauses: "Englisch
    # Schulkenntnisse, Türkisch Muttersprache. Und ist die IHK so was wie das Arbeitsamt?"
    # names no language question (fresh18: the language levels answered first).
    split = split_message(text or "", _cues())
    source = split.question if split.question and split.statement else text
    clauses = [c.strip() for c in CLAUSE_BREAK.split(source or "") if c and c.strip()]
    pairs: List[Tuple[str, str]] = []
    for clause in clauses:
        if not _content_words(clause):
            continue
        topic = by_facts(side_topics().topic(clause), clause)
        if side_answers.has_facts(topic) and topic not in [t for t, _ in pairs]:
            pairs.append((str(topic), clause))
    return pairs[: side_answers.MAX_TOPICS] if len(pairs) > 1 else []


def _own_words(clause: str) -> List[str]:
    """The content words of `clause` that do not merely refer back ("geht das?")."""
    return [w for w in _content_words(clause) if w not in BACK_REFERRING]


# A question for knowledge rather than about the visitor ("Ist X gefragter als Y?",
# "Welches Zertifikat mögen Arbeitgeber?"): it names no first person.
_FIRST_PERSON = frozenset({"ich", "mich", "mir", "mein", "meine", "meinen", "meinem", "meiner"})


def _asks_for_knowledge(question: str) -> bool:
    words = set(re.findall(r"[\wäöüß]+", (question or "").lower()))
    return not words & _FIRST_PERSON and (question or "").rstrip().endswith("?")


def _stands_alone(question: str) -> bool:
    """True when a question part names something of its own and points back at nothing
    the message said before ("ist das ein anerkannter Abschluss?", "wie lange muss ich
    vorher arbeiten" lean on the statement part).
    """
    words = set(re.findall(r"[\wäöüß]+", (question or "").lower()))
    return bool(_own_words(question)) and not words & POINTING_BACK


def question_topic(question: str, whole_topic: Optional[str] = None) -> Optional[str]:
    """The topic of a message's question part (already split off), or None.

    `whole_topic` is the topic found for the whole message (message_topic): "in Rumänien
    gelernt, zählt das?" asks for recognition, not whether the training is enough.
    """
    if question and side_topics().asks_own_case(question) and whole_topic not in WHOLE_FIRST:
        return OWN_CASE  # "Erfülle ich die Zulassung für den Fachwirt?"
    found = side_topics().topic(question) if question else None
    if found in BESIDE_AN_ANSWER and whole_topic in WHOLE_FIRST:
        return whole_topic
    own = _own_words(question or "")
    if not found and whole_topic in WHOLE_QUESTIONS and not own:
        # "Projekte leiten reizt mich. Geht das?": a question part of question words only
        # asks about the topic the whole message names.
        return whole_topic
    if found and found not in BESIDE_AN_ANSWER and found != whole_topic:
        if side_answers.has_facts(whole_topic) and not _stands_alone(question):
            # "IHK-Zertifikat als Office-Managerin, ist das ein anerkannter Abschluss?":
            # a question part that points back was weighed on the whole message
            # (message_topic), whose facts also fill the answer.
            return whole_topic
    return by_facts(found, question)


def is_english(text: str) -> bool:
    """True for a message written in English, on any topic ("How much does a project
    assistant earn?"): it gets the bilingual notice (career_quiz/english.py).
    """
    return english.is_english(text)


def english_topic(text: str) -> str:
    """The topic of an English message: read on its German gloss
    (career_quiz/english.py) when the topic words, an ending or a farewell name one
    there ("How long does the apprenticeship take?", "thanks a lot!"); else, and for a
    message about the chat's language ("Can we do this in English?"), ENGLISH, the
    bilingual notice.
    """
    if english.asks_for_english(text):
        return ENGLISH
    glossed = english.gloss(text)
    topics = side_topics()
    named = topics.always_topic(glossed) or topics.topic(glossed) or _farewell(topics, glossed)
    # Read as German from here on: a gloss that still reads as English must not come
    # back here (it recursed without end and the message got the outage apology).
    found = _message_topic(glossed, None, 0.0, english_read=True) if named else None
    if found and found not in (ENGLISH, NOT_UNDERSTOOD):
        return found
    if _asks_at_length(text):
        # "Is it common to get a signing bonus for office jobs?": a question of its own
        # on something the facts do not cover gets the honest bilingual "no reliable
        # information", not the notice that the quiz is German.
        return UNKNOWN
    return ENGLISH


# An English question this long asks about something; shorter ones ("hi, what is this?")
# get the notice that the quiz is German, and so do questions about the chat and about
# the visitor's own fit ("I studied in Spain. Is this job for me?": the quiz tells).
ENGLISH_QUESTION_WORDS = 6
_NOTICE_INSTEAD = re.compile(
    r"\b(quiz|chat|bot|german|english|language)\b|\bwhat is this\b|\bfor me\b|\b(suits?|fits?) me\b"
)


def _asks_at_length(text: str) -> bool:
    low = (text or "").strip().lower()
    return (
        low.endswith("?")
        and len(low.split()) >= ENGLISH_QUESTION_WORDS
        and not _NOTICE_INSTEAD.search(low)
    )


def reading(text: str) -> str:
    """The text a message's topic and answer are read from: its German gloss when it is
    an English question on a topic (english_topic), else the text itself.
    """
    if is_english(text) and english_topic(text) != ENGLISH:
        return english.gloss(text)
    return text


def _last_sentence(text: Optional[str]) -> str:
    """The last sentence of `text`, lower-cased ("" for none)."""
    return (sentences(text or "") or [""])[-1].lower()


def _farewell(topics: SideTopics, text: str) -> Optional[str]:
    """GOODBYE when a message without "?" says goodbye ("Prima Beratung, ich bin
    zufrieden. Auf Wiedersehen.", "keine lust mehr, tschüss"): a farewell, however
    the rest reads.
    """
    if "?" in (text or ""):
        return None
    return _first(tuple(p for p in topics.patterns if p[0] == GOODBYE), text)


# A question part this long after thanks or a goodbye asks something of its own.
CLOSING_QUESTION_WORDS = 4


def _asks_beyond_closing(topics: SideTopics, question: str) -> bool:
    """True when a message's question part asks more than a closing does."""
    return (
        len(re.findall(r"[\wäöüß]+", question or "")) >= CLOSING_QUESTION_WORDS
        and topics.topic(question) not in CLOSING
    )


def _by_classifier_and_facts(text: str, intent: Optional[str], confidence: float) -> Optional[str]:
    """The topic of a question no words named: the classifier's topic when it names one
    with some confidence (it keeps a topic without facts: "Was ist eine Projektassistenz?"
    shares words with a salary fact but asks for the variant); else, when the classifier
    cannot place it, the topic of the nearest fact if that fits clearly
    ("teilzeitquote deutschland 2023?").
    """
    if confidence >= CONFIDENT and intent not in UNPLACED:
        return None  # the classifier's intent stands
    if str(intent).startswith(TOPIC_PREFIX) and intent not in UNPLACED:
        if confidence >= PLAUSIBLE:
            return intent
    return side_answers.index().nearest_topic(text, FACTS_ROUTE)


# A refusal or "weiß nicht" this short that looks like a question is none (the parser's
# `_is_short_refusal` reads it the same way: the `skip` and `dont_know` cues).
SHORT_REFUSAL_WORDS = 8


def _short_refusal(text: str) -> bool:
    low = " ".join(re.findall(r"[\wäöüß']+", (text or "").lower()))
    if (text or "").rstrip().endswith("?") or len(low.split()) > SHORT_REFUSAL_WORDS:
        return False
    cues = lexicon().cues
    phrases = [*cues.get("skip", []), *cues.get("dont_know", [])]
    return any(re.search(rf"(?<!\w){re.escape(str(p).lower())}(?!\w)", low) for p in phrases)


def keyboard_mash(text: str) -> bool:
    """True for a message of keyboard runs and vowel-less letter strings only
    ("asdfghjkl qwertz", "jjjjjj"): no words, so "nicht verstanden" rather than the
    honest "keine verlässlichen Informationen" to a question nobody asked.
    """
    words = re.findall(r"[a-zäöüß]+", (text or "").lower())
    if not words or re.search(r"[0-9?]", text or ""):
        return False
    return all(
        len(w) >= 4
        and (any(w in row for row in KEYBOARD_ROWS) or not re.search(r"[aeiouyäöü]", w))
        or len(w) >= 5
        and len(set(w)) <= 2
        for w in words
    )


def _topic_without_words(text: str, english_read: bool = False) -> Optional[str]:
    """The topic of a message whose classified intent lacks the words it needs: read as
    one the classifier could not place, an English one on its gloss ("could you sum up
    my result real quick?", read as praise: fresh17).
    """
    found = _message_topic(text, UNKNOWN, 0.0, english_read=english_read)
    return found if found != UNKNOWN else None


def message_topic(text: str, intent: Optional[str], confidence: float) -> Optional[str]:
    """The topic a whole message asks about, or None to keep the classifier's intent
    (see _message_topic). Thanks or a goodbye followed by a question no topic names
    ("danke, wie geht es jetzt weiter?") stay a closing: the honest "no information"
    would ignore the thanks.
    """
    found = _message_topic(text, intent, confidence)
    thanks_or_goodbye = intent in CLOSING - FEEDBACK and confidence >= CONFIDENT
    if found == UNKNOWN and thanks_or_goodbye and "?" in (text or ""):
        return None
    return found


def _message_topic(
    text: str, intent: Optional[str], confidence: float, english_read: bool = False
) -> Optional[str]:
    """The topic a whole message asks about, or None to keep the classifier's intent.

    Summaries and e-mail requests are taken from the whole message. Other topics are
    taken from the part in question form; from the whole message only when it ends in
    "?" or the classifier did not read it as a quiz answer with confidence.
    `english_read`: english_topic already read the message, so it is not asked again.
    """
    if keyboard_mash(text):
        return NOT_UNDERSTOOD
    topics = side_topics()
    if topics.lacks_words_for(intent, text):
        # "Wo kann ich online nachlesen, welche Ausbildungen es gibt?" read as a
        # data-protection question: as if the classifier could not place it.
        return _topic_without_words(text, english_read) or UNKNOWN
    always = topics.always_topic(text)
    if always:
        return always
    if _farewell(topics, text) and not (intent == GREET and confidence >= CONFIDENT):
        # ("Servus" greets as well; the classifier tells which.)
        # Feedback stays feedback (it is stored); thanks or anything else is a goodbye,
        # in English too ("Thank you very much, bye!").
        if intent == NEGATIVE and not JUDGED.search((text or "").lower()):
            return GOODBYE  # "stop, ich will nicht mehr" leaves; it judges nothing
        return intent if intent in FEEDBACK else GOODBYE
    if not english_read and is_english(text):
        return english_topic(text)
    if topics.complains_not_asked(text):
        return NOT_ASKED  # "Ich hab nicht nach Gehalt gefragt" asks for no salary
    split = split_message(text, _cues())
    if topics.asks_own_case(split.question or text) and topics.topic(text) not in WHOLE_FIRST:
        # (A foreign qualification or a career change has its own answer.)
        return OWN_CASE  # "Zählt mein abgebrochenes Studium?": the result's reasons tell
    if intent in CLOSING and _asks_beyond_closing(topics, split.question):
        # "ok danke! und wo macht man dann die prüfung fürs sekretariat?": the thanks
        # is sure, the question after it is what wants an answer (fresh16).
        confidence = 0.0
    found = topics.topic(split.question) if split.question else None
    asked_topic = found
    whole = " ".join((text or "").lower().split())
    if found in RULED_OUT_BY_STATEMENT and _excluded(topics.excludes, found, whole):
        # The statement rules the question's topic out ("mein bachelor ist aus kolumbien,
        # wie lange dauert die anerkennung?": a degree gets a Zeugnisbewertung, not the
        # FOSA's procedure, visit11 #8; "bin koch und kann nicht mehr stehen. was gibt es
        # für mich im büro?" asks for a change of job). Not every topic: a Fachwirt told
        # about does not rule out "wie lange dauert die Ausbildung?".
        # When the whole message names no other known topic, the question's stays
        # ("bin gelernter koch … will raus aus dem schichtdienst. passt so ein bürojob
        # zu mir?", visit13 F7: "keine verlässlichen Informationen").
        instead = topics.topic(text)
        found = instead if instead not in (None, UNKNOWN) else found
    if found in PRAISE:
        found = None  # "Hilft mir das für einen Wechsel ins Büro?" asks, it praises nothing
    if found in BESIDE_AN_ANSWER and topics.topic(text) in WHOLE_FIRST:
        found = topics.topic(text)  # "in Rumänien gelernt, zählt das?" asks for recognition
    for whole, takes_over in WHOLE_OVER_QUESTION:
        if found in takes_over and whole in topics.candidates(text):
            return whole  # (the facts of the question part would take it back)
    # The facts rerank on what the question part asks when it names a topic of its own:
    # in "englisch verhandlungssicher. welche weiterbildung bringt mich weiter?" the
    # answer part's words are no question on language levels.
    reranked_on = split.question if found and _stands_alone(split.question) else text
    weak = intent not in ANSWER_INTENTS or confidence < CONFIDENT
    # "?" anywhere, an interrogative opening the message or its last clause ("wer berät
    # einen, wenn ...", "bankausbildung mit realschule, wie lang"), a verb first, or a
    # question part ("Lohnt sich das finanziell? Ich verdiene ... brutto").
    clauses = [c.split() for c in re.split(r"[,–:;]|\s-\s", (text or "").lower())]
    openers = {c[0] for c in (clauses[0], clauses[-1]) if c}
    asked = "?" in (text or "") or bool(openers & _cues().interrogatives)
    # "ab welchem niveau ...", "c1 was kann man da": an interrogative second, or one
    # followed by its verb anywhere.
    asked = asked or bool(set(clauses[0][1:2]) & _cues().interrogatives)
    asked = asked or bool(ASKING.search((text or "").lower()))
    asked = asked or bool(VERB_FIRST.match((text or "").strip().lower())) or bool(split.question)
    asked = asked or bool(TRAILING_ASK.search((text or "").strip().lower()))
    # A last sentence that opens with its verb ("hab in kroatien … gemacht. brauch ich
    # dafür ne anerkennung um hier zu arbeiten").
    asked = asked or bool(VERB_FIRST.match(_last_sentence(text)))
    if not found and (weak or asked):
        found = topics.topic(text)
        if found in QUESTION_ONLY and not asked:
            found = None  # "Englisch gut, Französisch Grundkenntnisse" is an answer
        if found in PRAISE and "?" in (text or ""):
            found = None  # a question praises nothing
    if found in CLOSING and _asks_beyond_closing(topics, split.question):
        found = None  # "Thanks! Last thing: is there room to grow …?" asks on
    if not found and "?" not in (text or ""):
        praise = _first(tuple(p for p in topics.patterns if p[0] in PRAISE), text)
        found = praise  # "danke, hat spaß gemacht" is no quiz answer
    # A topic the question part names is reranked among the topics it names: "Englisch
    # verhandlungssicher, … Zahlt sich das beim Gehalt aus?" asks about pay (fresh18).
    among = topics.candidates(split.question) if found and found == asked_topic else None
    found = by_facts(found, reranked_on if found else text, among)
    if found in CLOSING and intent in CLOSING:
        # "Danke, das passt gut" stays feedback, "Danke, tschüss" a goodbye, however
        # unsure the classifier was.
        return intent
    if not found and asked and (confidence < CONFIDENT or intent in UNPLACED | ANSWER_INTENTS):
        # Wording the patterns do not know: the learned fallback on the question part
        # (career_quiz/side_model.py), unless the classifier read another intent surely
        # (a question read as an answer is no such intent).
        # A hesitant answer ("Englisch? Ja, fließend") is no question for it.
        asked_part = split.question or ("" if split.tentative else text)
        found = side_model.topic_of(asked_part) if asked_part else None
    if not found and asked:
        found = _by_classifier_and_facts(text, intent, confidence)
    if not found and split.question and intent not in ANSWER_INTENTS and confidence < CONFIDENT:
        if _short_refusal(text):
            return None  # "geht Sie nichts an": no question, the quiz reads the refusal
        if str(intent).startswith(TOPIC_PREFIX) and confidence >= PLAUSIBLE:
            # A question on a topic the classifier names without certainty: its answer
            # rather than "nicht verstanden".
            return intent
        # A question the classifier cannot place: the honest "keine verlässlichen
        # Informationen" rather than "nicht verstanden".
        return UNKNOWN
    if not found and intent in ANSWER_INTENTS and split.question == (text or "").strip():
        if _stands_alone(split.question) and _asks_for_knowledge(split.question):
            # A whole message in question form on something of its own, read as an
            # answer only for its words ("Ist Italienisch gefragter als Polnisch?"):
            # the honest "keine verlässlichen Informationen", not an answer.
            return UNKNOWN
    return found
