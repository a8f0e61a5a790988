"""Which part of a message asks something: question form, not intent, decides.

Plain Python (no rasa_sdk, no spaCy). While a quiz question is open, a statement
is an answer whatever topic it names ("Fach-Backoffice", "IHK-Abschluss als
Industriekauffrau"); only a part in question form is a digression. This module
splits a message into its statement part (parsed for answers) and its question
part (answered as an FAQ):

* a sentence that ends with "?" or starts with an interrogative ("Was heißt …");
* a verb-first question ("Brauche ich ein Studium", "Reicht das").

Within one sentence, a question may follow a statement after a comma or dash:
"Ich bin Bankkauffrau – brauche ich dafür ein Studium?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional

# A period after an abbreviation ends no sentence: one letter ("z. B.", "u. a.", "d. h.")
# or a common short form ("bzw.", "ggf.", "eig."). Shared with career_quiz/job_ad.py.
ABBREVIATION = (
    r"(?<![\s(.\-/]\w\.)(?<!^\w\.)(?<!\bbzw\.)(?<!\bggf\.)(?<!\binkl\.)(?<!\bevtl\.)"
    r"(?<!\bvgl\.)(?<!\bbspw\.)(?<!\bca\.)(?<!\bNr\.)(?<!\bDr\.)(?<!\bsog\.)(?<!\beig\.)"
    r"(?<!\busw\.)"
)
# Sentence ends (a terminator before a space); the terminator stays with its sentence.
# Not after an abbreviation: in "wie lange dauert eig. eine kaufmännische lehre" the words
# after it are no statement of their own.
_SENTENCE_END = re.compile(rf"(?<=[.!?;]){ABBREVIATION}\s+", re.IGNORECASE)
# Separators inside a sentence after which a question may start.
# An emoji ends a clause too ("ich mag Zahlen 🤓 wie lang ist die Ausbildung?").
_CLAUSE_SPLIT = re.compile(
    r"\s*(?:,|–|—|\s-\s|:|\.\.\.|…|[\U0001F000-\U0001FAFF\u2600-\u27BF]+\ufe0f?)\s*"
)
_WORD = re.compile(r"[a-zäöüß]+", re.IGNORECASE)


@dataclass
class QuestionCues:
    """Words that open a question, from data/knowledge/lexicon.yml (`questions`)."""

    interrogatives: frozenset
    # Verbs that open a question on their own ("Reicht das", "Gibt es", "Ist Englisch wichtig").
    question_verbs: frozenset
    # Verbs that open a question only before a subject pronoun ("Brauche ich"); without it,
    # they start a statement with the subject left out ("Habe BWL studiert").
    subject_verbs: frozenset
    pronouns: frozenset
    after_interrogative: frozenset = frozenset()
    statement_followers: frozenset = frozenset()
    habitual: frozenset = frozenset()
    manner: frozenset = frozenset()
    # Words of a plan ("überlege, eine Ausbildung … zu machen"): what follows is not had.
    plans: frozenset = frozenset()
    # Phrases that announce a question in the clauses after them ("kurze frage vorweg").
    announcements: frozenset = frozenset()

    @classmethod
    def from_data(cls, data: dict) -> "QuestionCues":
        """Builds the cue sets from the lexicon's `questions` mapping."""

        def words(key: str) -> frozenset:
            return frozenset(str(w).lower() for w in data.get(key, []))

        return cls(
            words("interrogatives"),
            words("question_verbs"),
            words("subject_verbs"),
            words("pronouns"),
            words("after_interrogative"),
            words("statement_followers"),
            words("habitual"),
            words("manner"),
            words("plans"),
            words("announcements"),
        )


@dataclass
class Split:
    """A message cut into what it states and what it asks."""

    statement: str
    question: str
    # A "?" without any question opener ("Bankkauffrau?"): an answer given hesitantly,
    # or a question; it is part of the statement, and counts as asking only when the
    # statement answers nothing.
    tentative: bool = False

    @property
    def asks(self) -> bool:
        """True when some part of the message is in question form."""
        return bool(self.question) or self.tentative


