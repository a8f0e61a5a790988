"""Answer parsing: German free text -> canonical quiz answers.

Plain Python (no rasa_sdk). The spaCy pipeline's entity ruler finds the
mentions; this module decides what they mean:

* negation: "kein Studium", "Tschechisch spreche ich nicht", "Studium abgebrochen";
* which level word belongs to which language ("fließend Englisch und etwas Spanisch");
* whether a task word states a preference or just describes the past.

What a message says is a `ParsedAnswers`; how it merges into the answers given so far
(corrections) and what buttons send are in career_quiz/answers.py.

Canonical values follow the slot contract in career_quiz/contract.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from career_quiz.answers import ParsedAnswers
from career_quiz.contract import (
    GERMAN,
    LEVELS,
    QUIZ_SLOTS,
    SLOT_LANGUAGES,
    SLOT_TASK,
    SLOT_TRAINING,
)
from career_quiz.english import asks_for_english
from career_quiz.english import counts as english_counts
from career_quiz.english import gloss as english_gloss
from career_quiz.english import has_phrase as has_english_phrase
from career_quiz.english import is_english as is_english_text
from career_quiz.lexicon import (
    LABEL_LANGUAGE,
    LABEL_LEVEL,
    LABEL_SCHOOL,
    LABEL_TASK,
    LABEL_TRAINING,
    Lexicon,
    fold_umlauts,
)
from career_quiz.questions import QuestionCues, Split, split_message

# Longer answers are not quiz answers; parsing them would only cost time.
MAX_PARSE_CHARS = 2000

# A language named without a level word ("Ich spreche Englisch").
DEFAULT_LEVEL = "good"
# The training value of the office button ("Büro / Sekretariat"), which a denial takes back.
OFFICE = "office"
# Tokens that may stand between languages of one list ("Englisch, Französisch und Spanisch").
_LIST_SEPARATORS = {",", "und", "sowie", "/", "oder", "&"}
# How far a level alone in its clause reaches for its language (tokens).
_ORPHAN_REACH = 10
# Words that join two statements; a level word rarely reaches across them.
_JOINERS = {"und", "sowie", "aber"}
# How many words from a language a school word may stand ("… hatte ich 4 Jahre in der Schule").
_SCHOOL_REACH = 8
# "sonst nix", "ansonsten keine": nothing besides what was named.
_BESIDES = {"sonst", "ansonsten", "außerdem"}
# Words between "nicht" and a level that turn the negation into a weak level ("nicht so gut").
_SOFTENERS = {"so", "sehr", "besonders", "ganz", "wirklich", "allzu"}
# Internal label for generic training words ("Ausbildung", "Lehre") that the parser
# negates like titles: "nie eine Ausbildung gemacht" means no training.
LABEL_VOCATIONAL = "vocational"
# Tokens that end a clause after a bare negation ("Englisch: keine.").
_CLAUSE_END = {",", ".", ";", "!", "?", "-", "–", ")", "und", "aber"}
# Tokens between a language and a negation that answers it ("Englisch: leider nein").
_NEGATION_GAP = {":", "-", "–", ",", "leider", "gar", "auch", "eher", "überhaupt", "(", ")"}
# Work-preference decision on the classifier's and the lexicon's combined scores:
# accept the best label at ACCEPT with a lead of MARGIN; two labels close together
# at or above CLARIFY in sum get a clarifying question. Set by hand (not tuned on any
# test set); the classifier's own 5-fold accuracy on task_examples.yml is about 0.93.
TASK_ACCEPT = 0.45
TASK_MARGIN = 0.15
TASK_CLARIFY = 0.55
# Weight of the lexicon's task cues against the classifier's probabilities while the
# classifier's best label is at most TASK_SURE; above it the cues count less, down to
# nothing at certainty: one cue word ("Termine", "Software") outvoted a classifier that
# read the whole answer ("mit Handwerkern Termine abstimmen" on a building site). Chosen
# on 5-fold cross-validation of the whole parser on task_examples.yml (0.922 -> 0.929).
TASK_LEXICON_WEIGHT = 0.5
TASK_SURE = 0.5
# A statement of a few words before a question, with no work word and no liking, answers
# the work question only at this classifier probability.
TASK_BESIDE_QUESTION = 0.7
# A message this long still asks to go back when a phrase of several words says so.
_GO_BACK_PHRASE_WORDS = 16
# Before a question, a statement longer than this that names no work and no liking is
# context for the question, not a work answer.
_CONTEXT_WORDS = 6
# At the training or language question, a one-word "weiß nicht" cue ("egal", "alles")
# counts only in a message of at most this many words.
_SHORT_DONT_KNOW = 4
# Typo tolerance: edit distance allowed by word length (shorter words are not matched).
# The longest message `keeps_answer` reads ("nein, passt schon so, lassen wir es so").
_KEEP_MAX_WORDS = 8
_FUZZY_MIN_LENGTH = 8
_FUZZY_LONG = 12


# Tokens that end a sentence, and a clause (an `ongoing` phrase reaches no further).
_SENTENCE_ENDS = frozenset({".", "!", "?", ";"})
_CLAUSE_ENDS = _SENTENCE_ENDS | frozenset({",", "–", "-"})
# A year and its full stop, one token to the tokenizer ("seit 2019."): a sentence ends.
_YEAR_WITH_STOP = re.compile(r"^(19|20)\d\d\.$")
# A sentence of at most this many tokens may refer to what the one before named.
_SHORT_SENTENCE = 5


def _max_edits(word: str) -> int:
    if len(word) < _FUZZY_MIN_LENGTH:
        return 0
    return 1 if len(word) < _FUZZY_LONG else 2


@dataclass
class Mention:
    """One entity mention in a message."""

    label: str
    value: str
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    text: str
    negated: bool = False


# The spelling vocabulary outside the quiz (`_vocabulary`).
_OUTSIDE = "outside"
_OUTSIDE_MIN_LENGTH = 10
# A CEFR level as typed ("B2", "c1").
_CEFR = re.compile(r"[abc][12]")
# A title joined to the word for a training ("friseurausbildung", "MFA-Ausbildung").
_TRAINING_COMPOUND = re.compile(r"\b([a-zäöüß]{3,}?)-?(?:ausbildung|lehre)\b", re.IGNORECASE)
# Words between "statt" and the training or language it replaces ("statt einer
# Ausbildung zur Bankkauffrau" replaces no training: "Ausbildung" is none).
_ARTICLES = frozenset(
    {"der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "einem", "einen"}
    | {"mein", "meine", "meiner", "meinem", "meinen"}
)


class MessageParser:
    """Turns a message into ParsedAnswers with a spaCy pipeline and the lexicon."""

    def __init__(
        self,
        nlp,
        lex: Lexicon,
        task_probabilities: Optional[Callable[[str], Dict[str, float]]] = None,
    ) -> None:
        """Keeps the pipeline, lexicon and work-preference classifier; no work happens
        until `parse`.

        Args:
            nlp: the project's spaCy pipeline.
            lex: the lexicon.
            task_probabilities: text -> {label: probability} of the work-preference
                classifier (career_quiz/task_model.py); without it, only lexicon cues
                answer the work question.
        """
        from career_quiz.nlp import make_tokenize

        self.nlp = nlp
        self.lex = lex
        self.tokenize = make_tokenize(nlp)
        self.task_probabilities = task_probabilities
        self.question_cues = QuestionCues.from_data(lex.questions)
        self._phrase_cache: Dict[str, List[List[str]]] = {}
        self._vocabularies: Dict[str, Dict[str, str]] = {}
        self._compound_titles: Optional[FrozenSet[str]] = None

    # -- public API -------------------------------------------------------

    def parse(
        self,
        text: str,
        requested_slot: Optional[str] = None,
        ad_text: bool = False,
        *,
        glossed: bool = False,
    ) -> ParsedAnswers:
        """Parses one user message.

        Args:
            text: the raw message.
            ad_text: `text` is a line of a job ad (career_quiz/job_ad.py): what it names
                is the ad's, so words about an ad drop nothing.
            requested_slot: the quiz question the bot asked last, if any. Some
                answers only make sense as a reply to a question ("keine",
                "weiß nicht", "Buchhaltung").
            glossed: `text` is the German gloss of a short English answer (no second
                gloss).
        """
        text = (text or "")[:MAX_PARSE_CHARS].strip()
        if not text:
            return ParsedAnswers()
        text = self._split_training_compounds(self.lex.normalise(text))
        all_words = [t.lower_ for t in self.nlp.make_doc(text)]
        if self._is_english(all_words):
            return self._parse_english(text, requested_slot, ad_text)
        split = split_message(text, self.question_cues)
        if split.question and requested_slot in QUIZ_SLOTS and self._is_short_refusal(text):
            split = Split(text, "")  # "Kann ich noch nicht sagen", "Geht Sie nichts an"
        if split.asks and self._requests_change(all_words):
            # "Englisch lassen, aber Spanisch dazunehmen?": a change asked for politely
            # is an answer when it names a value.
            requested = self._parse_split(text, all_words, Split(text, ""), requested_slot, ad_text)
            if requested[1]:
                requested[0].change_request = requested[0].correction = True
                return requested[0]
        german = self._parse_split(text, all_words, split, requested_slot, ad_text)[0]
        if not glossed and requested_slot in QUIZ_SLOTS and self._gloss_may_read(text, german):
            # "numbers and accounting", "support my boss, calendars, travel": too few
            # English words to count as English (visit10 #2, #6: "support" was IT work).
            # The gloss wins unless it names a language the German reading does not
            # ("it b1" is Italian; glossed, "it" is the pronoun "es").
            read = self.parse(english_gloss(text), requested_slot, ad_text, glossed=True)
            if not read.is_empty() and set(read.languages) <= set(german.languages):
                return read
        return german

    def _gloss_may_read(self, text: str, german: ParsedAnswers) -> bool:
        """True when a quiz answer is worth reading on its English gloss: it has an
        English function word and no German one, or its German reading found nothing
        and it holds an English phrase of the gloss table ("no formal training": visit10
        #6).
        """
        if self._short_english(text):
            return True
        # Only a phrase of the gloss table counts: single words are German too ("Chef
        # unterstützen" glossed "koch" and stored a cook).
        return german.is_empty() and not german.question and has_english_phrase(text)

    @staticmethod
    def _short_english(text: str) -> bool:
        """True for a message with an English function word and no German one; a word in
        capitals is an abbreviation ("IT B1" is Italian, "IT-Support" IT work).
        """
        english, german = english_counts(_ABBREVIATION.sub(" ", text))
        return english >= 1 and german == 0

    def _split_training_compounds(self, text: str) -> str:
        """`text` with a training title joined to "ausbildung" or "lehre" written apart
        ("ne friseurausbildung", "MFA-Ausbildung" -> "Ausbildung als friseur"), so that
        the title is read; a compound that is a title itself ("Bankausbildung") stays.
        """
        if self._compound_titles is None:
            self._compound_titles = frozenset(
                t.value
                for t in self.lex.terms_for(LABEL_TRAINING)
                if t.kind == "phrase" and " " not in t.value
            )
        titles = self._compound_titles

        def apart(match: "re.Match[str]") -> str:
            stem = match.group(1)
            if match.group(0).lower() in titles:
                return match.group(0)
            for title in (stem, stem[:-1] if stem.lower().endswith("s") else ""):
                if title and title.lower() in titles:
                    return f"Ausbildung als {title[:1].upper()}{title[1:]}"
            return match.group(0)

        return _TRAINING_COMPOUND.sub(apart, text)

    def _parse_split(
        self,
        text: str,
        all_words: List[str],
        split: Split,
        requested_slot: Optional[str],
        ad_text: bool = False,
    ) -> Tuple[ParsedAnswers, Set[str]]:
        """Parses the statement part of `split`; also returns the slots it names values for."""
        result = ParsedAnswers()
        result.insult = self._is_insult(all_words)
        # A one-word cue ("eigentlich", "doch") corrects only in the statement part: "Was
        # ist eigentlich der Median über alle Berufe?" asks, it changes no answer.
        statement_words = [t.lower_ for t in self.nlp.make_doc(split.statement)]
        result.correction = (
            self._has_phrase(statement_words, "correction")
            or self._has_phrase(all_words, "correction", strict=True)
            # "ich hab zu schnell geklickt – Projekte wäre richtig gewesen" (fresh18)
            or self._has_phrase(statement_words, "wrong_click", strict=True)
        )
        go_back_to = self._named_question(all_words, requested_slot)
        # A short message, or a longer one with a phrase for it ("Mir ist ein Fehler bei
        # der vorigen Frage passiert, kann ich die wiederholen?"); an answer in it wins.
        go_back = bool(go_back_to) or (
            (
                len(all_words) <= 10
                and self._has_phrase(all_words, "go_back")
                or len(all_words) <= _GO_BACK_PHRASE_WORDS
                and self._has_phrase(all_words, "go_back", strict=True)
            )
            and not self._means_restart(all_words)
            and not self._recalls(all_words)
            and not self._has_phrase(all_words, "asks_first")
        )
        result.question, result.tentative = split.question, split.tentative
        if not result.question and self._has_phrase(all_words, "fit_doubt"):
            # "hmm weiß nicht ob das was für mich ist": asked without "?" (visit9 #11).
            result.question = text
        if not split.statement.strip():
            # "Kann ich die letzte Antwort ändern?"
            result.go_back, result.go_back_to = go_back, go_back_to
            return result, set()
        doc = self.nlp(self._correct_spelling(split.statement, requested_slot))
        words = [t.lower_ for t in doc]
        mentions = self._mentions(doc, requested_slot)
        if requested_slot != SLOT_TRAINING:
            mentions = self._drop_wishes(words, mentions)
        named = len(mentions)
        mentions = self._drop_examples(words, mentions)
        examples_only = named > 0 and not mentions  # "Titel wie Chefsekretärin – …?"
        mentions = self._drop_others(words, mentions, ad_text)
        mentions = self._drop_clicked(words, mentions)
        if requested_slot != SLOT_TRAINING:
            mentions = self._drop_courses(words, mentions)
        self._mark_negations(words, mentions)
        if any(m.negated for m in mentions if m.label in (LABEL_LANGUAGE, LABEL_TRAINING)) and (
            self._has_word(words, "remove")
        ):
            result.correction = True  # "Russisch weg bitte": taking an answer back corrects it

        asked = requested_slot in QUIZ_SLOTS
        # A one-word cue ("alles", "egal", "beides") says "weiß nicht" at the work question
        # or in a short message; at the training or language question a longer message
        # uses it otherwise ("Meine Tante meint, die machen fast alles").
        loose = requested_slot == SLOT_TASK or len(words) <= _SHORT_DONT_KNOW
        # At the training or language question, "weiß nicht" beside a question asks for
        # help ("weiß grad nicht was ich angeben soll… kann mir jemand helfen?"): no
        # answer yet. At the work question it is the answer "unsure".
        helpless = (bool(split.question) and requested_slot != SLOT_TASK) or self._has_phrase(
            words, "fit_doubt"
        )
        if asked and not helpless and self._says_dont_know(words, strict=not loose):
            result.dont_know = True
        if asked and self._has_phrase(words, "skip") and len(words) <= 8:
            result.skip = True
        result.addition = self._has_phrase(words, "addition")
        self._read_training(words, mentions, requested_slot, result)
        self._read_languages(words, mentions, requested_slot, result)
        # "wie lange dauert der Bescheid? brauch den für ne bewerbung": the statement
        # comes after the question, a remark on it.
        # "wie lange dauert der Bescheid? brauch den für ne bewerbung": the statement
        # comes after the question, a remark on it. Before a question, a whole sentence
        # that names no work and no liking is context for it too ("Ich habe gelesen, dass
        # Bürokräfte immer weniger Stunden arbeiten. Ist da was dran?"); a few words
        # ("Kreditoren und Debitoren – wie heißt die Stelle?") still answer.
        after = 0 <= _position(text, split.question) < _position(text, split.statement)
        remark = after or (bool(split.question) and (len(words) > _CONTEXT_WORDS or examples_only))
        self._read_task(
            split.statement, words, mentions, requested_slot, result, remark, bool(split.question)
        )
        self._settle_open_answer(words, mentions, requested_slot, result)
        explicit = _explicit_slots(result, mentions)
        if not explicit and self._has_phrase(words, "keep"):
            # "nee, passt alles so, ich wollte nix ändern": no answer and no correction.
            result.dont_know = result.correction = False
        if (
            go_back
            and not explicit
            and requested_slot is None
            and go_back_to in (None, SLOT_TASK)
            and self._has_phrase(words, "dont_know")
        ):
            # After the result the last question is the work question, and its new answer
            # is given: "falsch gedrückt bei der letzten frage, weiß ich noch nicht wäre
            # richtig" (fresh16).
            result.task, result.correction, result.dont_know = "unsure", True, False
            return result, _explicit_slots(result, mentions)
        if go_back and not explicit:
            return ParsedAnswers(
                go_back=True, go_back_to=go_back_to, question=result.question
            ), explicit
        return result, explicit

    def _requests_change(self, words: Sequence[str]) -> bool:
        """A change to the answers asked for in question form: a change verb
        ("dazunehmen", "streichen", "ändern"), no interrogative ("Was muss ich als
        Bankkauffrau ändern?") and no impersonal "man" ("Kann man Englisch später noch
        ändern?" asks about the quiz) and no advice asked for ("Sollte ich noch Spanisch
        dazunehmen?").
        """
        interrogatives = self.question_cues.interrogatives
        return (
            self._has_phrase(words, "change_request")
            and "man" not in words
            and not interrogatives & set(words)
            and not self._has_word(words, "change_request_not")
        )

    def _named_question(
        self, words: Sequence[str], requested_slot: Optional[str] = None
    ) -> Optional[str]:
        """The quiz question a short request to redo names ("die Sprachen nochmal angeben").

        Punctuation does not count towards the length. The work question is named only
        after the quiz ("die Frage, welche Arbeit mir liegt, nochmal beantworten"): while
        a question is open, it is the open one or one still to come.
        """
        if sum(any(c.isalpha() for c in w) for w in words) > 14 or self._recalls(words):
            return None
        if not self._has_phrase(words, "redo"):
            return None
        named = [(SLOT_LANGUAGES, "question_languages"), (SLOT_TRAINING, "question_training")]
        if requested_slot not in QUIZ_SLOTS:
            named.append((SLOT_TASK, "question_task"))
        for slot, cue in named:
            if self._has_word(words, cue):
                if slot == SLOT_TRAINING and self._redoes_the_training(words):
                    return None
                return slot
        return None

    def _redoes_the_training(self, words: Sequence[str]) -> bool:
        """A training done again ("Muss ich meine Ausbildung nochmal machen, weil sie jetzt
        anders heißt?"), not its answer asked again (visit12 went back a question). A verb
        of doing a training (`redo_training_verbs`) and none of answering.
        """
        if any("frage" in w for w in words):
            return False  # "die Ausbildungsfrage nochmal machen" is the question
        return self._has_word(words, "redo_training_verbs") and not (
            self._has_word(words, "answer_verbs") or self._has_word(words, "change_verbs")
        )

    def _recalls(self, words: Sequence[str]) -> bool:
        """A question about what was answered ("Welche Sprachen hab ich nochmal
        eingetragen?"): a past participle of answering and no verb that asks to answer
        again ("Kann ich ändern, was ich angegeben habe?" redoes).
        """
        if not self._has_word(words, "recall_participles"):
            return False
        return not (self._has_word(words, "answer_verbs") or self._has_word(words, "change_verbs"))

    def _means_restart(self, words: Sequence[str]) -> bool:
        """A word that turns "zurück" into a restart ("zurück auf Anfang", "alles neu"),
        unless an answer verb follows it ("die Frage davor neu beantworten").
        """
        blockers = set(self.lex.cues.get("go_back_not", []))
        verbs = set(self.lex.cues.get("answer_verbs", []))
        return any(
            w in blockers and not (i + 1 < len(words) and words[i + 1] in verbs)
            for i, w in enumerate(words)
        )

    # -- what a message is besides answers --------------------------------

    def _parse_english(
        self, text: str, requested_slot: Optional[str], ad_text: bool = False
    ) -> ParsedAnswers:
        """An English message read on its German gloss (career_quiz/english.py):
        "Polish native, English basic" stores both languages. A message about the chat's
        language ("Can we do this in English?") answers nothing, nor does one the gloss
        leaves English.
        """
        glossed = english_gloss(text)
        if self._is_english([t.lower_ for t in self.nlp.make_doc(glossed)]):
            return ParsedAnswers(english=True)
        result = self.parse(glossed, requested_slot, ad_text)
        # (German is no foreign language: "Can we do this in English? My German is not so
        # good" answered the language question with German A1-A2 and skipped it, visit8 #4.)
        leveled = set(result.languages) - set(result.languages_defaulted) - {GERMAN}
        if asks_for_english(text) and not (leveled or result.training or result.task):
            # "I speak English", "Sorry, I don't speak German": about the chat's
            # language; "I speak English fluently and Portuguese natively" answers.
            return ParsedAnswers(english=True)
        result.english = True
        return result

    def _is_english(self, words: Sequence[str]) -> bool:
        """Whether the message is written in English ("Can we do this in English?", "How
        much does a project assistant earn?"): career_quiz/english.py, the same test the
        topic routing uses.
        """
        return is_english_text(" ".join(words))

    def _is_insult(self, words: Sequence[str]) -> bool:
        """Whether the message holds an insult or a swear word."""
        parts = tuple(self.lex.cues.get("insult_parts", []))
        return any(w.startswith(parts) for w in words if parts) or self._has_phrase(
            words, "insults"
        )

    def _settle_open_answer(
        self,
        words: Sequence[str],
        mentions: Sequence[Mention],
        requested_slot: Optional[str],
        result: ParsedAnswers,
    ) -> None:
        """Drops what only seemed to answer the open question.

        A bare "nein" or "keine" answers the open question only when the message is
        about it: "Ach nein, Korrektur: eigentlich bin ich Bankkauffrau" at the language
        question corrects the training and says nothing about languages. "Keine Ahnung"
        is not knowing, not "keine Fremdsprachen". An insult answers nothing unless it
        names an answer.
        """
        if requested_slot not in QUIZ_SLOTS:
            return
        explicit = _explicit_slots(result, mentions)
        others = explicit - {requested_slot}
        # A correction or an addition of another answer ("hab noch ne zweite Ausbildung,
        # … also beides bitte"): its "beides" is no "weiß nicht" at the work question.
        correcting = bool(others) and (result.correction or result.addition)
        if requested_slot == SLOT_LANGUAGES and result.german_only:
            strong = (
                self._has_phrase(words, "german_only", strict=True)
                or any(m.label == LABEL_LANGUAGE and m.value == GERMAN for m in mentions)
                or self._no_foreign_language(words)
            )
            if not strong and (others or result.insult or result.dont_know):
                result.german_only = False
        if requested_slot == SLOT_TRAINING and result.no_training:
            strong = SLOT_TRAINING in explicit or self._has_phrase(
                words, "no_training", strict=True
            )
            if not strong and (others or result.insult):
                result.no_training = False
        if result.insult:
            result.unplaced_training = False
            result.dont_know = False
        if correcting and not (requested_slot == SLOT_TASK and self._has_word(words, "preference")):
            # (Unless it is said of the open work question: "Russisch streichen. Und ich
            # weiß ehrlich nicht, was ich am liebsten mache.")
            result.dont_know = False
        if requested_slot == SLOT_TASK and (correcting or result.insult):
            if SLOT_TASK not in explicit:
                result.task, result.task_candidates = None, []

    # -- mentions ---------------------------------------------------------

    def _says_dont_know(self, words: Sequence[str], strict: bool = False) -> bool:
        """A "weiß nicht" phrase, also with fillers inside ("Weiß ich ehrlich gesagt noch
        nicht", "unsure ehrlich gesagt"). Strict: a phrase of two words or more, not a
        single "alles" or "egal".
        """
        fillers = set(self.lex.cues.get("fillers", []))
        return self._has_phrase(words, "dont_know", strict) or self._has_phrase(
            [w for w in words if w not in fillers], "dont_know", strict
        )

    def _is_short_refusal(self, text: str) -> bool:
        """A short "weiß nicht" or "sag ich nicht" that looks like a question but is none."""
        if text.rstrip().endswith("?"):
            return False
        words = self.tokenize(text)
        return len(words) <= 8 and (
            self._has_phrase(words, "dont_know") or self._has_phrase(words, "skip")
        )

    def _mentions(self, doc, requested_slot: Optional[str] = None) -> List[Mention]:
        mentions = []
        for ent in doc.ents:
            tokens = [t.text for t in ent]
            lemmas = [t.lemma_ for t in ent]
            value = self.lex.resolve(ent.label_, tokens, lemmas, self.tokenize) or ent.ent_id_
            if not value or ent.label_ == LABEL_LANGUAGE and self._not_a_language(ent.text):
                continue
            mentions.append(Mention(ent.label_, value, ent.start, ent.end, ent.text))
        # Level words the ruler leaves alone ("etwas", "ein bisschen").
        taken = {i for m in mentions for i in range(m.start, m.end)}
        vocational = set(self.lex.cues.get("vocational", []))
        for i, token in enumerate(doc):
            if i in taken:
                continue
            for level, cue_words in self.lex.level_cues.items():
                if token.lower_ in cue_words:
                    mentions.append(Mention(LABEL_LEVEL, level, i, i + 1, token.text))
                    taken.add(i)
            if token.lower_ in vocational:
                mentions.append(Mention(LABEL_VOCATIONAL, LABEL_VOCATIONAL, i, i + 1, token.text))
                taken.add(i)
        mentions = self._iso_codes(doc, mentions)
        if requested_slot == SLOT_TASK:
            mentions = self._roles_as_tasks(doc, mentions)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _not_a_language(self, text: str) -> bool:
        """True for a word the language pattern catches that names none ("Germanistik")."""
        return text.lower().startswith(tuple(self.lex.cues.get("not_a_language", [])))

    def _roles_as_tasks(self, doc, mentions: List[Mention]) -> List[Mention]:
        """At the work question, a job title that names a task is that task.

        "Assistenz der Geschäftsleitung wäre ideal" names a kind of work there, not a
        finished training; a title named as a training ("Hab doch eine Ausbildung,
        Kaufmann für Versicherungen und Finanzen", "ich bin …", in a correction) stays one.
        """
        task_words = self.lex.single_word_terms(LABEL_TASK)
        trained = any(m.label == LABEL_VOCATIONAL for m in mentions) or self._has_phrase(
            [t.lower_ for t in doc], "correction"
        )
        introducers = set(self.lex.cues.get("title_introducers", []))
        result = []
        for m in mentions:
            # "ich bin Kaufmann für Versicherungen und Finanzanlagen" names a training.
            introduced = m.start > 0 and doc[m.start - 1].lower_ in introducers
            if m.label == LABEL_TRAINING and not trained and not introduced:
                task = next(
                    (task_words[t.lower_] for t in doc[m.start : m.end] if t.lower_ in task_words),
                    None,
                )
                if task:
                    m = Mention(LABEL_TASK, task, m.start, m.end, m.text, m.negated)
            result.append(m)
        return result

    def _iso_codes(self, doc, mentions: List[Mention]) -> List[Mention]:
        """Two-letter language codes next to a CEFR level ("ES B2", "it: a2", "(EN) C1").

        A code alone is a plain word ("es", "it") or a topic ("IT"), so it counts
        only beside a level, and in lowercase only beside a CEFR level ("es fließend" is
        the pronoun); a task mention "IT" next to a level becomes Italian.
        """
        codes = set(self.lex.language_names)
        levels = {m.start: m for m in mentions if m.label == LABEL_LEVEL}
        result = list(mentions)
        for i, token in enumerate(doc):
            code = token.lower_
            if code not in codes or len(token.text) != 2:
                continue
            j = i + 1
            while j < len(doc) and doc[j].text in (":", "-", "(", ")", "="):
                j += 1
            if j not in levels:
                continue
            if token.text.islower() and not _CEFR.fullmatch(levels[j].text.lower()):
                continue  # "ich spreche es fließend": the pronoun, not Spanish
            result = [m for m in result if not (m.start <= i < m.end)]
            result.append(Mention(LABEL_LANGUAGE, code, i, i + 1, token.text))
        return result

    def _correct_spelling(self, text: str, requested_slot: Optional[str]) -> str:
        """`text` with words one or two typos away from a title or language word corrected.

        Only while the training or language question is open, where such words are
        expected, and outside the quiz, where a first message often names the training
        ("Kauffrau fü Büromanagment" right after the greeting); not at the work question.
        Umlauts written as ae/oe/ue count as the same letters ("bueromanagment" ->
        "büromanagement", "Fransösisch" -> "französisch").
        """
        if requested_slot not in (SLOT_TRAINING, SLOT_LANGUAGES, None):
            return text
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        vocabulary = self._vocabulary(requested_slot or _OUTSIDE)
        out = []
        for token in self.nlp.make_doc(text):
            word = fold_umlauts(token.lower_)
            limit = _max_edits(word)
            replacement = token.text
            if limit and word.isalpha() and word not in vocabulary:
                match = process.extractOne(
                    word, vocabulary.keys(), scorer=Levenshtein.distance, score_cutoff=limit
                )
                if match is not None and not self._names_a_workplace(word, vocabulary):
                    replacement = vocabulary[match[0]]
            elif word in vocabulary and vocabulary[word] != token.lower_:
                replacement = vocabulary[word]  # "bueromanagement"
            out.append(replacement + token.whitespace_)
        return "".join(out)

    def _names_a_workplace(self, word: str, vocabulary: Dict[str, str]) -> bool:
        """True for a title with a workplace ending ("Dachdeckerei", "Bäckerei"): the
        business one works in, not a typo of a title (job_ads_fresh4: "mach ich das
        büro in einer dachdeckerei" stored a roofer's training).
        """
        endings = self.lex.cues.get("workplace_endings", [])
        return any(word.endswith(e) and word[: -len(e)] in vocabulary for e in endings)

    def _vocabulary(self, slot: str) -> Dict[str, str]:
        """Folded word -> word, of the lexicon words the slot's answers are made of."""
        if slot not in self._vocabularies:
            if slot == SLOT_LANGUAGES:
                words = {n for names in self.lex.language_names.values() for n in names}
            elif slot == _OUTSIDE:
                # Outside the quiz only the later, long words of a title of several
                # words ("Büromanagment" after "Kauffrau für"): a job named in a question
                # ("was teamassistenten verdienen") is no training to correct into.
                phrases = [
                    t.value.split()
                    for t in self.lex.terms_for(LABEL_TRAINING)
                    if t.kind == "phrase" and " " in t.value
                ]
                # Long words only: "Assistenz" is no typo of "Assistent".
                words = {w for ws in phrases for w in ws[1:] if len(w) >= _OUTSIDE_MIN_LENGTH}
            else:
                words = {
                    w
                    for t in self.lex.terms_for(LABEL_TRAINING) + self.lex.terms_for(LABEL_SCHOOL)
                    if t.kind == "phrase"
                    for w in t.value.split()
                }
                words |= set(self.lex.cues.get("vocational", []))
            vocabulary: Dict[str, str] = {}
            # The umlaut spelling wins over its folded twin ("bürokauffrau", not
            # "buerokauffrau"): a visitor's "Bürokauffrau" stays as written.
            for w in sorted(words, key=lambda w: fold_umlauts(w) == w):
                if len(w) >= _FUZZY_MIN_LENGTH:
                    vocabulary.setdefault(fold_umlauts(w), w)
            self._vocabularies[slot] = vocabulary
        return self._vocabularies[slot]

    def _clause_bounds(self, words: Sequence[str], mentions: Sequence[Mention]) -> List[int]:
        """Clause id per token. "und" between two mentions of one label does not split,
        nor one inside a mention ("Groß- und Außenhandel").
        """
        breaks = set(self.lex.cues["clause_breaks"])
        starts = {m.start: m for m in mentions}
        ends = {m.end: m for m in mentions}
        inside = {i for m in mentions for i in range(m.start + 1, m.end)}
        clause_of = []
        clause = 0
        for i, word in enumerate(words):
            if word in breaks and i not in inside:
                coordinated = (
                    word in ("und", "sowie", "oder", ",")
                    and i in ends
                    and i + 1 in starts
                    and ends[i].label == starts[i + 1].label
                )
                if not coordinated:
                    clause += 1
            clause_of.append(clause)
            if _YEAR_WITH_STOP.match(word):
                clause += 1  # "Steuerfachangestellte seit 2019. überlege zu wechseln"
        return clause_of

    def _mark_negations(self, words: Sequence[str], mentions: List[Mention]) -> None:
        cues = self.lex.cues
        determiners = set(cues["negation_determiners"])
        particles = set(cues["negation_particles"])
        intention = set(cues.get("intention", []))
        neither, nor = set(cues.get("neither", [])), set(cues.get("nor", []))
        answers_no = set(cues.get("negation_answers", []))
        recognised = tuple(cues.get("recognised", []))
        instead, comparatives = set(cues.get("instead", [])), set(cues.get("comparatives", []))
        clause_of = self._clause_bounds(words, mentions)
        negatable = [m for m in mentions if m.label != LABEL_LEVEL]
        self._mark_removals(words, mentions, clause_of)
        self._mark_retracted(words, mentions, clause_of)
        _mark_self_corrected(words, mentions, cues)
        neither_seen = False
        for i, word in enumerate(words):
            if word in neither or (neither_seen and word in nor):
                # "weder Lehre noch Uni": the next mention after each.
                neither_seen = True
                for m in negatable:
                    if i < m.start <= i + 3:
                        m.negated = True
                        break
                continue
            if word in particles and self._softened_level(words, i, mentions):
                continue  # "Englisch nicht so gut" is a level, not a negation
            if (
                i
                and words[i - 1] in _BESIDES
                and word in particles | determiners | answers_no
                and (i + 1 == len(words) or words[i + 1] in _CLAUSE_END)
            ):
                continue  # "englisch b1 sonst nix": nothing besides, English stays
            if word in particles | answers_no and any(
                w.startswith(recognised) for w in words[i + 1 : i + 4]
            ):
                # "mein Studium ist doch nicht anerkannt": the study is talked about, not
                # denied and not answered again.
                trainings_ = [m for m in mentions if m.label in (LABEL_TRAINING, LABEL_VOCATIONAL)]
                talked_about = {id(m) for m in trainings_ if clause_of[m.start] == clause_of[i]}
                before = [
                    m
                    for m in trainings_
                    if m.end <= i and not _SENTENCE_ENDS & set(words[m.end : i])
                ]
                if not talked_about and before:
                    # "Mein Bachelor ist hier aber nicht anerkannt": the one named last.
                    talked_about = {id(before[-1])}
                mentions[:] = [m for m in mentions if id(m) not in talked_about]
                negatable = [m for m in negatable if id(m) not in talked_about]
                continue
            if word in answers_no and self._negates_previous(words, i, negatable, clause_of):
                continue  # "Englisch: keine", "Italienisch – nein"
            if word in determiners:
                # "kein Studium", "keine guten Englischkenntnisse": the next mention, and
                # those joined to it by "oder" ("keine Termine oder Telefonate").
                for k, m in enumerate(negatable):
                    if i < m.start <= i + 3 and clause_of[m.start] == clause_of[i]:
                        m.negated = True
                        if m.label == LABEL_VOCATIONAL:
                            # "keine Ausbildung als Bürokauffrau" ("keine
                            # Bürokauffrau-Ausbildung"): the training named is denied.
                            m = self._named_after(words, m, negatable[k + 1 :]) or m
                            m.negated = True
                        for nxt in negatable[k + 1 :]:
                            if nxt.label != m.label or words[m.end : nxt.start] != ["oder"]:
                                break
                            nxt.negated = True
                            m = nxt
                        break
            elif word in particles:
                following = words[i + 1 : i + 3]
                if following[:1] == ["nur"]:
                    continue  # "nicht nur Englisch, sondern auch ..."
                listed = [m for m in negatable if clause_of[m.start] == clause_of[i]]
                if following[:1] and following[0] in set(cues.get("button_trainings", [])):
                    # "Kfz-Mechatroniker, nicht Büro": the button's word is denied
                    # (_denies_the_button), the training named beside it stays; "nicht
                    # Sekretariat" at the work question denies that work.
                    listed = [m for m in listed if m.start == i + 1]
                if any(m.start == i + 1 for m in listed):
                    # "nicht Französisch, Englisch meinte ich": up to the next comma.
                    comma = next((j for j in range(i + 1, len(words)) if words[j] == ","), None)
                    listed = [
                        m for m in listed if m.start > i and (comma is None or m.start < comma)
                    ]
                dropout = self.lex.cues.get("dropout", [])
                if word in dropout or any(
                    words[i : i + len(p.split())] == p.split() for p in dropout if " " in p
                ):
                    # "Ausbildung zur Bürokauffrau, Studium nicht fertig gemacht": only
                    # what follows the last comma before it was dropped.
                    listed = _after_last_comma(words, i, listed)
                for m in listed:
                    m.negated = True
            elif word in instead or (word == "als" and i and words[i - 1] in comparatives):
                # "Gehaltsabrechnung lieber als Telefon", "Projekte statt Ablage":
                # the tasks after it are the ones not wanted. At the start of a clause
                # only the next one ("Statt Projekten liegen mir Fachaufgaben").
                breaks = cues["clause_breaks"]
                leading = word in instead and (i == 0 or words[i - 1] in breaks)
                for m in negatable:
                    if m.label == LABEL_TASK and m.start > i and clause_of[m.start] == clause_of[i]:
                        m.negated = True
                        if leading:
                            break
                if word in instead:
                    # "Ich habe statt Büromanagement eine Ausbildung zur Bankkauffrau": the
                    # training or language right after it is the one replaced.
                    # Only one named right after it ("statt der Bürokauffrau"): in "Statt
                    # Einzelhandel bitte Bankkaufmann" the replaced one is no mention.
                    for m in negatable:
                        between = words[i + 1 : m.start]
                        if m.label != LABEL_TASK and m.start > i:
                            m.negated = all(w in _ARTICLES for w in between)
                            break
            elif word in intention:
                # "Ich möchte studieren": a plan, not a finished training; also in the
                # infinitive clause after it ("überlege, noch eine Büroausbildung
                # dranzuhängen").
                planned = {clause_of[i], *_infinitive_clause_after(words, i, clause_of)}
                for m in negatable:
                    if (
                        m.label in (LABEL_TRAINING, LABEL_VOCATIONAL)
                        and clause_of[m.start] in planned
                    ):
                        m.negated = True

    def _named_after(
        self, words: Sequence[str], vocational: Mention, following: Sequence[Mention]
    ) -> Optional[Mention]:
        """The training a word for a training names right after it ("Ausbildung als
        Bürokauffrau", "Ausbildung zur Bankkauffrau"), or None.
        """
        if not following or following[0].label != LABEL_TRAINING:
            return None
        between = words[vocational.end : following[0].start]
        linking = set(self.lex.cues.get("title_links", [])) | _ARTICLES
        return following[0] if len(between) <= 2 and set(between) <= linking else None

    def _mark_removals(
        self, words: Sequence[str], mentions: Sequence[Mention], clause_of: Sequence[int]
    ) -> None:
        """Takes back a language or training ("Spanisch bitte streichen", "bitte raus").

        The one in the clause of the word, else the one named just before it in the same
        sentence. "raus" after "aus" or before it is a direction ("ich will aus der Pflege
        raus", "raus aus der Pflege"), after "seit" a time out of work ("Bürokauffrau, aber
        seit der Elternzeit raus").
        """
        remove = set(self.lex.cues.get("remove", []))
        targets = [m for m in mentions if m.label in (LABEL_LANGUAGE, LABEL_TRAINING)]
        for i, word in enumerate(words):
            if word not in remove:
                continue
            if word == "raus" and {"aus", "seit"} & set(words[max(0, i - 5) : i]):
                continue  # "aus der Pflege raus", "seit der Elternzeit raus" (out of work)
            if word == "raus" and set(self.lex.cues.get("leaving", [])) & set(words[i - 1 : i]):
                continue  # "seit 12 Jahren in der Filiale. will da raus" (fresh18)
            if word in ("raus", "weg") and words[i + 1 : i + 2] in (["aus"], ["von"]):
                continue  # "will raus aus der Pflege", "weg vom Einzelhandel": a direction
            own = [m for m in targets if clause_of[m.start] == clause_of[i]]
            if not own:
                # In the same sentence, or before a short one of its own ("Spanisch. Bitte
                # raus damit"), not across a sentence that says something else.
                start = max((j + 1 for j in range(i) if words[j] in _SENTENCE_ENDS), default=0)
                end = next(
                    (j for j in range(i, len(words)) if words[j] in _SENTENCE_ENDS), len(words)
                )
                first = 0 if end - start <= _SHORT_SENTENCE else start
                own = [m for m in targets if first <= m.start and m.end <= i][-1:]
            for m in own:
                m.negated = True

    def _mark_retracted(
        self, words: Sequence[str], mentions: Sequence[Mention], clause_of: Sequence[int]
    ) -> None:
        """Takes back what a clause calls wrong after naming it ("IT-Kauffrau war falsch",
        "das Englisch war geflunkert"): the trainings, languages and work named before the
        cue in its clause. A language with a level word after the cue stays: the level
        was wrong, not the language ("Englisch war falsch angegeben, eher fließend").
        """
        for m, cue in self._retracted(words, mentions, clause_of):
            if m.label == LABEL_LANGUAGE and self._level_follows(cue, mentions):
                continue
            if m.label != LABEL_VOCATIONAL:
                m.negated = True

    def _retracted(
        self, words: Sequence[str], mentions: Sequence[Mention], clause_of: Sequence[int]
    ) -> List[Tuple[Mention, int]]:
        """The trainings, languages, work and generic training words ("die Angabe zur
        Ausbildung war ein Fehler") named before a `retracted` cue in its clause, each
        with the cue's position.
        """
        labels = (LABEL_LANGUAGE, LABEL_TRAINING, LABEL_TASK, LABEL_VOCATIONAL)
        cues = self.lex.cues
        negations = set(cues["negation_determiners"]) | set(cues["negation_particles"])
        found = []
        for i in self._phrase_positions(words, "retracted"):
            if i and words[i - 1] in negations:
                continue  # "Englisch ist kein Quatsch", "war nicht falsch"
            found += [
                (m, i)
                for m in mentions
                if m.label in labels and m.end <= i and clause_of[m.start] == clause_of[i]
            ]
        return found

    @staticmethod
    def _level_follows(i: int, mentions: Sequence[Mention]) -> bool:
        """A level word after token `i`, before any further language is named."""
        for m in sorted(mentions, key=lambda m: m.start):
            if m.start <= i:
                continue
            if m.label == LABEL_LANGUAGE:
                return False
            if m.label == LABEL_LEVEL:
                return True
        return False

    @staticmethod
    def _negates_previous(
        words: Sequence[str], i: int, negatable: Sequence[Mention], clause_of: Sequence[int]
    ) -> bool:
        """Negates the mention right before a bare "keine"/"nein" ("Englisch: keine.",
        "Ausbildung nein").

        Applies only when nothing negatable follows in the negation's own clause, so
        "Englisch gut, kein Französisch" still negates Französisch.
        """
        if any(m.start > i and clause_of[m.start] == clause_of[i] for m in negatable):
            return False
        if i + 1 < len(words) and words[i + 1] not in _CLAUSE_END:
            return False  # "keine Fremdsprache": the word has an object of its own
        before = [m for m in negatable if m.end <= i]
        if not before:
            return False
        last = before[-1]
        if not all(w in _NEGATION_GAP for w in words[last.end : i]):
            return False
        last.negated = True
        return True

    @staticmethod
    def _softened_level(words: Sequence[str], i: int, mentions: Sequence[Mention]) -> bool:
        j = i + 1
        while j < len(words) and words[j] in _SOFTENERS:
            j += 1
        for m in mentions:
            if m.label == LABEL_LEVEL and m.start == j:
                m.value = "basic"
                return True
        return False

    # -- training ---------------------------------------------------------

    def _read_training(
        self,
        words: Sequence[str],
        mentions: Sequence[Mention],
        requested_slot: Optional[str],
        result: ParsedAnswers,
    ) -> None:
        self._mark_jobs(words, mentions)
        trainings = [m for m in mentions if m.label == LABEL_TRAINING]
        self._mark_dropouts(words, mentions, result)
        self._mark_said_before(words, mentions)
        for m in self._ongoing(words, trainings):
            m.negated = True  # "mein Bachelor läuft noch": not finished
        denied = self._denies_the_button(words, mentions)
        result.training_replaces = (
            self._replaces_training(words, trainings)
            or denied
            # "falsch gedrückt, Bachelor Soziologie": the clicked answer was wrong.
            or self._has_phrase(words, "wrong_click")
            and any(not m.negated for m in trainings)
            # "nee, hab studiert, Diplom-Betriebswirtin": the clicked answer denied.
            or bool(words)
            and words[0] in self.lex.cues.get("denial_openers", [])
            and not self._has_word(words, "addition")
            and any(not m.negated for m in trainings)
            # "ich hab nen Master in Germanistik, keine Ausbildung": the study instead.
            or any(m.label == LABEL_VOCATIONAL and m.negated for m in mentions)
            and any(m.value == "degree" and not m.negated for m in trainings)
        )
        clause_of = self._clause_bounds(words, mentions)
        if any(m.label == LABEL_VOCATIONAL for m, _ in self._retracted(words, mentions, clause_of)):
            # "Die Angabe zur Ausbildung war falsch, ich habe studiert": the training
            # answer is replaced, a study is not added beside it.
            result.training_replaces = True
        for m in trainings:
            target = result.training_removed if m.negated else result.training
            if m.value not in target:
                target.append(m.value)
            if not m.negated:
                result.training_texts.setdefault(m.value, m.text)
        if denied and OFFICE not in result.training + result.training_removed:
            # "Büro hab ich nie gelernt": the office button's answer is taken back.
            result.training_removed.append(OFFICE)
        if "none" in result.training:
            result.no_training = not [t for t in result.training if t != "none"]
            result.training.remove("none")
        # "büro war falsch, ich hab einzelhandel gelernt" at a later question: the
        # training named instead is read as at the training question (fresh17).
        asked = requested_slot == SLOT_TRAINING or (
            denied and any(m.label == LABEL_VOCATIONAL and not m.negated for m in mentions)
        )
        if not asked and not result.training and self._says_no_training(words):
            result.no_training = True  # "war nix, ich hab gar keine Ausbildung"
        if result.training or not asked:
            return
        deferred = self._deferring_clauses(words, clause_of)
        # "Ausbildung hab ich keine": the training word inside a phrase that says none
        # is no unplaced training (visit12: "jura abgebrochen. ausbildung hab ich keine"
        # stored a non-commercial training).
        denied_at: Set[int] = set()
        for phrase in self._phrases("no_training"):
            n = len(phrase)
            for i in range(len(words) - n + 1) if n > 1 else ():
                if list(words[i : i + n]) == phrase:
                    denied_at.update(range(i, i + n))
        vocational = [
            m
            for m in mentions
            if m.label == LABEL_VOCATIONAL
            and clause_of[m.start] not in deferred
            and not (m.start in denied_at and not m.negated)
        ]
        # (Not a school named as where something was learnt: "Englisch-LK im Abi".)
        schools = [
            m
            for m in mentions
            if m.label == LABEL_SCHOOL
            and not m.negated
            and not (m.start and words[m.start - 1] in ("im", "beim"))
        ]
        if any(not m.negated for m in vocational):
            if result.question and not self._has_word(words, "own_training"):
                # "mein Mann meint, ich brauche einen Pass, damit mein Abschluss anerkannt
                # wird. Stimmt das?": a training beside a question, not the visitor's answer.
                return
            # "Ausbildung als Tierpflegerin": a training we have no title for.
            result.unplaced_training = True
            result.unplaced_value = self._unplaced_category(words)
        elif (
            schools
            or result.training_removed
            or any(m.negated for m in vocational)
            or self._has_phrase(self._own_sentences(words), "no_training", strict=True)
            or (
                # (Not the "keine" of "keine Ahnung, was ich ankreuzen soll – kann ich
                # mit jemandem reden?": help asked for, no answer.)
                not (result.dont_know or result.skip or self._says_dont_know(words, strict=True))
                and self._says_none(self._own_sentences(words))
            )
        ):
            # "Nur Abitur", "kein Studium", "nie eine Lehre gemacht", "keine": no training.
            result.no_training = True
            result.dont_know = False

    def _deferring_clauses(self, words: Sequence[str], clause_of: Sequence[int]) -> Set[int]:
        """Clauses that put the training answer off: "bevor ich meine Ausbildung nenne",
        "Ausbildung kommt gleich", "Meine Ausbildung sag ich gleich".
        """
        found = {clause_of[i] for i in self._phrase_positions(words, "deferral_openers")}
        verbs = {clause_of[i] for i in self._phrase_positions(words, "deferral_verbs")}
        times = {clause_of[i] for i in self._phrase_positions(words, "deferral_times")}
        return found | (verbs & times)

    def _mark_jobs(self, words: Sequence[str], mentions: Sequence[Mention]) -> None:
        """Negates the titles named as a job ("arbeite seit 6 Jahren als Bürokraft") in a
        message that denies a training ("weder Lehre noch Uni"): work, not a training.
        """
        if not any(m.label == LABEL_VOCATIONAL and m.negated for m in mentions):
            return
        verbs = set(self.lex.cues.get("works_as", []))
        for i, word in enumerate(words):
            if word not in verbs:
                continue
            # ("arbeite aber seit über 5 jahren vollzeit als bürokraft", fresh18)
            after = words[i + 1 : i + 10]
            if "als" not in after:
                continue
            start = i + 1 + after.index("als") + 1
            for m in mentions:
                if m.label == LABEL_TRAINING and start <= m.start <= start + 2:
                    m.negated = True
        for m in mentions:
            # "hab als verkäuferin gearbeitet ohne ausbildung": the verb after the title.
            if (
                m.label == LABEL_TRAINING
                and m.start > 0
                and words[m.start - 1] == "als"
                and set(words[m.end : m.end + 3]) & verbs
            ):
                m.negated = True

    def _replaces_training(self, words: Sequence[str], trainings: Sequence[Mention]) -> bool:
        """A negation before "sondern" and a training named after it ("keine
        IT-Ausbildung, sondern einen Bachelor", "nicht in der Lehre, sondern studiert").
        """
        cues = self.lex.cues
        negations = set(cues["negation_determiners"]) | set(cues["negation_particles"])
        for i, word in enumerate(words):
            if word not in set(cues.get("contrast", [])):
                continue
            if negations & set(words[:i]) and any(m.start > i and not m.negated for m in trainings):
                return True
        return False

    def _drop_wishes(self, words: Sequence[str], mentions: List[Mention]) -> List[Mention]:
        """Drops training titles named as a wish, within three words of a wish cue
        ("Sekretärin wär cool" at the work question): a wish is no training.
        """
        # "Personaldienstleistungskaufmann wäre korrekt gewesen", "Richtig wäre: Bachelor
        # of Arts" (fresh18): a correction, no wish.
        not_wish = set(self.lex.cues.get("wish_not_before", []))
        cues = [
            i
            for i in self._phrase_positions(words, "wish")
            if not not_wish & set(words[i + 1 : i + 3]) and not (i and words[i - 1] in not_wish)
        ]
        breaks = {"und", "aber", "sondern", "oder", ",", ";", ".", "-", "–"}

        def wished(m: Mention) -> bool:
            for i in cues:
                # "Sekretärin wär cool" (right after), "würde gern als Sekretärin" (just
                # before), with no clause break in between ("Bankkauffrau und würde gern").
                span = words[m.end : i] if i >= m.end else words[i + 1 : m.start]
                if (m.end <= i <= m.end + 1 or m.start - 3 <= i < m.start) and not (
                    breaks & set(span)
                ):
                    return True
            return False

        return [m for m in mentions if m.label != LABEL_TRAINING or not wished(m)]

    def _drop_courses(self, words: Sequence[str], mentions: List[Mention]) -> List[Mention]:
        """Drops a training title named as a course asked about ("der kurs lohnbuchhalter
        ihk, ist das ein echter abschluss?" at the work question): a course word right
        before it and no word in the message that makes it the visitor's own ("Lehrgang
        Lohnbuchhalter gemacht"). At the training question a course named is the answer.
        """
        if self._has_word(words, "own_training"):
            return mentions
        course_words = set(self.lex.cues.get("course_words", []))
        courses = [i for i, w in enumerate(words) if w in course_words]
        return [
            m
            for m in mentions
            if m.label != LABEL_TRAINING
            # (Or right after it: "IHK Office Assistent lehrgang, gibts den noch?", visit12.)
            or not any(i < m.start <= i + 2 or m.end <= i <= m.end + 1 for i in courses)
        ]

    def _drop_clicked(self, words: Sequence[str], mentions: List[Mention]) -> List[Mention]:
        """Drops a training or language named as the button clicked ("hatte nur deutsch
        geklickt", "hab büro geklickt aber …"): it names the old answer, not a new one.
        """
        clicked_verbs = set(self.lex.cues.get("clicked_verbs", []))
        clicked = [i for i, w in enumerate(words) if w in clicked_verbs]
        return [
            m
            for m in mentions
            if m.label not in (LABEL_LANGUAGE, LABEL_TRAINING)
            or not any(m.end <= i <= m.end + 1 for i in clicked)
        ]

    def _drop_examples(self, words: Sequence[str], mentions: List[Mention]) -> List[Mention]:
        """Drops training titles (and the work they name) given as examples ("Titel wie
        Chefsekretärin – darf sich das jeder nennen?", "Berufe wie Bankkaufmann"): a word
        of `example_heads`, then "wie", then the title within three words; an example is
        no answer.
        """
        heads = set(self.lex.cues.get("example_heads", []))
        starts = [
            i + 2 for i in range(len(words) - 1) if words[i] in heads and words[i + 1] == "wie"
        ]

        def example(m: Mention) -> bool:
            return any(s <= m.start <= s + 3 for s in starts)

        return [
            m for m in mentions if m.label not in (LABEL_TRAINING, LABEL_TASK) or not example(m)
        ]

    def _others_parts(self, words: Sequence[str]) -> Tuple[List[int], Dict[int, int]]:
        """The sentence of each word, and per sentence about someone else the position
        where that part starts: a possessive before one of the `others_people`, in a
        sentence where the visitor does not speak ("Französisch, weil meine Mutter
        Französin ist" keeps the French named before it).
        """
        cues = self.lex.cues
        possessives = set(cues.get("others_possessives", []))
        people = set(cues.get("others_people", []))
        own = set(cues.get("own_pronouns", []))
        sentence, current = [], 0
        for word in words:
            sentence.append(current)
            if word in (".", "!", "?", ";"):
                current += 1
        speaks = {sentence[i] for i, w in enumerate(words) if w in own}
        starts = {
            sentence[i]: i
            for i in reversed(range(len(words) - 1))
            if words[i] in possessives and words[i + 1] in people and sentence[i] not in speaks
        }
        return sentence, starts

    def _own_sentences(self, words: Sequence[str]) -> List[str]:
        """`words` without the parts about someone else ("Meine Kollegin ohne Ausbildung
        arbeitet seit 5 Jahren im Büro"), as `_others_parts` finds them.
        """
        sentence, starts = self._others_parts(words)
        return [
            w for i, w in enumerate(words) if sentence[i] not in starts or i < starts[sentence[i]]
        ]

    def _drop_others(
        self, words: Sequence[str], mentions: List[Mention], ad_text: bool = False
    ) -> List[Mention]:
        """Drops the trainings of someone else ("meine Schwester hat ihre Ausbildung zur
        Bankkauffrau gemacht", "Mein Sohn macht Abi"): those after a possessive before one
        of the `others_people` in a sentence without a first person (a language stays:
        "Italienisch – mein Vater ist Italiener, bin zweisprachig"); and everything
        named in a clause about a job ad ("Steht bei Spanisch in einer Anzeige", "Eine
        Kanzlei sucht jemanden … Man soll Steuerfachangestellte sein").
        """
        cues = self.lex.cues
        own = set(cues.get("own_pronouns", []))
        sentence, starts = self._others_parts(words)
        kept = [
            m
            for m in mentions
            if m.label not in (LABEL_TRAINING, LABEL_VOCATIONAL, LABEL_SCHOOL)
            or sentence[m.start] not in starts
            or m.start < starts[sentence[m.start]]
        ]
        if ad_text:
            return kept
        endings = tuple(cues.get("ad_word_endings", []))
        ad_words = set(cues.get("ad_words", []))
        clause_of = self._clause_bounds(words, kept)
        speaking = {clause_of[i] for i, w in enumerate(words) if w in own}
        ads: Set[int] = set()
        for i, word in enumerate(words):
            if word.endswith(endings) or word in ad_words:
                # The ad's clause and those after it in the sentence, up to one in
                # which the visitor speaks ("in der Anzeige steht C1, ich habe B2").
                for j in range(i, len(words)):
                    if sentence[j] != sentence[i] or (
                        clause_of[j] != clause_of[i] and clause_of[j] in speaking
                    ):
                        break
                    ads.add(clause_of[j])
        return [m for m in kept if clause_of[m.start] not in ads]

    def _says_no_training(self, words: Sequence[str]) -> bool:
        """Says no training ("keine Ausbildung", "keinen Abschluss") at any question."""
        words = self._own_sentences(words)  # not "Meine Kollegin ohne Ausbildung …"
        named = bool(set(self.lex.cues.get("training_nouns", [])) & set(words))
        if self._has_phrase(words, "no_training", strict=True) and named:
            return True
        # "hab die ausbildung damals abgebrochen, also eigentlich keine": a training given
        # up, then a lone "keine" for it (fresh16); "bei der ausbildung geflunkert, hab
        # eigentlich gar keine": the answer called wrong (fresh18, read as German only).
        given_up = bool(self._phrase_positions(words, "dropout"))
        called_wrong = self._has_phrase(words, "wrong_click") and not any(
            "sprach" in w or w in self._language_words() for w in words
        )
        return named and (given_up or called_wrong) and self._lone_no(words)

    def _language_words(self) -> Set[str]:
        """Every word that names a language ("englisch", "english", "polnisch")."""
        return {n for names in self.lex.language_names.values() for n in names}

    def _mark_dropouts(
        self, words: Sequence[str], mentions: Sequence[Mention], result: ParsedAnswers
    ) -> None:
        """Trainings given up: negated, and kept in `training_dropped`.

        "Studium abgebrochen" is negated in its clause already; "Ich habe Jura studiert,
        aber nach drei Semestern abgebrochen" names the study in the clause before.
        """
        trainings = [m for m in mentions if m.label in (LABEL_TRAINING, LABEL_VOCATIONAL)]
        if not trainings:
            return
        positions = self._phrase_positions(words, "dropout")
        if not positions:
            return
        clause_of = self._clause_bounds(words, mentions)
        schools = {clause_of[m.start] for m in mentions if m.label == LABEL_SCHOOL}
        for i in positions:
            in_clause = [m for m in trainings if clause_of[m.start] == clause_of[i]]
            if clause_of[i] in schools and not in_clause:
                continue  # "hab in der 12. Klasse abgebrochen": the school was given up
            # "studiert, ohne Abschluss": the cue's own "Abschluss" is no training named.
            own = [
                m
                for m in trainings
                if clause_of[m.start] == clause_of[i]
                and not (m.label == LABEL_VOCATIONAL and i <= m.start <= i + 1)
            ]
            if not own:
                before = [m for m in trainings if m.end <= i]
                own = _last_named(before)
            own = _after_last_comma(words, i, own)
            own += self._named_along(words, own, trainings, set(positions))
            # "ne Ausbildung als Friseurin angefangen aber abgebrochen": the training word
            # right before the title goes with it (visit11 #6 stored a finished training).
            own += [
                v
                for v in trainings
                if v.label == LABEL_VOCATIONAL
                and v not in own
                and any(m.label == LABEL_TRAINING and 0 <= m.start - v.end <= 2 for m in own)
            ]
            for m in own:
                m.negated = True
                if m.label == LABEL_TRAINING and m.value != "none":
                    result.training_dropped.setdefault(m.value, m.text)
        self._mark_same_study_dropped(words, trainings, result)

    def _mark_same_study_dropped(
        self, words: Sequence[str], trainings: Sequence[Mention], result: ParsedAnswers
    ) -> None:
        """A study named by its verb in the sentence of a dropped one is that study ("Ich
        habe doch studiert, 2 Semester BWL, dann abgebrochen": visit9 #2 stored
        "Studium"), unless a study finished by its title is named too ("Bachelor, Master
        abgebrochen").
        """
        generic = set(self.lex.cues.get("study_words", []))
        named = [
            m for m in trainings if m.label == LABEL_TRAINING and m.value in result.training_dropped
        ]
        if not named or any(
            not m.negated and m.value in result.training_dropped and m.text.lower() not in generic
            for m in named
        ):
            return
        for m in named:
            if m.negated or m.text.lower() not in generic:
                continue
            if any(
                d.negated
                and not _SENTENCE_ENDS & set(words[min(m.end, d.end) : max(m.start, d.start)])
                for d in named
            ):
                m.negated = True

    def _named_along(
        self,
        words: Sequence[str],
        dropped: Sequence[Mention],
        trainings: Sequence[Mention],
        cues: Set[int],
    ) -> List[Mention]:
        """The mentions of a dropped study's value right after it, with only the dropout
        cue and punctuation between: "Studium abgebrochen (BWL, 5. Semester)" gave up one
        study, not two.
        """
        along: List[Mention] = []
        for m in trainings:
            for d in dropped:
                between = range(d.end, m.start)
                if (
                    m not in dropped
                    and m.value == d.value
                    and 0 <= m.start - d.end <= 3
                    and all(j in cues or not words[j].isalpha() for j in between)
                ):
                    along.append(m)
                    break
        return along

    def _mark_said_before(self, words: Sequence[str], mentions: Sequence[Mention]) -> None:
        """Takes back the training named as what was written before ("hab vorhin
        geschrieben Bürokauffrau, war aber Immobilienkauffrau"), when another follows.
        """
        positions = self._phrase_positions(words, "said_before")
        trainings = [m for m in mentions if m.label == LABEL_TRAINING and not m.negated]
        clause_of = self._clause_bounds(words, mentions)
        for i in positions:
            old = [m for m in trainings if m.start > i and clause_of[m.start] == clause_of[i]]
            if old and any(m not in old for m in trainings if m.start > i):
                for m in old:
                    m.negated = True
        # "ich hatte Studium angeklickt, aber …": the training before the participle.
        for i in self._phrase_positions(words, "said_before_after"):
            old = [m for m in trainings if m.end <= i and clause_of[m.start] == clause_of[i]]
            if old and any(m.start > i for m in trainings):
                for m in old:
                    m.negated = True

    def _ongoing(self, words: Sequence[str], trainings: Sequence[Mention]) -> List[Mention]:
        """The trainings an `ongoing` phrase calls unfinished: those of its clause, or,
        when it names none ("das läuft noch"), the last one named before it. A training of
        another clause stays ("Bürokauffrau, und mein Bachelor läuft noch"; "Studium stimmt
        nicht, das läuft noch. Also nur die Büroausbildung").
        """
        found: List[Mention] = []
        study_ongoing = set(self.lex.cues.get("study_ongoing", []))
        for i in self._phrase_positions(words, "ongoing"):
            start = max((j + 1 for j in range(i) if words[j] in _CLAUSE_ENDS), default=0)
            end = next((j for j in range(i, len(words)) if words[j] in _CLAUSE_ENDS), len(words))
            if words[i] == "semester" and "im" not in words[max(0, i - 3) : i]:
                continue  # "Bachelor, 7 Semester, abgeschlossen": its length, not "im 3. Semester"
            own = [m for m in trainings if start <= m.start < end]
            if words[i] in study_ongoing and any(m.value == "degree" for m in own):
                # "Bankkauffrau und ich studiere BWL im 3. Semester": the study runs.
                own = [m for m in own if m.value == "degree"]
            before = [m for m in trainings if m.start < i]
            found += own or _last_named(before)
        return found

    def _phrase_positions(self, words: Sequence[str], cue: str) -> List[int]:
        """Start index of every occurrence of a cue phrase."""
        found = []
        for phrase in self._phrases(cue):
            n = len(phrase)
            found += [i for i in range(len(words) - n + 1) if list(words[i : i + n]) == phrase]
        return sorted(set(found))

    def _unplaced_category(self, words: Sequence[str]) -> str:
        """`commercial_other` when the unknown training sounds commercial, else `other`."""
        parts = self.lex.cues.get("commercial_parts", [])
        if any(part in word for word in words for part in parts):
            return "commercial_other"
        return "other"

    # -- languages --------------------------------------------------------

    def _read_languages(
        self,
        words: Sequence[str],
        mentions: Sequence[Mention],
        requested_slot: Optional[str],
        result: ParsedAnswers,
    ) -> None:
        languages = [m for m in mentions if m.label == LABEL_LANGUAGE]
        # "eher fließend als verhandlungssicher": the level after "als" is not meant.
        comparatives = set(self.lex.cues.get("comparatives", []))
        said = [
            m
            for m in mentions
            if not (
                m.label == LABEL_LEVEL
                and m.start > 1
                and words[m.start - 1] == "als"
                and comparatives & set(words[max(0, m.start - 5) : m.start - 1])
            )
        ]
        # "verhandlungssicher war übertrieben": a level taken back is not meant.
        dropped = self._retracted_levels(words, mentions)
        said = [m for m in said if all(m is not d for d in dropped)]
        if dropped and not languages and requested_slot != SLOT_LANGUAGES:
            # "verhandlungssicher war übertrieben, sagen wir gut": a new level for the
            # language that had the level taken back (career_quiz/answers.py finds it).
            left = {m.value for m in said if m.label == LABEL_LEVEL}
            if len(left) == 1:
                result.level_only, result.level_from = left.pop(), dropped[0].value
                result.correction = True
                return
        if not languages and requested_slot != SLOT_LANGUAGES and "sondern" in words:
            # "nicht fließend, sondern gut": the level after "sondern" for the one
            # language stored (career_quiz/answers.py keeps the answer when there are more).
            turn = words.index("sondern")
            particles = set(self.lex.cues["negation_particles"])
            levels_ = [m for m in said if m.label == LABEL_LEVEL]
            denied = [m for m in levels_ if 0 < m.start < turn and words[m.start - 1] in particles]
            meant = {m.value for m in levels_ if m.start > turn}
            if denied and len(meant) == 1:
                result.level_only, result.correction = meant.pop(), True
                return
        said = self._level_replaced(words, said, languages)
        levels = self._attach_levels(words, said, languages)
        self._pass_level_on(words, languages, levels)
        # Someone whose mother tongue is another language speaks German as a foreign
        # language: it is listed, with the default level when none is given.
        other_native = any(
            levels.get(id(m)) == "native" and m.value != GERMAN and not m.negated for m in languages
        )
        for m in languages:
            if m.value == GERMAN and other_native and levels.get(id(m)) is None:
                levels[id(m)] = DEFAULT_LEVEL
            if m.negated and self._negates_school_level(m, levels):
                m.negated = False  # "nicht Schulenglisch, ich hab C1": the level was wrong
            if m.negated:
                if m.value not in result.languages_removed:
                    result.languages_removed.append(m.value)
                continue
            level = levels.get(id(m))
            if m.value == GERMAN and level in (None, "native"):
                continue  # German as mother tongue is the default, not a listed language
            if m.value == GERMAN and words[max(0, m.start - 2) : m.start] == NOT_ONLY:
                # "doch nicht nur Deutsch, Spanisch gut", "nicht nur deutsch: rumänisch
                # muttersprache": the button is named, the others are meant.
                continue
            if level is None and m.text.lower().startswith(self.lex.school_prefix):
                level = "basic"  # "Schulenglisch"
            if level is None and self._learnt_at_school(words, m, languages):
                level = "basic"  # "Englisch eben aus der Schule": A1–A2
            previous = result.languages.get(m.value)
            if level is None:
                if previous is None:
                    result.languages_defaulted.append(m.value)
                    result.languages[m.value] = DEFAULT_LEVEL
                continue
            if m.value in result.languages_defaulted:
                # "Englisch war übertrieben, ist eher Schulenglisch": the level said for
                # the language named again replaces the default of its first mention.
                result.languages_defaulted.remove(m.value)
                previous = None
            if previous is None or LEVELS.index(level) > LEVELS.index(previous):
                result.languages[m.value] = level
        if not result.languages and not result.languages_removed:
            asked = requested_slot == SLOT_LANGUAGES
            named_german = any(m.value == GERMAN and not m.negated for m in languages)
            # A lone "keine" only answers the language question when it was asked.
            if (
                self._has_phrase(words, "german_only", strict=True)
                or (asked and self._lone_no(words) and not result.no_training)
                or (asked and named_german)
                or (asked and self._no_foreign_language(words))
            ):
                result.german_only = True

    def _retracted_levels(self, words: Sequence[str], mentions: Sequence[Mention]) -> List[Mention]:
        """The level words a message takes back.

        "verhandlungssicher war übertrieben": the levels before a `level_retracted` cue in
        its clause (all of the clause's when none stands before it: "zu hoch gegriffen,
        das fließend"); "fließend stimmt nicht": the levels before a `retracted` cue.
        """
        levels = [m for m in mentions if m.label == LABEL_LEVEL]
        if not levels:
            return []
        clause_of = self._clause_bounds(words, mentions)
        dropped: List[Mention] = []
        for i in self._phrase_positions(words, "level_retracted"):
            own = [m for m in levels if clause_of[m.start] == clause_of[i]]
            before = [m for m in own if m.end <= i]
            dropped += before or own
        for i in self._phrase_positions(words, "retracted"):
            dropped += [m for m in levels if m.end <= i and clause_of[m.start] == clause_of[i]]
        return [m for m in levels if any(m is d for d in dropped)]

    def _pass_level_on(
        self, words: Sequence[str], languages: Sequence[Mention], levels: Dict[int, str]
    ) -> None:
        """Passes a level on past "sondern" ("Nicht Französisch ist meine Muttersprache,
        sondern Portugiesisch"): the first language after it without a level of its own
        takes the level said for the language taken back before it.
        """
        contrast = set(self.lex.cues.get("contrast", []))
        for i, word in enumerate(words):
            if word not in contrast:
                continue
            before = [m for m in languages if m.end <= i and m.negated and id(m) in levels]
            after = [m for m in languages if m.start > i and not m.negated]
            if before and after and id(after[0]) not in levels:
                levels[id(after[0])] = levels[id(before[-1])]

    def _level_replaced(
        self, words: Sequence[str], said: List[Mention], languages: Sequence[Mention]
    ) -> List[Mention]:
        """A level replaced ("nicht Englisch B1, sondern A1"), not the language: the
        negated language counts again and its first level is dropped from `said`.
        """
        replacing = set(self.lex.cues.get("level_replacing", []))
        levels = [m for m in said if m.label == LABEL_LEVEL]
        for language in languages:
            first = next((lv for lv in levels if lv.start == language.end), None)
            if not language.negated or first is None:
                continue
            later = [lv for lv in levels if lv.start > first.end]
            if not later or any(first.end <= o.start < later[0].start for o in languages):
                continue
            if replacing & set(words[first.end : later[0].start]):
                language.negated = False
                said = [m for m in said if m is not first]
        return said

    def _negates_school_level(self, language: Mention, levels: Dict[int, str]) -> bool:
        """Whether "nicht Schulenglisch" denies the level (a higher one is named), not English."""
        school = language.text.lower().startswith(self.lex.school_prefix)
        return school and levels.get(id(language)) not in (None, "basic")

    def _learnt_at_school(
        self, words: Sequence[str], language: Mention, languages: Sequence[Mention] = ()
    ) -> bool:
        """Whether a school word stands near the language ("Englisch aus der Schule",
        "Französisch hatte ich 4 Jahre in der Schule"), nearer to it than to another
        language ("Englisch ok, Französisch aus der Schule": only French is school's).
        """
        school = set(self.lex.cues.get("school_level", []))

        def listed(m: Mention) -> bool:
            # "Englisch und Französisch aus der Schule": one list, one school word.
            lo, hi = (m.end, language.start) if m.end <= language.start else (language.end, m.start)
            return all(w in _LIST_SEPARATORS for w in words[lo:hi])

        others = [m for m in languages if m.value != language.value and not listed(m)]

        def distance(i: int, m: Mention) -> int:
            # Words between the school word and the mention; a clause end counts as far.
            lo, hi = (m.end, i) if m.end <= i else (i + 1, m.start)
            return hi - lo + (_SCHOOL_REACH if set(words[lo:hi]) & _CLAUSE_ENDS else 0)

        return any(
            w in school
            and abs(i - language.start) <= _SCHOOL_REACH
            and not any(distance(i, o) < distance(i, language) for o in others)
            for i, w in enumerate(words)
            if i < language.start or i >= language.end
        )

    def _vague_at_school(
        self,
        words: Sequence[str],
        language: Mention,
        level: Mention,
        languages: Sequence[Mention] = (),
    ) -> bool:
        """A vague level word ("so mittel", "ok") for a language learnt at school: school
        knowledge (A1-A2, domain.md) wins ("Schulenglisch, so mittel" is basic; so does
        "englisch so mittel, schulenglisch halt", the language named again as school's).
        """
        if level.value != "good" or level.text.lower() not in self.lex.level_cues["good"]:
            return False
        prefix = self.lex.school_prefix
        school = any(
            other.value == language.value and other.text.lower().startswith(prefix)
            for other in (language, *languages)
        )
        return school or self._learnt_at_school(words, language, languages)

    def _no_foreign_language(self, words: Sequence[str]) -> bool:
        """Whether the word for foreign languages was said no to ("Fremdsprachen? Leider nicht")."""
        cues = self.lex.cues
        negations = (
            set(cues["negation_particles"])
            | set(cues["negation_determiners"])
            | set(cues.get("negation_answers", []))
        )
        return bool(set(words) & set(cues.get("foreign_languages", []))) and bool(
            set(words) & negations
        )

    def _attach_levels(
        self,
        words: Sequence[str],
        mentions: Sequence[Mention],
        languages: Sequence[Mention],
    ) -> Dict[int, str]:
        """Maps id(language mention) -> level, tying each level word to its language."""
        if not languages:
            return {}
        strong_breaks = set(self.lex.cues["clause_breaks"]) - {
            "und",
            "sowie",
            "(",
            ")",
            ":",
            "-",
            "/",
        }
        segment = []
        seg = 0
        for word in words:
            if word in strong_breaks:
                seg += 1
            segment.append(seg)
        assigned: Dict[int, str] = {}
        for lang in languages:
            if lang.text.lower().startswith(self.lex.school_prefix):
                assigned[id(lang)] = "basic"  # "Schulfranzösisch": its own level
        orphans = []
        for level in (m for m in mentions if m.label == LABEL_LEVEL):
            best: Optional[Mention] = None
            best_distance: Optional[float] = None
            for lang in languages:
                if segment[lang.start] != segment[level.start]:
                    continue
                if lang.end <= level.start:
                    distance: float = level.start - lang.end  # language before level: ties go here
                    between = words[lang.end : level.start]
                else:
                    distance = lang.start - level.end + 0.5
                    between = words[level.end : lang.start]
                if any(w in _JOINERS for w in between):
                    # "Russisch ist meine Muttersprache und Deutsch ...": the level
                    # belongs to its own side of the "und".
                    distance += 2
                if best_distance is None or distance < best_distance:
                    best, best_distance = lang, distance
            if best is None or best_distance is None:
                orphans.append(level)
                continue
            if best_distance > 4 and (len(languages) > 1 or best_distance > _ORPHAN_REACH):
                continue  # one language named: a level in its clause is its level
            if self._vague_at_school(words, best, level, languages):
                continue
            current = assigned.get(id(best))
            if current is None or LEVELS.index(level.value) > LEVELS.index(current):
                assigned[id(best)] = level.value
        # A level alone in its clause belongs to the nearest language before it, else
        # after it ("Ungarisch, zweisprachig aufgewachsen"; "Englisch gut, eher sehr gut").
        for level in orphans:
            before = [
                lang
                for lang in languages
                if lang.end <= level.start and level.start - lang.end <= _ORPHAN_REACH
            ]
            after = [
                lang
                for lang in languages
                if lang.start >= level.end and lang.start - level.end <= _ORPHAN_REACH
            ]
            target = before[-1] if before else (after[0] if after else None)
            if target is None or self._vague_at_school(words, target, level, languages):
                continue
            current = assigned.get(id(target))
            if current is None or LEVELS.index(level.value) > LEVELS.index(current):
                assigned[id(target)] = level.value
        # Languages in one list share the level named for the list.
        runs: List[List[Mention]] = [[languages[0]]]
        for prev, nxt in zip(languages, languages[1:]):
            between = words[prev.end : nxt.start]
            if all(w in _LIST_SEPARATORS for w in between):
                runs[-1].append(nxt)
            else:
                runs.append([nxt])
        native_named = "native" in assigned.values()
        for run in runs:
            run_levels = [assigned[id(m)] for m in run if id(m) in assigned]
            if len(set(run_levels)) == 1:
                for i, m in enumerate(run):
                    # German only with "und" ("Rumänisch Muttersprache, Deutsch und Englisch
                    # C1") or beside another first language: "nur deutsch, englisch kaum"
                    # names no German level (visit13 F1: natives were told to learn German).
                    joined = i + 1 < len(run) and "und" in words[m.end : run[i + 1].start]
                    if m.value != GERMAN or native_named or joined:
                        assigned.setdefault(id(m), run_levels[0])
        return assigned

    # -- task preference --------------------------------------------------

    def _liked_tasks(
        self, words: Sequence[str], clause_of: Sequence[int], tasks: Sequence[Mention]
    ) -> List[Mention]:
        """The work of `tasks` named in a clause with a liking ("am liebsten", "lieber"),
        not the work compared away ("mehr Spaß als Assistenz").
        """
        preference = set(self.lex.cues["preference"])
        liked = {clause_of[i] for i, w in enumerate(words) if w in preference}
        return [
            m for m in tasks if clause_of[m.start] in liked and not self._compared_away(words, m)
        ]

    def _compared_away(self, words: Sequence[str], m: Mention) -> bool:
        """True for a mention after the "als" of a comparison ("Verträge machen mir mehr
        Spaß als Assistenz"): the work liked less.
        """
        comparatives = set(self.lex.cues.get("comparatives", []))
        return (
            m.start > 1
            and words[m.start - 1] == "als"
            and bool(comparatives & set(words[max(0, m.start - 6) : m.start - 1]))
        )

    def _read_task(
        self,
        text: str,
        words: Sequence[str],
        mentions: Sequence[Mention],
        requested_slot: Optional[str],
        result: ParsedAnswers,
        remark: bool = False,
        beside_question: bool = False,
    ) -> None:
        """The work preference of the statement part; `remark`: the message also asks a
        question, so a statement without a work word or a liking is no answer;
        `beside_question`: a question follows, so a few words without either answer only
        when the classifier is sure of them (TASK_BESIDE_QUESTION).
        """
        tasks = [m for m in mentions if m.label == LABEL_TASK and not m.negated]
        if requested_slot != SLOT_TASK:
            if self._corrects_task(text, words, tasks, requested_slot, result):
                return
            if not tasks:
                if self._not_knowing_the_work(words, tasks) or self._denied_then_unsure(
                    words, mentions
                ):
                    result.task = "unsure"  # "weiß ich noch gar nicht, was ich lieber mache"
                return
            clause_of = self._clause_bounds(words, mentions)
            away = [m for m in tasks if self._compared_away(words, m)]
            liked = self._liked_tasks(words, clause_of, tasks)
            if away and not liked:
                # "Verträge und Versicherungssachen machen mir mehr Spaß als Assistenz":
                # the work named before the comparison is the one liked.
                liked = [m for m in tasks if m.start < away[0].start and m not in away]
            if liked:
                result.task = self._most_named(liked)
            elif self._answers_in_order(words, tasks, clause_of, result):
                # "Bankkaufmann, nur Deutsch, Zahlen": the three answers in a row.
                result.task = self._most_named(
                    [m for m in tasks if clause_of[m.start] == clause_of[-1]]
                )
            return
        if result.skip:
            return
        if not any(c.isalnum() for w in self._own_sentences(words) for c in w):
            return  # "Mein Mann würde gern reduzieren": someone else's wish (fresh18)
        if not tasks and self._changes_another_answer(words, result):
            return  # "Französisch behalten und Italienisch mit aufnehmen?" names no work
        tasks = self._tasks_beside_languages_dropped(words, mentions, tasks)
        if not tasks and _explicit_slots(result, []) - {SLOT_TASK}:
            if not self._has_word(words, "preference"):
                # "Englisch in Wort und Schrift übrigens, ich schreib viele Mails auf
                # Englisch": another answer, told with no work cue and no liking.
                return
        tie = self._has_phrase(words, "tie") and not self._has_word(words, "tie_all")
        if result.dont_know and not tasks and not tie and self._says_dont_know(words, strict=True):
            return  # "kein plan was ich lieber mach": not knowing, no work named
        scores = self._task_scores(self._without_negated_tasks(text, words, mentions), tasks)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        weak = set(self.lex.cues.get("weak_task_words", []))
        if remark and tasks and all(m.text.lower() in weak for m in tasks):
            # "Wie verbreitet ist Homeoffice? Hab nur Zahlen von vor Corona im Kopf"
            # (fresh18): a word that is also everyday speech, beside a question, with no
            # liking, names no work.
            if not self._has_word(words, "preference"):
                return
        if not tasks and remark and not self._has_word(words, "preference"):
            # "wie lange dauert der Bescheid? brauch den für ne bewerbung": a remark beside
            # a question that names no work (no lexicon cue) and no liking answers
            # nothing ("Kreditoren und Debitoren – wie heißt die Stelle?" does).
            return
        if tie:
            # "beides gleich gern", "mal so, mal so": which of the two?
            named = list(dict.fromkeys(m.value for m in tasks))
            others = [label for label, _ in ranked if label not in named]
            result.task, result.task_candidates = None, (named + others)[:2]
            result.dont_know = False
            return
        (best, top), (second, runner) = ranked[0], ranked[1]
        if beside_question and not tasks and not self._has_word(words, "preference"):
            # "Meine Anerkennung wurde abgelehnt 😞 darf ich trotzdem im Büro arbeiten?":
            # a few words of context before a question, which the classifier only guesses
            # at, answer nothing; "Eher Organisation. Was verdient man da?" still does.
            if top < TASK_BESIDE_QUESTION:
                return
        if top >= TASK_ACCEPT and top - runner >= TASK_MARGIN:
            result.task = best
        elif top + runner >= TASK_CLARIFY and top - runner < TASK_MARGIN:
            result.task_candidates = [best, second]
        if result.task or result.task_candidates:
            result.dont_know = False  # "alles, was mit Zahlen zu tun hat" names a task

    def _denied_then_unsure(self, words: Sequence[str], mentions: Sequence[Mention]) -> bool:
        """True for "nicht Assistenz, weiß ehrlich gesagt noch nicht": a work denied and
        not knowing said, no other answer named.
        """
        return (
            any(m.label == LABEL_TASK and m.negated for m in mentions)
            and not any(m.label in (LABEL_TRAINING, LABEL_LANGUAGE) for m in mentions)
            and self._says_dont_know(words, strict=True)
        )

    def _not_knowing_the_work(self, words: Sequence[str], tasks: Sequence[Mention]) -> bool:
        """True for "weiß ich noch gar nicht, was ich lieber mache", "bin mir bei der
        arbeit doch unsicher": a negated knowing (or a `dont_know` phrase) and the
        lexicon's `task_unknown` phrase, no work named.
        """
        knowing = {"weiß", "weiss", "wüsste", "sicher", "klar", "ahnung", "plan"}
        negated = {"nicht", "nich", "keine", "kein", "net"}
        not_knowing = bool(knowing & set(words)) and bool(negated & set(words))
        return (
            not tasks
            and (not_knowing or self._has_phrase(words, "dont_know"))
            and self._has_phrase(words, "task_unknown")
        )

    def _answers_in_order(
        self,
        words: Sequence[str],
        tasks: Sequence[Mention],
        clause_of: Sequence[int],
        result: ParsedAnswers,
    ) -> bool:
        """True when the message gives the training and the languages and ends in a clause
        of work words only, the third answer of a list ("Bankkaufmann, nur Deutsch,
        Zahlen"; visit7: "Zahlen" was left out).
        """
        if not words or not result.training or not (result.languages or result.german_only):
            return False
        last = clause_of[-1]
        covered = {i for m in tasks if clause_of[m.start] == last for i in range(m.start, m.end)}
        rest = [w for i, w in enumerate(words) if clause_of[i] == last and i not in covered]
        return bool(covered) and all(w in _LIST_SEPARATORS or not w.isalnum() for w in rest)

    def _tasks_beside_languages_dropped(
        self, words: Sequence[str], mentions: Sequence[Mention], tasks: List[Mention]
    ) -> List[Mention]:
        """`tasks` without those in a clause that names a language and no liking, when
        the message also names a language on its own: in "Englisch in Wort und Schrift
        übrigens, ich schreib viele Mails auf Englisch" the mails tell how good the
        English is, not which work is liked ("Korrespondenz auf Englisch und
        Französisch" and "Termine auf Englisch koordinieren macht mir Spaß" still do).
        """
        clause_of = self._clause_bounds(words, mentions)
        languages = {clause_of[m.start] for m in mentions if m.label == LABEL_LANGUAGE}
        working = {clause_of[m.start] for m in tasks}
        if not languages - working:
            return tasks
        preference = set(self.lex.cues["preference"])
        liked = {clause_of[i] for i, w in enumerate(words) if w in preference}
        return [m for m in tasks if clause_of[m.start] not in languages - liked]

    def _changes_another_answer(self, words: Sequence[str], result: ParsedAnswers) -> bool:
        """A correction or change request of the training or languages, so no work answer."""
        other = _explicit_slots(result, []) - {SLOT_TASK}
        return bool(other) and (result.correction or self._requests_change(words))

    def _corrects_task(
        self,
        text: str,
        words: Sequence[str],
        tasks: Sequence[Mention],
        requested_slot: Optional[str],
        result: ParsedAnswers,
    ) -> bool:
        """A correction of the work preference outside its question.

        "projekte! nicht fachaufgaben. hab mich verklickt", "ändere bitte auf: weiß
        nicht": with a correction cue and no other answer in the message, the task
        words count without a preference word; after the quiz (no question open) the
        classifier reads a correction that names no task word.
        """
        if not result.correction or _explicit_slots(result, []) - {SLOT_TASK}:
            return False
        if requested_slot == SLOT_TRAINING and result.question:
            # At the first question no work was answered yet: "Moment bevor ich antworte:
            # … Lehrgang in Lohnbuchhaltung gemacht, zählt das?" (fresh18) asks about it.
            return False
        if tasks:
            # "Organisation ja, aber am liebsten Projekte …": the work liked most; "… Das
            # liegt mir mehr als den Chef zu unterstützen": not the work compared away
            # (fresh18).
            kept = [m for m in tasks if not self._compared_away(words, m)] or list(tasks)
            result.task = self._most_named(
                self._liked_tasks(words, self._clause_bounds(words, tasks), tasks) or kept
            )
            return True
        if requested_slot is not None:
            return False
        if self._has_phrase(words, "dont_know") and self._has_word(words, "preference"):
            result.task = "unsure"  # "bin mir doch nicht sicher, was ich am liebsten mache"
            return True
        if self._has_phrase(words, "dont_know") and (
            self._has_word(words, "change_verbs") or self._has_word(words, "clicked_verbs")
        ):
            # "ändere bitte auf: weiß nicht", "weiß nicht genau, hab einfach was angeklickt"
            result.task = "unsure"
            return True
        if not self._has_word(words, "preference"):
            return False
        scores = self._task_scores(text, tasks)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, top), (_, runner) = ranked[0], ranked[1]
        if top >= TASK_ACCEPT and top - runner >= TASK_MARGIN:
            result.task = best
            return True
        return False

    def _without_negated_tasks(
        self, text: str, words: Sequence[str], mentions: Sequence[Mention]
    ) -> str:
        """The text for the classifier without the work it says no to.

        The classifier reads words, not negation: in "Jahresabschlüsse, nicht Empfang
        oder Sekretariat" the refused "Empfang" and "Sekretariat" would count for
        assistance. Negated task mentions and the negation word before them are left
        out; a message without any is passed on as it is.
        """
        negated = [m for m in mentions if m.label == LABEL_TASK and m.negated]
        if not negated:
            return text
        cues = self.lex.cues
        negations = set(cues["negation_particles"]) | set(cues["negation_determiners"])
        negations |= set(cues.get("instead", [])) | set(cues.get("neither", []))
        drop: Set[int] = set()
        for m in negated:
            drop.update(range(m.start, m.end))
            j = m.start - 1
            while j >= 0 and (words[j] in negations or words[j] in ("oder", "noch", ",")):
                if words[j] in negations:
                    drop.add(j)
                    break
                j -= 1
        return " ".join(w for i, w in enumerate(words) if i not in drop)

    @staticmethod
    def _most_named(tasks: Sequence[Mention]) -> str:
        counts: Dict[str, int] = {}
        for m in tasks:
            counts[m.value] = counts.get(m.value, 0) + 1
        best = max(counts.values())
        # Ties go to the task named first.
        return next(m.value for m in tasks if counts[m.value] == best)

    def _task_scores(self, text: str, tasks: Sequence[Mention]) -> Dict[str, float]:
        """Per work preference: classifier probability blended with the lexicon's cues."""
        from career_quiz.task_model import TASK_LABELS

        counts = {label: 0 for label in TASK_LABELS}
        for m in tasks:
            counts[m.value] = counts.get(m.value, 0) + 1
        total = sum(counts.values())
        lexicon = {label: counts[label] / total for label in TASK_LABELS} if total else None
        if self.task_probabilities is None:
            return lexicon or {label: 0.0 for label in TASK_LABELS}
        model = self.task_probabilities(text)
        scores = {label: model.get(label, 0.0) for label in TASK_LABELS}
        if lexicon:
            sure = max(scores.values())
            w = TASK_LEXICON_WEIGHT * min(1.0, (1.0 - sure) / (1.0 - TASK_SURE))
            scores = {label: (1 - w) * scores[label] + w * lexicon[label] for label in scores}
        return scores

    # -- cue phrases ------------------------------------------------------

    def _phrases(self, cue: str) -> List[List[str]]:
        if cue not in self._phrase_cache:
            self._phrase_cache[cue] = [self.tokenize(p) for p in self.lex.cues.get(cue, [])]
        return self._phrase_cache[cue]

    def keeps_answer(self, text: str) -> bool:
        """True for a message that keeps the earlier answer of a question reopened by
        "Zurück" ("nein alles gut, weiter", "passt so", "bleibt wie gehabt"): only the
        lexicon's `keep_answer_words`, with one of its `keep_answer_keys`.
        """
        words = re.findall(r"[a-zäöüß]+", text.lower())
        if not words or len(words) > _KEEP_MAX_WORDS:
            return False
        allowed = set(self.lex.cues.get("keep_answer_words", []))
        allowed |= {w for phrase in self._phrases("keep_answer_keys") for w in phrase}
        return set(words) <= allowed and self._has_phrase(words, "keep_answer_keys")

    def _has_phrase(self, words: Sequence[str], cue: str, strict: bool = False) -> bool:
        """True if a cue phrase occurs. Strict: single-word cues such as "keine" do not count."""
        for phrase in self._phrases(cue):
            if strict and len(phrase) < 2:
                continue
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if list(words[i : i + n]) == phrase:
                    return True
        return False

    def _denies_the_button(self, words: Sequence[str], mentions: Sequence[Mention]) -> bool:
        """True for a training button's word negated ("also nicht Büro", "kein Büro",
        "Büro hab ich nie gelernt", "no office training"), or called wrong beside a training
        named ("büro war falsch, ich hab großhandel gelernt", "Office was wrong", "hab auf
        büro getippt, meinte aber studium"; fresh17): the training named beside it replaces
        the answer given with that button.
        """
        cues = self.lex.cues
        negations = set(cues["negation_determiners"]) | set(cues["negation_particles"])
        negations |= {"no", "not", "never", "nein"}  # an English gloss: "no office" -> "nein büro"
        negations |= set(cues.get("instead", []))  # "Studium statt Büro"
        labels = set(cues.get("button_trainings", []))
        learnt = {"gelernt", "gemacht", "abgeschlossen"}
        wrong, clicked = set(cues.get("wrong_words", [])), set(cues.get("clicked_verbs", []))
        meant = set(cues.get("meant_words", []))
        named = any(
            m.label in (LABEL_TRAINING, LABEL_VOCATIONAL) and not m.negated for m in mentions
        )
        for i, w in enumerate(words):
            if w not in labels:
                continue
            # "mit IT und Verträgen arbeite ich lieber, nicht Sekretariat" names the work
            # it does not want, not its training (fresh18: the office training removed).
            work = any(m.label == LABEL_TASK and not m.start <= i < m.end for m in mentions)
            if i > 0 and words[i - 1] in negations and (named or not work):
                return True
            after = set(words[i + 1 : i + 5])
            if after & {"nie", "nicht", "niemals"} and after & learnt:
                return True
            if named and (after & wrong or (after & clicked and set(words) & meant)):
                return True
        return False

    def _lone_no(self, words: Sequence[str]) -> bool:
        """True for a one-word "keine", "nein" or "nö" that answers the language question:
        at the end of its clause or before a word of `no_followers` ("Keine, leider",
        "nein, nur Deutsch"). "keine Zahl" or "keine vorherige Ausbildung" says nothing
        about languages.
        """
        lone = {p[0] for p in self._phrases("german_only") if len(p) == 1}
        followers = set(self.lex.cues.get("no_followers", []))
        for i, word in enumerate(words):
            if word not in lone:
                continue
            after = words[i + 1] if i + 1 < len(words) else ""
            if not after.isalpha() or after in followers:
                return True
        return False

    def _says_none(self, words: Sequence[str]) -> bool:
        """A phrase of `no_training`; a one-word one ("keine", "nein") only alone or
        before a word of `no_training_followers` ("keine, leider", "nein hab ich nicht"),
        not before a noun of its own ("hab ich keine Lust mehr auf 50-Stunden-Wochen",
        fresh17: stored as no training).
        """
        if self._has_phrase(words, "no_training", strict=True):
            return True
        lone = {p[0] for p in self._phrases("no_training") if len(p) == 1}
        followers = set(self.lex.cues.get("no_training_followers", []))
        for i, word in enumerate(words):
            after = words[i + 1] if i + 1 < len(words) else ""
            if word in lone and (not after.isalpha() or after in followers):
                return True
        return False

    def _has_word(self, words: Sequence[str], cue: str) -> bool:
        return bool(set(words) & set(self.lex.cues.get(cue, [])))


# "nicht nur Deutsch": German named to say that other languages follow.
NOT_ONLY = ["nicht", "nur"]
# A word in capitals of two letters or more ("IT", "HR", "BWL").
_ABBREVIATION = re.compile(r"\b[A-ZÄÖÜ]{2,}\b")


# At most this many words between two titles for a self-correction to take the first back.
_SELF_CORRECTION_GAP = 4


def _mark_self_corrected(
    words: Sequence[str], mentions: Sequence[Mention], cues: Dict[str, List[str]]
) -> None:
    """Negates a training named just before a self-correction and another training
    ("Bürokaufmann, äh nein, Industriekaufmann war das", visit11 #3 stored both).
    """
    taking_back = set(cues.get("self_correction_words", []))
    adding = set(cues.get("self_correction_adding", []))
    trainings = sorted(
        (m for m in mentions if m.label == LABEL_TRAINING and not m.negated), key=lambda m: m.start
    )
    for first, second in zip(trainings, trainings[1:]):
        between = [w for w in words[first.end : second.start] if any(c.isalnum() for c in w)]
        if (
            len(between) <= _SELF_CORRECTION_GAP
            and taking_back & set(between)
            and not adding & set(between)  # "Bürokauffrau, nein, auch Bankkauffrau"
        ):
            first.negated = True


def _position(text: str, part: str) -> int:
    """Where `part` (a statement or question part of `text`, its clauses rejoined without
    their commas) starts in `text`: its first clause is found; -1 when it is not.
    """
    head = re.split(r"[,.;:!?–—]", part or "")[0].strip()[:30]
    return text.find(head) if head else -1


# An infinitive with "zu" ("zu machen", "dranzuhängen", "nachzuholen").
_INFINITIVE = re.compile(r"^(zu|[a-zäöü]{2,}zu[a-zäöü]{2,}(en|ern|eln))$")


def _infinitive_clause_after(words: Sequence[str], i: int, clause_of: Sequence[int]) -> List[int]:
    """The clause right after the clause of word `i` when it holds an infinitive with
    "zu" ("überlege, noch eine Büroausbildung dranzuhängen"); else [].
    """
    following = clause_of[i] + 1
    clause = [w for w, c in zip(words, clause_of) if c == following]
    return [following] if any(_INFINITIVE.match(w) for w in clause) else []


def _last_named(mentions: Sequence[Mention]) -> List[Mention]:
    """The last of `mentions` (in text order), with the mentions of the same value right
    before it: "ein Fernstudium BWL", "Abendstudium in BWL" name one study.
    """
    found = list(mentions[-1:])
    while found and len(found) < len(mentions):
        prev = mentions[-len(found) - 1]
        if prev.value != found[0].value or found[0].start - prev.end > 1:
            break
        found.insert(0, prev)
    return found


def _after_last_comma(words: Sequence[str], i: int, mentions: List[Mention]) -> List[Mention]:
    """The mentions a dropout cue at `i` gives up: "Ausbildung zur Verkäuferin,
    BWL-Studium abgebrochen" gives up the part after the last comma before the cue,
    not the whole list (all of `mentions` when none stands after a comma).
    """
    commas = [j for j in range(i) if words[j] == ","]
    after = [m for m in mentions if commas and commas[-1] < m.start and m.end <= i]
    return after if after else mentions


def _explicit_slots(parsed: ParsedAnswers, mentions: Sequence[Mention]) -> set:
    """The quiz slots a message names values for (not just "nein" or a guess)."""
    slots = set()
    if parsed.training or parsed.training_removed or parsed.training_dropped or parsed.no_training:
        slots.add(SLOT_TRAINING)
    if parsed.languages or parsed.languages_removed or parsed.level_only or parsed.german_only:
        slots.add(SLOT_LANGUAGES)
    if any(m.label == LABEL_TASK and not m.negated for m in mentions):
        slots.add(SLOT_TASK)
    return slots
