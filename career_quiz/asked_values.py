"""A question about a value is no answer: which parsed values a side question drops.

Plain Python (no rasa). The answer parser reads values wherever a message names them,
also inside a side question: "wie lang geht bankkaufmann mit abitur" names a training,
"Sie schreiben, man sollte Englisch gut können. Heißt das B2?" a language. When a message
asks about a side-question topic (data/knowledge/side_topics.yml) and does not answer
the open quiz question, it answers nothing: the quiz slots keep their values, before,
during and after the quiz. A message that answers the open question keeps all its
answers ("Ich bin Bankkauffrau, Englisch fließend – brauche ich dafür ein Studium?").
A correction ("Korrektur: ...") is no side question and changes any slot.

Two questions are about the open question's own value and answer nothing:
* whether a foreign qualification counts, in one sentence ("mein diplom ist aus der
  ukraine, wird das anerkannt?"): its training is what is asked about;
* which of two levels a language is ("ist das A2 oder schon B1?").
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Optional

from career_quiz.answers import ParsedAnswers
from career_quiz.contract import SLOT_LANGUAGES, SLOT_TASK, SLOT_TRAINING
from career_quiz.english import gloss
from career_quiz.lexicon import LABEL_SCHOOL, lexicon
from career_quiz.questions import QuestionCues
from career_quiz.side_topics import (
    BESIDE_AN_ANSWER,
    QUESTION_ONLY,
    RECOGNITION,
    WHOLE_QUESTIONS,
    asks_instead_of_answering,
    side_topics,
)

# Topics a message asks about by name; not "reicht das?" (asked beside an answer),
# closings or summaries.
ASKED_TOPICS = WHOLE_QUESTIONS | QUESTION_ONLY | frozenset({"faq_ihk_training"})
RETRAINING = frozenset({"faq_retraining", "faq_retraining_voucher", "faq_retraining_external"})
# Words of a training of one's own besides "Umschulung" ("Ausbildung als Köchin").
_TRAINING_WORDS = re.compile(r"ausbildung|lehre\b|gelernt|abschluss|studi|berufsabschluss")
CEFR = "faq_cefr"
DURATION = "faq_training_duration"
# Words that make a training named beside a question the visitor's own.
_OWN = re.compile(r"\b(ich|bin|hab|habe|hatte|gelernt|gelernte|mein|meine|meinen)\b")
# Two levels offered as alternatives: "B1 oder B2", "A2 oder schon B1".
_LEVEL_CHOICE = re.compile(r"\b[abc][12]\s+oder\s+(?:\w+\s+)?[abc][12]\b", re.IGNORECASE)
# Whether a language just named is at a level: "ist das eher B1?", "wäre das schon C1?".
_LEVEL_OF_IT = re.compile(
    r"\b(ist|wäre|entspricht|heißt|bedeutet|sind) (das|dies|es|sie)\b.{0,20}\b[abc][12]\b",
    re.IGNORECASE,
)
# A request for a contact, asked without a question ("nummer von der berufsberatung bitte").
_REQUEST = re.compile(
    r"\b(telefon)?nummer\b|\b(link|adresse|webseite|website|kontakt(daten)?)\b.{0,40}\bbitte\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[,;:.!?–—]|\s-\s")
_WORD = re.compile(r"[a-zäöüß]+", re.IGNORECASE)
_LEADING = frozenset({"und", "aber", "oder", "also", "denn", "dann", "sorry", "ach"})
# A question that refers back to the value just named ("zählt das?", "wird der
# anerkannt?"), not one about a procedure ("brauche ich eine Anerkennung, um ...?").
_REFERS_BACK = re.compile(r"\b(das|dies|dieser|diese|dieses|der|er|es)\b", re.IGNORECASE)


QUIZ_ORDER = (SLOT_TRAINING, SLOT_LANGUAGES, SLOT_TASK)


def _before_question(text: str, question: str) -> str:
    """The lowercased text before its question part (all of it when that is not found)."""
    low, asked = (text or "").lower(), (question or "").lower().strip()
    at = low.find(asked[:12]) if asked else -1
    return low[:at] if at > 0 else low


# Topics that ask about the value named itself: is it recognised, which level is it.
ABOUT_THE_VALUE = frozenset({RECOGNITION, CEFR, "faq_verhandlungssicher"})


def _cleared(parsed: ParsedAnswers, slot: str) -> ParsedAnswers:
    if slot == SLOT_TRAINING:
        return replace(
            parsed,
            training=[],
            training_removed=[],
            no_training=False,
            unplaced_training=False,
            training_texts={},
            training_dropped={},
        )
    if slot == SLOT_LANGUAGES:
        return replace(
            parsed, languages={}, languages_removed=[], languages_defaulted=[], german_only=False
        )
    return replace(parsed, task=None, task_candidates=[])


# Words that state "no training" themselves; a school certificate alone does not.
_NO_TRAINING = re.compile(
    r"\bkein\w* (berufs)?(ausbildung|abschluss|lehre)|ungelernt"
    r"|ohne (berufs)?(ausbildung|abschluss)"
)


def _school_pattern() -> "re.Pattern[str]":
    terms = [t for t in lexicon().terms if t.label == LABEL_SCHOOL]
    parts = [t.value if t.kind == "regex" else re.escape(t.value) for t in terms]
    return re.compile(r"\b(" + "|".join(parts or ["(?!)"]) + r")\b")


def names_only_a_school(parsed: ParsedAnswers, text: str) -> bool:
    """True when the parser read "no training" from a school certificate alone ("Ich hab
    die Mittlere Reife."): beside a side question that is its premise ("... Um wie viel
    könnte ich verkürzen?"), not an answer to the training question.
    """
    if parsed.training or not parsed.no_training:
        return False
    low = (text or "").lower()
    return not _NO_TRAINING.search(low) and bool(_school_pattern().search(low))


def _has_slot(parsed: ParsedAnswers, slot: str) -> bool:
    if slot == SLOT_TRAINING:
        return bool(
            parsed.training
            or parsed.training_removed
            or parsed.no_training
            or parsed.unplaced_training
        )
    if slot == SLOT_LANGUAGES:
        return bool(parsed.languages or parsed.languages_removed or parsed.german_only)
    return bool(parsed.task or parsed.task_candidates)


def asks(parsed: ParsedAnswers, text: str, cues: QuestionCues) -> bool:
    """True when the message is, or holds, a question: a question part, a "?", or a
    clause that starts with an interrogative ("bankausbildung mit realschule, wie lang").
    """
    if parsed.asks or (text or "").rstrip().endswith("?") or _REQUEST.search(text or ""):
        return True
    for clause in _CLAUSE.split(text or ""):
        words = [w.lower() for w in _WORD.findall(clause)]
        while len(words) > 1 and words[0] in _LEADING:
            words = words[1:]
        if words and words[0] in cues.interrogatives:
            return True
        # "ausbildung industriekauffrau wie lange 🤔": the question words last (fresh17).
        if len(words) > 2 and words[-2] in cues.interrogatives:
            if words[-1] in cues.after_interrogative:
                return True
    return False


def asked_topic(side_topic: Optional[str], text: str) -> Optional[str]:
    """The side-question topic the message asks about by name, or None."""
    if side_topic in ASKED_TOPICS:
        return side_topic
    if side_topic in BESIDE_AN_ANSWER:
        # The visitor's own case ("…, dass ich russisch muttersprachlich kann… geht das
        # noch?"): what it says is an answer, whatever topic its words also name.
        return None
    found = side_topics().topic(text or "")
    return found if found in ASKED_TOPICS else None


def keep_quiz_state(
    parsed: ParsedAnswers,
    text: str,
    requested: Optional[str],
    side_topic: Optional[str],
    cues: QuestionCues,
    has_result: bool = False,
) -> ParsedAnswers:
    """`parsed` without the values a side question only named.

    Args:
        parsed: what the answer parser read in the message.
        text: the message.
        requested: the open quiz question, or None before and after the quiz.
        side_topic: the topic the message's words named (rasa_addons/side_topics.py).
        cues: the question cues of the lexicon.
        has_result: a result was shown; outside the quiz a statement beside a question
            then changes answers only as an addition ("ach, und einen Master habe ich
            auch, ändert das was?") or a correction.
    """
    if parsed.correction or parsed.go_back or (parsed.english and parsed.is_empty()):
        return parsed
    if parsed.training_replaces and parsed.training:
        # "Ausbildung war Einzelhandelskauffrau, nicht Büro. Ändert das was?": the
        # clicked answer denied beside a new one corrects it.
        return parsed
    topic = asked_topic(side_topic, text)
    if not topic or not asks(parsed, text, cues):
        return parsed
    if (
        requested is None
        and (parsed.addition or not has_result)
        # Before the quiz the values are held, not stored (turns.holds_answers), so a
        # question about them keeps them too ("in Syrien Wirtschaft studiert (Bachelor).
        # Wird das hier anerkannt?").
        and (topic not in ABOUT_THE_VALUE or not has_result)
        and parsed.question.strip() not in ("", (text or "").strip())
        # "bankausbildung mit realschule, wie lang": a training named without a word of
        # the visitor's own is what a duration question asks about.
        and (topic != DURATION or bool(_OWN.search((text or "").lower())))
    ):
        # Outside the quiz, a statement before the question answers as it would at its
        # question ("Ich bin Bankkauffrau – brauche ich dafür ein Studium?"); not one
        # the question is about ("mein diplom ist aus der ukraine – was muss ich machen").
        stated = next((s for s in QUIZ_ORDER if _has_slot(parsed, s)), None)
        if stated:
            return keep_quiz_state(parsed, text, stated, side_topic, cues, has_result)
    kept = parsed
    # One sentence: "Ich habe in Syrien meinen Bachelor abgeschlossen. Muss ich das
    # anerkennen lassen?" answers first, then asks.
    one_sentence = not re.search(r"[.!?;]\s", (text or "").strip())
    asked_part = parsed.question or text
    # A training named by its title ("Ich bin Bürokauffrau aus Rumänien") stays beside a
    # question on the procedure; an unplaced one ("ausländischer abschluss, welche option
    # ...?") or one asked about ("..., zählt das?") is what the question is about.
    named = bool(set(parsed.training) - {"other", "none"})
    about_value = (
        (
            requested == SLOT_TRAINING
            and topic == RECOGNITION
            and one_sentence
            and (bool(_REFERS_BACK.search(asked_part)) or not named)
        )
        or (
            # "überlege eine ausbildung zur kauffrau für büromanagement zu machen, gibts
            # die in teilzeit?": a training planned is what the question asks about, no
            # "keine Ausbildung" answer.
            requested == SLOT_TRAINING
            and parsed.no_training
            and not parsed.training
            and bool(parsed.training_removed)
            and bool(cues.plans & set(re.findall(r"\w+", _before_question(text, asked_part))))
        )
        or (
            requested == SLOT_LANGUAGES
            and topic == CEFR
            and bool(_LEVEL_CHOICE.search(text or "") or _LEVEL_OF_IT.search(asked_part))
        )
        or (
            # "personaldienstleistungskaufmann.. wie lang dauert das": a title without a
            # word of the visitor's own, then how long "it" takes, asks about that title.
            requested == SLOT_TRAINING
            and topic == DURATION
            and not _OWN.search((text or "").lower())
            and bool(_REFERS_BACK.search(asked_part))
        )
        or (
            # "umschulung im betrieb oder beim bildungsträger – was ist besser?": the word
            # "Umschulung" alone, in a question on retraining, names no training of the visitor.
            requested == SLOT_TRAINING
            and topic in RETRAINING
            and not parsed.training
            and parsed.unplaced_training
            and not _TRAINING_WORDS.search((text or "").lower())
        )
    )
    # Only two candidate tasks and no task named: a side question's words, not an answer
    # ("umschulung mit 50, lohnt sich das noch?").
    only_candidates = requested == SLOT_TASK and not parsed.task and bool(parsed.task_candidates)
    premise = requested == SLOT_TRAINING and names_only_a_school(parsed, text)
    answered = requested and _has_slot(kept, requested)
    if answered and not (about_value or only_candidates or premise):
        # It answers the open question: answers to the others in it are kept too
        # ("Bankkauffrau, Englisch fließend – was verdient man da?").
        return parsed
    for slot in QUIZ_ORDER:
        if _has_slot(kept, slot):
            kept = _cleared(kept, slot)
    if kept is not parsed and not kept.question:
        kept = replace(kept, question=text)
    return kept


def read_answers(
    parser: Any,
    text: str,
    requested: Optional[str],
    side_topic: Optional[str],
    cues: QuestionCues,
    has_result: bool = False,
) -> ParsedAnswers:
    """What a typed message answers, without the values a question in it only names.

    The parser reads the message at the open question `requested` (None before and
    after the quiz); a message that asks as a whole ("zahlt das jobcenter ne
    umschulung?", `asks_instead_of_answering`) answers nothing, and a value a side
    question names ("wie lang geht bankkaufmann mit abitur") is no answer
    (`keep_quiz_state`). Used by the answer extraction inside the quiz and by the
    check for answers beside a question outside it (actions/actions.py).
    """
    parsed = parser.parse(text, requested)
    if parsed.english and not parsed.is_empty():
        text = gloss(text)  # the words the parser read ("German only. How long ...?")
    if not parsed.change_request and asks_instead_of_answering(side_topic, parsed.question, text):
        return ParsedAnswers(question=text)  # a side question the splitter missed
    kept = keep_quiz_state(parsed, text, requested, side_topic, cues, has_result)
    return _stated_only(parser, kept, text, requested, side_topic)


def _topic_sentence(text: str, topic: Optional[str]) -> str:
    """The first sentence of `text` that ends in "?" and names `topic` on its own, or ""."""
    for sentence in re.findall(r"[^.!?]+\?+", text or ""):
        if topic and side_topics().topic(sentence.strip().lower()) == topic:
            return sentence.strip()
    return ""


# "und als Projektassistentin" before the question: the job the question is about.
_AS_A = re.compile(r"^\W*((und|aber|oder|also) )?(als|für|bei) (eine?n?|ne|nen )?\S+\W*$", re.I)


def _stated_only(
    parser: Any, kept: ParsedAnswers, text: str, requested: Optional[str], topic: Optional[str]
) -> ParsedAnswers:
    """`kept` without the quiz values that only its question part names, at a quiz
    question and for a question about a job (side_topics.yml `about_a_job`). The rest of
    the message, read on its own at the open question, must name a value for it to stay.
    """
    asked = (kept.question or "").strip()
    if not asked and kept.tentative:
        # "gehalt in der lohnbuchhaltung so ca? frag für nen kumpel", "Arbeiten Männer im
        # Büro auch Teilzeit?" (fresh18): a "?" sentence without a question word, read
        # as a tentative answer, is the question when it alone names the topic.
        asked = _topic_sentence(text, topic)
    if not requested or topic not in side_topics().about_a_job or not asked or kept.correction:
        return kept
    if not any(_has_slot(kept, slot) for slot in QUIZ_ORDER):
        return kept
    at = (text or "").lower().find(asked.lower()[:12])
    if at < 0:
        return kept
    rest = ((text or "")[:at] + " " + (text or "")[at + len(asked) :]).strip(" ,;:.!?–-")
    if _AS_A.match(rest):
        rest = ""  # "und als projektassistentin, was verdient man da": part of the question
    stated = parser.parse(rest, requested) if rest else ParsedAnswers()
    for slot in QUIZ_ORDER:
        if _has_slot(kept, slot) and not _has_slot(stated, slot):
            kept = _cleared(kept, slot)
    if kept.task and stated.task != kept.task:
        # The work the rest names on its own is not the one the whole message named
        # ("verdienst in der buchhaltung so ungefähr? frag für meine freundin": the
        # classifier's guess on the remark, not the Buchhaltung asked about).
        kept = _cleared(kept, SLOT_TASK)
    return kept