# Words before a question opener that do not change it.
_LEADING = frozenset(
    {"und", "aber", "oder", "also", "denn", "dann", "sorry", "ach", "ok", "okay"}
    | {"btw", "übrigens", "achso", "ah", "ähm", "äh", "hm", "hmm", "noch", "mal"}
    # "moment ich kann ja englisch gut, ändert das was?" (fresh16): no verb first.
    | {"moment", "momentchen", "ups", "oops", "oh", "upps", "stopp", "halt"}
)
# Of those, the adverbs take the first place of a German statement, so its verb follows
# them ("Dann habe ich wohl Englisch B2", "Also spreche ich Französisch"): without "?",
# a verb after one of them opens no question ("Dann habe ich" is not "Habe ich").
_FRONTED = frozenset({"also", "denn", "dann", "übrigens"})
# Prepositions before an interrogative ("Um wie viel …", "Bis wann …", "Bei wem …").
_PREPOSITIONS = frozenset(
    {
        *("um", "ab", "bis", "seit", "für", "mit", "bei", "an", "in", "nach", "auf", "von"),
        *("zu", "aus", "unter", "über", "durch", "gegen", "ohne", "vor", "wegen"),
    }
)
# Subjects after an interrogative and its verb ("was kriegt man", "wo finde ich"); words
# in second place that make it no question ("wann immer ich kann", "wie gesagt ich …").
_SUBJECTS = frozenset({"ich", "man", "du", "wir"})
_NOT_A_VERB = frozenset({"immer", "auch", "gesagt", "erwähnt", "geschrieben", "besprochen"})
# A verb the cues do not list opens a question before a subject: a personal pronoun, or
# an article when the verb ends like a finite one ("zahlen die", "prüft die").
_PERSONAL = frozenset({"er", "sie", "es"})
_ARTICLES = frozenset({"die", "der", "das", "den", "dem", "ein", "eine", "einen", "einem", "große"})
_FINITE_ENDING = re.compile(r"(t|en)$")
# A comparison after a verb and its subject ("zahlen banken … besser als …?"); not a
# preference ("zahlen lieber als texte?").
_COMPARES = re.compile(r"\b(besser|mehr|weniger|schlechter|höher|niedriger) als\b")
# An indirect question or a request to be told, asked without "?" ("mich würde
# interessieren, ob man da gut verdient", "ich frage mich, ob das in Teilzeit klappt",
# "erzählen Sie mir mehr über die Fortbildungen"): a question, not an answer.
_INDIRECT = re.compile(
    # "Mich würde vorab noch das Gehalt in der Personalabteilung interessieren"
    r"^(und |aber |also )?(mich (würde|tät|täte|hätte) (\w+ ){0,8}?interessier\w*"
    r"|(es |und )?interessiert mich|mich interessiert|ich (frage|frag) mich"
    r"|ich (wüsste|wüßte) (gern|gerne)"
    r"|ich (möchte|will|würde) (gern |gerne |noch |mal )*(wissen|erfahren)"
    r"|(erzählen|erklären|sagen) sie (mir |uns )?(mal |bitte |doch )*(mehr|etwas|was|wie|ob)"
    r"|können sie mir (sagen|erklären)|weiß jemand"
    # "sorry hab nicht ganz verstanden was die ihk mit ausbildung zu tun hat"
    r"|(sorry |sorri |entschuldigung )?(ich )?(hab|habe) (\w+ )?(nicht|nich|net) "
    r"(ganz |so |genau |richtig )?(verstanden|kapiert|gecheckt),? "
    r"(was|wie|warum|wieso|wozu|ob|welche\w*))\b"
)
# Words of a statement with its verb first ("Weiß ich nicht", "Mach ich gern").
_INVERTED_STATEMENT = frozenset({"nicht", "gern", "gerne", "kein", "keine", "egal", "nichts"})
# First words that are no verb: greetings, fillers, articles, pronouns, prepositions.
_NOT_A_VERB_HEAD = (
    _LEADING
    | _PREPOSITIONS
    | _ARTICLES
    | _SUBJECTS
    | _PERSONAL
    | frozenset({"ja", "nein", "nur", "eher", "lieber", "gern", "gerne", "sehr", "etwas", "kein"})
    | frozenset({"keine", "mein", "meine", "englisch", "deutsch", "hallo", "danke", "bitte"})
    # Conjunctions open a clause with its subject next ("wenn ich Bankkaufmann werde").
    | frozenset({"wenn", "falls", "weil", "da", "dass", "ob", "obwohl", "als", "nachdem"})
    | frozenset({"bevor", "sobald", "während", "damit", "sodass", "sofern", "seitdem"})
)


# Spoken contractions of a question verb ("gibts da beratung?", "isses teuer?").
_CONTRACTED = {"gibts": "gibt", "gibbet": "gibt", "isses": "ist", "gehts": "geht", "hats": "hat"}


def _words(text: str) -> List[str]:
    return [_CONTRACTED.get(w.lower(), w.lower()) for w in _WORD.findall(text)]


def _verb_before_subject(text: str, words: List[str], cues: QuestionCues, first: bool) -> bool:
    """True for a clause of a sentence ending in "?" that opens with a verb the cues do
    not list, before its subject ("zahlen große Firmen mehr?", "prüft die IHK das?",
    "komm ich da noch rein?"). A capitalised first word inside a sentence is a noun
    ("..., Kaufmann die Stelle?"), and so is one before an article at a sentence start
    unless it ends like a verb; a subject pronoun after it makes it a verb.
    """
    if len(words) < 3 or words[0] in _NOT_A_VERB_HEAD or words[0] in cues.interrogatives:
        return False
    head, second = words[0], words[1]
    original = _WORD.findall(text)
    if not first and original and original[0][:1].isupper():
        return False
    if set(words) & _INVERTED_STATEMENT:
        return False  # "Weiß ich noch nicht", "Mach ich gern": a statement
    if second in _SUBJECTS | _PERSONAL:
        return True
    if _FINITE_ENDING.search(head) and _COMPARES.search(" ".join(words[2:])):
        return True  # "zahlen banken im backoffice besser als normale firmen?"
    return second in _ARTICLES and bool(_FINITE_ENDING.search(head))


# Conjunctions that open a subordinate clause ("kann man … schreiben, wenn man gut ist").
_SUBORDINATORS = frozenset({"wenn", "weil", "dass", "ob", "falls", "obwohl", "sobald"})


def _main_clause(words: List[str]) -> List[str]:
    """The words before the first subordinating conjunction."""
    end = next((i for i, w in enumerate(words) if w in _SUBORDINATORS), len(words))
    return words[:end]


def opens_question(text: str, cues: QuestionCues, asked: bool = False, first: bool = True) -> bool:
    """True when `text` starts like a question.

    In a sentence that ends with "?" (`asked`), an interrogative or a verb in
    first place is enough. Without "?", statements start that way too ("Was ich
    gern mache, ist …", "Habe BWL studiert"), so a question needs an
    interrogative before a verb ("Was heißt …"), "welche" before a noun, or a
    verb before a subject pronoun ("Brauche ich …", "Reicht das …").
    """
    if _INDIRECT.match(" ".join(_words(text))):
        return True  # "Mich würde interessieren, ob ...", "Erzählen Sie mir mehr über ..."
    words = _words(text)
    fronted = False
    while len(words) > 1 and words[0] in _LEADING:
        fronted = fronted or words[0] in _FRONTED
        words = words[1:]  # "und was verdient man da?", "aber reicht das?"
    if len(words) > 1 and words[0] in _PREPOSITIONS and words[1] in cues.interrogatives:
        words = words[1:]  # "Um wie viel könnte ich …", "bis wann muss man …"
    if not words:
        return False
    first_clause = first
    head, second = words[0], (words[1] if len(words) > 1 else "")
    verbs = cues.question_verbs | cues.subject_verbs
    if asked:
        return (
            head in cues.interrogatives
            or head in verbs
            or _verb_before_subject(text, words, cues, first_clause)
        )
    if head in cues.interrogatives:
        # "Was heißt …", "Wie lange …", "Welche Weiterbildung …"; not "Was ich gern mache, …".
        third = words[2] if len(words) > 2 else ""
        return (
            second in verbs
            or second in cues.after_interrogative
            or (head.startswith("welch") and bool(second) and second not in cues.pronouns)
            # "was kriegt man …", "wie schätz ich …": a verb the cues lack, then its subject.
            or (
                third in _SUBJECTS
                and second not in cues.pronouns
                and second not in _NOT_A_VERB
                and not head.startswith("welch")
            )
        )
    if fronted:
        return False  # "Dann brauche ich …": a statement, its verb second
    if head in cues.subject_verbs and second in cues.pronouns:
        # "Brauche ich …", "Kann man …"; not a habit told after a statement without "?"
        # ("Englisch gut, spreche ich fast täglich mit Kunden"), nor how well anywhere
        # ("spreche ich fließend").
        if set(_main_clause(words)) & cues.manner:
            return False  # (not "… wenn man gut ist": how well in a clause of its own)
        return first_clause or not set(words) & cues.habitual
    # "Reicht Englisch B2 für …", but not "Ist mir egal", "Passt schon", "kann englisch
    # doch nur A2" (a correction), nor a clause after a comma ("…, ist aber eingerostet").
    return bool(
        first_clause
        and head in cues.question_verbs
        and len(words) >= 3
        and second not in cues.statement_followers
        and "doch" not in words[2:4]
    )


# Conjunctions that open a condition: the clause belongs to the question after it, it
# states nothing ("Wenn ich Englisch sehr gut schreibe, welches Niveau ist das?").
_CONDITIONS = frozenset({"wenn", "falls", "sofern", "angenommen"})
# Tags that ask to confirm the statement before them, and the words that statement needs.
_TAGS = frozenset({"oder", "nicht", "gell", "ne", "oder nicht", "stimmt s", "stimmts", "richtig"})
_TAG_MIN_WORDS = 4
# Words a sentence with "?" and no opener needs before a verb and subject inside it make
# it a question ("Bankkauffrau, kann ich auch?" stays a hesitant answer).
_INVERTED_MIN_WORDS = 6


def _conditional(clause: str) -> bool:
    words = _words(clause)
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return bool(words) and words[0] in _CONDITIONS


def sentences(text: str) -> List[str]:
    """The sentences of `text`: split after ".", "!", "?" or ";" and a space, not after
    an abbreviation ("z. B.").
    """
    return [s.strip() for s in _SENTENCE_END.split((text or "").strip()) if s.strip()]


def split_message(text: str, cues: QuestionCues) -> Split:
    """Splits `text` into its statement part and its question part.

    A sentence ending in "?" whose clauses contain no question opener is a
    tentative answer ("Bankkauffrau?"): it stays on the statement side and sets
    `tentative`.
    """
    statements: List[str] = []
    questions: List[str] = []
    tentative: List[str] = []
    for sentence in sentences(text):
        clauses = [c for c in _CLAUSE_SPLIT.split(sentence) if c.strip()]
        asked = sentence.endswith("?")
        opener = next(
            (i for i, c in enumerate(clauses) if opens_question(c, cues, asked, first=i == 0)), None
        )
        if opener and _conditional(clauses[0]):
            opener = 0  # "Wenn ich die Ausbildung in Teilzeit mache, bekomme ich ...?"
        elif opener is None and _announced(clauses, cues) is not None:
            # "kurze frage vorweg, bringt der fachwirt was für den aufstieg": the clause
            # after the announcement asks, without "?" too (fresh17).
            opener = _announced(clauses, cues)
        elif opener is None and asked and _conditional(clauses[0]) and _asks_after(sentence, cues):
            # "wenn ich büromanagement lernen will muss ich dann 3 jahre machen??": the
            # question's verb follows the condition without a comma ("und wenn ich lieber
            # Projekte will?" has none: a wish, no question).
            opener = 0
        elif opener is not None and _drops_subject(clauses[opener], cues):
            # "Bin Industriekauffrau – was verdient man?": the first clause states,
            # with its subject left out, and a later clause asks.
            later = (
                j
                for j in range(opener + 1, len(clauses))
                if opens_question(clauses[j], cues, asked, first=False)
            )
            opener = next(later, opener)
        if opener is not None:
            statements.extend(clauses[:opener])
            questions.append(" ".join(clauses[opener:]))
        elif asked and _tag_question(clauses):
            # "Die Berufsberatung geht doch auch per Telefon, oder?": a statement asked
            # to be confirmed is a question ("Englisch gut, oder?" stays a hesitant answer).
            questions.append(sentence)
        elif asked and _inverted(clauses, cues) is not None:
            # "Hab gehört, auf die Prüfung der Anerkennung hat man ein Recht?": a longer
            # clause with "?" whose verb meets its subject later ("hat man") asks.
            at = _inverted(clauses, cues)
            statements.extend(clauses[:at])
            questions.append(" ".join(clauses[at:]))
        elif asked and questions:
            # "Welche Ergebnisse kann ein Bescheid haben? Entweder ja oder nein?": a
            # sentence with "?" after a question asks on; it is no tentative answer.
            questions.append(sentence)
        elif asked:
            tentative.append(sentence.rstrip("?").strip())
        else:
            statements.append(sentence)
    if not questions and not tentative:
        return Split(text or "", "")
    return Split(_join(statements + tentative), _join(questions), bool(tentative))


def _announced(clauses: List[str], cues: QuestionCues) -> Optional[int]:
    """The index of the clause after one that announces a question, or None."""
    for i, clause in enumerate(clauses[:-1]):
        said = " " + " ".join(_words(clause)) + " "
        if any(f" {phrase} " in said for phrase in cues.announcements):
            return i + 1
    return None


def _asks_after(sentence: str, cues: QuestionCues) -> bool:
    """True when a verb is followed by its subject pronoun after the sentence's first
    two words ("wenn ich … will muss ich dann …"): a main clause that asks.
    """
    words = _words(sentence)
    verbs = cues.question_verbs | cues.subject_verbs
    return any(
        words[i] in verbs and words[i + 1] in cues.pronouns for i in range(2, len(words) - 1)
    )


def _inverted(clauses: List[str], cues: QuestionCues) -> Optional[int]:
    """The first clause of a sentence with "?" that has a verb and its subject pronoun
    after its first two words and enough words to be no hesitant answer, if any.
    """
    return next(
        (
            i
            for i, clause in enumerate(clauses)
            if len(_words(clause)) >= _INVERTED_MIN_WORDS and _asks_after(clause, cues)
        ),
        None,
    )


def _tag_question(clauses: List[str]) -> bool:
    """True for a statement of several words followed by a tag ("…, oder?", "…, nicht?",
    "…, gell?", "…, stimmt's?").
    """
    if len(clauses) < 2:
        return False
    tag = " ".join(_words(clauses[-1]))
    return tag in _TAGS and len(_words(" ".join(clauses[:-1]))) >= _TAG_MIN_WORDS


def _drops_subject(clause: str, cues: QuestionCues) -> bool:
    """True for a clause that opens with a verb that needs a subject, but none follows
    ("Bin Bankkauffrau", "Habe BWL studiert"): a statement with its subject left out,
    unless nothing else in the sentence asks.
    """
    words = _words(clause)
    if len(words) < 2 or words[0] in cues.question_verbs:
        return False
    return words[0] in cues.subject_verbs and words[1] not in cues.pronouns


def _join(parts: Iterable[str]) -> str:
    joined = ". ".join(p.strip(" .") for p in parts if p.strip(" ."))
    return joined.replace("?. ", "? ")  # a question keeps its own mark
