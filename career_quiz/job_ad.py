"""The job-ad check ("Passe ich zu dieser Stelle?"): ad text -> variant, requirements, fit.

Plain Python (no rasa/rasa_sdk). One title, "Back Office Assistant", covers three
jobs, so an ad is read by what it asks the person to do:

* `looks_like_ad` recognises a pasted ad by its structure (headings such as
  "Ihre Aufgaben" / "Ihr Profil", a gender marker "(m/w/d)", ad phrases); the
  channels and the NLU pipeline use it to let ads of up to `MAX_AD_CHARS` through;
* `JobAdChecker.analyse` cuts the ad into sections, classifies the variant from the
  task lines (the work-preference classifier of task_model.py plus the task word
  parts of data/knowledge/job_ad.yml), and reads training, degree and languages from
  the requirement lines with the quiz's own answer parser (parsing.py), so levels
  such as "verhandlungssicher" or "C1" map exactly as they do for a visitor;
* `compare` checks the visitor's quiz answers requirement by requirement and gives
  the overall fit by the slot contract's rule (docs/contracts.md, "Slot contract");
* `render_*` put the German answer together from the texts in job_ad.yml.

Nothing here stores the ad: the caller keeps only the contract's slots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import yaml

from career_quiz import advice, settings
from career_quiz.contract import (
    AD_FIT_VALUES,
    AD_VARIANTS,
    GERMAN,
    LEVELS,
    SLOT_TRAINING,
    TRAINING_VALUES,
)
from career_quiz.lexicon import fold_umlauts
from career_quiz.questions import ABBREVIATION

# Ads of up to this many characters are checked; other messages stay at the channels'
# limit for a chat message (input_checks.MAX_MESSAGE_CHARS).
MAX_AD_CHARS = 6000
# Shorter texts are chat messages, however they are worded.
MIN_AD_CHARS = 120
# A retold ad (`retold_ad`): at least this long, with at least this many task words.
MIN_RETOLD_CHARS = 60
RETOLD_TASKS = 2
# Work-preference labels of task_model.py -> the variant they describe.
TASK_TO_VARIANT = {
    "assistance": "secretarial",
    "specialist": "specialist",
    "projects": "project_management",
}
# Weight of the task word parts against the classifier's probabilities, per line.
LEXICON_WEIGHT = 0.6
# At most this many task lines are quoted as the reason.
REASON_TASKS = 3
_REASON_TASK_CHARS = 90

MET, NOT_MET, UNCLEAR = "met", "not_met", "unclear"

_BULLET = re.compile(r"^[\s•·▪■►➢✓✔\-\*–—>]+")
# A sentence ends at ". " before a capital, but not after an abbreviation
# (career_quiz/questions.py, the same list as for chat messages).
# A chat line's lead-in to a retold ad, up to its colon ("Hab ne Anzeige gesehen:").
# The position announced ("Teamassistenz gesucht", "Wir suchen eine Sekretärin"): its
# title is the job offered, not a training asked for, unless the piece names one.
_SOUGHT = re.compile(r"\b(?:gesucht|sucht|suchen|zur verstärkung)\b", re.IGNORECASE)
_TRAINING_WORDS = re.compile(
    r"ausbildung|abschluss|lehre\b|studium|gelernt|qualifikation|vorausgesetzt", re.IGNORECASE
)
_RETOLD_LEAD_IN = re.compile(
    r"^[^:\n]{0,60}\b(?:anzeige|inserat|ausschreibung|stellenangebot|jobangebot|annonce)\b"
    r"[^:,\n]{0,40}[:,]\s*",
    re.IGNORECASE,
)
# A paragraph that tells what an ad seeks ("In einer Stellenanzeige sucht die Skandia …").
_RETELLS_AN_AD = re.compile(
    r"\b(?:stellenanzeige|anzeige|inserat|ausschreibung|stellenangebot)\b[^.\n]{0,80}"
    r"\b(?:sucht|suchen|gesucht)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(rf"(?<=[.;!?]){ABBREVIATION}\s+(?=[A-ZÄÖÜ])")
_PIECE_SPLIT = re.compile(r"[,;]|\s+\(|\)\s*")
# "Kaufmann/-frau", "Kauffrau/mann", "Steuerfachangestellte/r", "Assistent/in",
# "Assistent*in", "zur/zum": the first form is enough for the parser.
_DOUBLE_FORMS = (
    (
        re.compile(
            r"(\w*(?:kauffrau|kaufmann))\s*/\s*(?:zum\s+|zur\s+|-\s*)?\w*?(?:kaufmann|kauffrau|mann|frau)\b",
            re.I,
        ),
        r"\1",
    ),
    (re.compile(r"(\w)\s*/\s*-?\s*(?:frau|mann|männer|frauen)\b", re.I), r"\1"),
    (re.compile(r"(\w)(?:/-?|\*|:|_)(?:in|innen|r|n|e)\b"), r"\1"),
    (re.compile(r"(\w)\((?:in|innen|r|n|e)\)"), r"\1"),
    (re.compile(r"\bzur\s*/\s*zum\b|\bzum\s*/\s*zur\b", re.I), "zum"),
    (re.compile(r"\bals\s*/\s*zum\b", re.I), "als"),
)


@dataclass(frozen=True)
class Knowledge:
    """What data/knowledge/job_ad.yml says."""

    sections: Dict[str, Tuple[str, ...]]
    gender_marker: "re.Pattern[str]"
    ad_words: Tuple[str, ...]
    # An ad retold in a chat message (`retold_ad`): a word for the ad and a fit question.
    retold_references: Tuple[str, ...]
    retold_fit: "re.Pattern[str]"
    # Words of a retold ad besides its tasks: the job's title and what it asks for.
    retold_signals: "re.Pattern[str]"
    optional_markers: Tuple[str, ...]
    alternative_words: Tuple[str, ...]
    generic_commercial: Tuple[str, ...]
    commercial_values: Tuple[str, ...]
    # Trainings that, required by an ad naming hardly a task, make it a specialist one.
    specialist_trainings: Tuple[str, ...]
    training_phrases: Dict[str, Tuple[str, ...]]
    degree_words: Tuple[str, ...]
    language_optional_markers: Tuple[str, ...]
    level_wordings: Tuple[Tuple["re.Pattern[str]", str], ...]
    tasks: Dict[str, Tuple[str, ...]]
    texts: Dict[str, Any]
    heading: "re.Pattern[str]"
    further: "FurtherWords"

    @classmethod
    def from_data(cls, data: Dict[str, Any]) -> "Knowledge":
        """Builds the knowledge from the parsed YAML."""
        sections = {name: tuple(str(h) for h in heads) for name, heads in data["sections"].items()}
        by_length = sorted(
            ((h, name) for name, heads in sections.items() for h in heads), key=lambda x: -len(x[0])
        )
        alternation = "|".join(re.escape(h) for h, _ in by_length)
        # A heading starts a line (after a bullet) and ends it or is followed by a colon.
        heading = re.compile(
            rf"(?:^|\n)[ \t•·▪■\-\*]*(?P<head>{alternation})[ \t]*(?::|\n|$)|"
            rf"(?P<inline>{alternation})[ \t]*:",
            re.IGNORECASE,
        )
        tasks = {
            variant: tuple(fold_umlauts(str(w).lower()) for w in words)
            for variant, words in data["tasks"].items()
        }
        if set(tasks) != set(AD_VARIANTS):
            raise ValueError(f"job_ad.yml: tasks must name {AD_VARIANTS}, not {sorted(tasks)}")
        commercial = tuple(str(v) for v in data["commercial_values"])
        if not set(commercial) <= set(TRAINING_VALUES):
            raise ValueError(f"job_ad.yml: unknown training values in {commercial}")
        return cls(
            sections=sections,
            gender_marker=re.compile(str(data["gender_marker"]), re.IGNORECASE),
            ad_words=tuple(str(w).lower() for w in data["ad_words"]),
            retold_references=tuple(str(w).lower() for w in data["retold_ad"]["references"]),
            retold_fit=re.compile("|".join(data["retold_ad"]["fit"]), re.IGNORECASE),
            retold_signals=re.compile(
                r"(?<![\wäöüß])(?:" + "|".join(data["retold_ad"]["signals"]) + ")",
                re.IGNORECASE,
            ),
            optional_markers=tuple(str(w).lower() for w in data["optional_markers"]),
            alternative_words=tuple(str(w).lower() for w in data["alternative_words"]),
            generic_commercial=tuple(str(w).lower() for w in data["generic_commercial"]),
            commercial_values=commercial,
            specialist_trainings=tuple(str(v) for v in data["specialist_trainings"]),
            training_phrases={
                str(v): tuple(str(p).lower() for p in phrases)
                for v, phrases in data["training_phrases"].items()
            },
            degree_words=tuple(str(w).lower() for w in data["degree_words"]),
            language_optional_markers=tuple(
                str(w).lower()
                for w in list(data["optional_markers"]) + list(data["language_optional_markers"])
            ),
            level_wordings=tuple(
                (re.compile(rf"\b{re.escape(str(k))}\b", re.I), str(v))
                for k, v in sorted(data["level_wordings"].items(), key=lambda kv: -len(kv[0]))
            ),
            tasks=tasks,
            texts=data["texts"],
            heading=heading,
            further=FurtherWords.from_data(data["further"], data["optional_markers"]),
        )

    def section_of(self, head: str) -> str:
        """The section a heading opens."""
        head = " ".join(head.lower().split())
        return next(name for name, heads in self.sections.items() if head in heads)


def _any_word(words: Sequence[str], prefix: str = "") -> str:
    """An alternation of `words` as whole words (spaces match any space), longest first."""
    ordered = sorted({str(w).lower() for w in words}, key=lambda w: -len(w))
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    return rf"(?<!\w){prefix}(?:{alternation})(?!\w)"


@dataclass(frozen=True)
class FurtherWords:
    """The words of job_ad.yml `further`: requirements the quiz does not ask about."""

    software: Tuple[Tuple[str, str, "re.Pattern[str]"], ...]  # key, label, pattern
    software_any: "re.Pattern[str]"
    years: "re.Pattern[str]"
    qualified: "re.Pattern[str]"
    qualifiers: Dict[str, str]
    plain: "re.Pattern[str]"
    driving_licence: "re.Pattern[str]"
    number_words: Dict[str, int]
    software_cues: Tuple[str, ...]
    optional_markers: Tuple[str, ...]
    negations: Tuple[str, ...]
    negation_words: Tuple[str, ...]

    @classmethod
    def from_data(cls, data: Dict[str, Any], optional_markers: Sequence[str]) -> "FurtherWords":
        """Builds the patterns from job_ad.yml `further` (and its general optional markers)."""
        software = tuple(
            (str(key), str(entry["label"]), re.compile(_any_word(entry["words"]), re.I))
            for key, entry in data["software"].items()
        )
        spellings = [w for entry in data["software"].values() for w in entry["words"]]
        numbers = {str(k).lower(): int(v) for k, v in data["number_words"].items()}
        number = rf"(?:\d{{1,2}}|{'|'.join(sorted(numbers, key=len, reverse=True))})"
        nouns = [str(n).lower() for n in data["experience_nouns"]]
        any_noun = _any_word(nouns + list(data["experience_plain_nouns"]), prefix=r"[\w-]*?")
        # "mind. 3 Jahre", "2-3 Jahre", "5+ Jahre", "drei Jahren", "2-jährige", "zweijährige"

        def count(group: str) -> str:
            return (
                rf"(?<!\w)(?P<{group}>{number})(?:\s*(?:-|–|bis)\s*{number})?\s*\+?\s*"
                rf"(?:jahr(?:e|en|es)?(?!\w)|-?\s*jährig\w*)"
            )

        gap = r"(?:\W+[\w.]+){0,5}?\W+"
        years = rf"{count('years')}{gap}{any_noun}|{any_noun}{gap}{count('years_after')}"
        qualifiers = {str(k).lower(): str(v) for k, v in data["experience_qualifiers"].items()}
        stems = "|".join(re.escape(q) for q in sorted(qualifiers, key=len, reverse=True))
        qualified = rf"(?<!\w)(?P<stem>{stems})(?:e|er|en|em|es)(?!\w)(?:\W+\w+){{0,2}}?\W+"
        return cls(
            software=software,
            software_any=re.compile(_any_word(spellings), re.I),
            years=re.compile(years, re.I),
            qualified=re.compile(qualified + any_noun, re.I),
            qualifiers=qualifiers,
            plain=re.compile(_any_word(nouns), re.I),
            driving_licence=re.compile(
                _any_word(data["driving_licence"])
                + r"(?:\W+(?:der\s+)?(?:klasse|kl\.)\s*(?P<licence_class>[a-d]\w?)(?!\w))?",
                re.I,
            ),
            number_words=numbers,
            software_cues=tuple(str(w).lower() for w in data["software_cues"]),
            optional_markers=tuple(
                str(w).lower() for w in list(optional_markers) + list(data["optional_markers"])
            ),
            negations=tuple(str(w).lower() for w in data["negations"]),
            negation_words=tuple(str(w).lower() for w in data["negation_words"]),
        )


def load_knowledge(path: Optional[Path] = None) -> Knowledge:
    """Reads job_ad.yml (default: the project's)."""
    path = path or settings.knowledge_dir() / "job_ad.yml"
    with open(path, encoding="utf-8") as handle:
        return Knowledge.from_data(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The project's job_ad.yml, read once per process on first use."""
    return load_knowledge()


# -- recognising and cutting an ad -------------------------------------------


def _headings(text: str, know: Knowledge) -> List[Tuple[int, int, str]]:
    """(start, end, section) of each heading in `text`, in order."""
    found = []
    for match in know.heading.finditer(text):
        head = match.group("head") or match.group("inline")
        found.append((match.start(), match.end(), know.section_of(head)))
    return found


def looks_like_ad(text: str, know: Optional[Knowledge] = None) -> bool:
    """True when `text` has the structure of a job ad, whatever its words say.

    Needs at least MIN_AD_CHARS characters and signals worth four points: a gender
    marker ("(m/w/d)") counts three, a task or profile heading two, any other heading
    one, and ad phrases ("zum nächstmöglichen Zeitpunkt", "Ihr Profil") one each, at
    most three; one signal alone is never enough.
    """
    if not isinstance(text, str) or len(text.strip()) < MIN_AD_CHARS:
        return False
    know = know or knowledge()
    marker = know.gender_marker.search(text) is not None
    if not marker and "\n" not in text and ":" not in text:
        return False  # no heading possible, so at most one signal (runs for every message)
    sections = {section for _, _, section in _headings(text, know)}
    points = 2 * len(sections & {"tasks", "profile"}) + len(sections - {"tasks", "profile"})
    points += 3 if marker else 0
    lowered = " ".join(text.lower().split())
    phrases = sum(1 for w in know.ad_words if w in lowered)
    points += min(3, phrases)
    signals = bool(sections) + marker + (phrases > 0)
    return points >= 4 and signals >= 2


def retold_ad(text: str, know: Optional[Knowledge] = None) -> bool:
    """True for an ad retold in a chat message with a fit question ("Ich habe eine
    Anzeige gesehen: Teamassistenz gesucht, kaufmännische Ausbildung, Englisch gut,
    Terminplanung und Reisen. Passt das zu mir?"): a word for an ad, a fit question and
    at least RETOLD_TASKS task words of the ad (visitor finding, visit6 #3), where the
    job's title and a requirement count as well ("teamassistenz bei ner spedition,
    englisch gut, kaufm. ausbildung. passt das?", visit7 #3).
    """
    if not isinstance(text, str) or len(text.strip()) < MIN_RETOLD_CHARS:
        return False
    know = know or knowledge()
    lowered = " ".join(text.lower().split())
    if not any(w in lowered for w in know.retold_references):
        return False
    if not know.retold_fit.search(lowered):
        return False
    signals = len({m.group(0).lower() for m in know.retold_signals.finditer(lowered)})
    return sum(task_word_hits(text, know).values()) + signals >= RETOLD_TASKS


def task_word_hits(text: str, know: Knowledge) -> Dict[str, int]:
    """Task words of `text` per variant; in a compound the longest word part decides
    ("Projektterminplan" is project work, "Terminkoordination" assistance).
    """
    hits = {v: 0 for v in AD_VARIANTS}
    for word in re.findall(r"[\wäöüß-]+", fold_umlauts(text.lower())):
        best, best_length = "", 0
        for variant, stems in know.tasks.items():
            for stem in stems:
                if " " not in stem and stem in word and len(stem) > best_length:
                    best, best_length = variant, len(stem)
        if best:
            hits[best] += 1
    folded = fold_umlauts(text.lower())
    for variant, stems in know.tasks.items():
        hits[variant] += sum(1 for stem in stems if " " in stem and stem in folded)
    return hits


def split_sections(text: str, know: Optional[Knowledge] = None) -> Dict[str, str]:
    """Section -> its text ("intro" before the first heading); repeated sections are joined."""
    know = know or knowledge()
    heads = _headings(text, know)
    parts: Dict[str, List[str]] = {"intro": [text[: heads[0][0]] if heads else text]}
    for i, (_, end, section) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        parts.setdefault(section, []).append(text[end:stop])
    return {name: "\n".join(chunks) for name, chunks in parts.items()}


def article_ad(text: str, know: Knowledge) -> str:
    """The paragraph of an article that retells one ad ("In einer Stellenanzeige sucht
    die Skandia Lebensversicherung … einen Back Office Assistant"), else `text`.

    The seed article pasted whole was read as a Sekretariat ad: its other paragraphs
    describe all three variants (visit12 #4). An ad with task or profile headings, or
    with fewer than three paragraphs, is read whole.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    retelling = [p for p in paragraphs if _RETELLS_AN_AD.search(p)]
    if len(paragraphs) < 3 or len(retelling) != 1:
        return text
    # ("Die Anforderungen:" inside the retelling paragraph is no heading of the rest.)
    rest = "\n\n".join(p for p in paragraphs if p is not retelling[0])
    if {"tasks", "profile"} & {section for _, _, section in _headings(rest, know)}:
        return text
    return retelling[0]


def prepare(text: str, know: Optional[Knowledge] = None) -> str:
    """Ad wording as a visitor would write it: one form of double job titles, no gender
    marker, no question marks (the parser leaves questions alone); of an article, the
    paragraph that retells the ad (`article_ad`).
    """
    know = know or knowledge()
    text = article_ad(text, know)
    text = know.gender_marker.sub(" ", text)
    for pattern, replacement in _DOUBLE_FORMS:
        text = pattern.sub(replacement, text)
    return text.replace("?", ".")


def sentences(text: str) -> List[str]:
    """Lines, bullets and sentences of `text`, without bullet signs and empty ones."""
    result = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        for sentence in _SENTENCE_END.split(line):
            sentence = sentence.strip(" \t.;")
            if sentence:
                result.append(sentence)
    return result


# -- analysis ----------------------------------------------------------------


@dataclass
class AdAnalysis:
    """What an ad is and what it requires, in the contract's values."""

    variant: str
    variant_scores: Dict[str, float]
    tasks: List[str]
    training: List[str]
    generic_commercial: bool
    degree_required: bool
    degree_alternative: bool
    languages: Dict[str, str]
    # What the ad asks for beyond the quiz's questions (software, experience, driving
    # licence): named in the answer, never counted in the fit, not in the slots.
    further: List["Further"] = field(default_factory=list)
    # The specialist field the ad names most (paths.yml cues: bank, insurance, tax, ...),
    # for the steps towards its training; None for other variants or when unnamed.
    field: Optional[str] = None

    def requirements(self) -> Dict[str, Any]:
        """The `ad_requirements` slot value."""
        return {
            "training": list(self.training),
            "degree_required": self.degree_required,
            "languages": [f"{code}:{level}" for code, level in sorted(self.languages.items())],
        }


def _contains(text: str, phrases: Sequence[str]) -> bool:
    lowered = " " + " ".join(text.lower().split()) + " "
    return any(re.search(rf"(?<![\wäöüß]){re.escape(p)}(?![\wäöüß])", lowered) for p in phrases)


# With a specialist training required, specialist tasks scoring at least this share of the
# top variant's make the ad a specialist back office.
CLOSE_SPECIALIST = 0.6


class JobAdChecker:
    """Reads ads with the quiz's parser and work-preference classifier."""

    def __init__(
        self,
        parser: Any,
        task_probabilities: Optional[Callable[[str], Dict[str, float]]] = None,
        know: Optional[Knowledge] = None,
        task_batch: Optional[Callable[[List[str]], List[Dict[str, float]]]] = None,
    ) -> None:
        """Keeps the parser (parsing.MessageParser), the classifier (one text, and
        optionally many at once: `task_batch`) and the knowledge.
        """
        self.parser = parser
        self.task_probabilities = task_probabilities
        self.task_batch = task_batch
        self.know = know or knowledge()

    def analyse(self, text: str) -> AdAnalysis:
        """The variant, tasks and requirements of one ad (at most MAX_AD_CHARS are read)."""
        text = prepare(text[:MAX_AD_CHARS], self.know)
        # "Ich hab ne Anzeige gesehen: Pflegedienst sucht …": the lead-in of a retold ad
        # is no task to quote (visit7 #11).
        text = _RETOLD_LEAD_IN.sub("", text, count=1)
        parts = split_sections(text, self.know)
        if "tasks" in parts:
            task_text = parts["tasks"]
        else:
            task_text = "\n".join(v for k, v in parts.items() if k in ("intro", "company"))
        if "profile" in parts:
            requirement_text = parts["profile"]
        else:
            requirement_text = "\n".join(v for k, v in parts.items() if k not in ("offer",))
        variant, scores, tasks = self._variant(sentences(task_text), text)
        # "Wir bieten ... Weiterbildung zum Fachwirt": an offer in running text is no
        # requirement (a sentence that opens with a heading of the offer section).
        offers = tuple(self.know.sections.get("offer", ()))
        required = [
            line for line in sentences(requirement_text) if not line.lower().startswith(offers)
        ]
        training, generic, degree_required, degree_alternative = self._training(required)
        languages = self._languages(required)
        specialist_training = bool(training) and set(training) <= set(
            self.know.specialist_trainings
        )
        if specialist_training and (
            not tasks or scores.get("specialist", 0.0) >= CLOSE_SPECIALIST * max(scores.values())
        ):
            # Hardly a task named ("sucht für die administrative Betreuung ... einen Back
            # Office Assistant"), or specialist tasks about as many as the others beside
            # a bank, insurance, tax, HR or IT training required (visit10 #3: insurance
            # claims and contracts beside correspondence): the specialist back office
            # (the seed article's ad).
            variant = "specialist"
        return AdAnalysis(
            variant,
            scores,
            tasks,
            training,
            generic,
            degree_required,
            degree_alternative,
            languages,
            further_of_parts(parts, self.know),
            _field_of(variant, tasks, text),
        )

    # -- variant ---------------------------------------------------------------

    def _word_hits(self, text: str) -> Dict[str, int]:
        """Task words per variant (`task_word_hits`)."""
        return task_word_hits(text, self.know)

    def _probabilities(self, texts: List[str]) -> List[Dict[str, float]]:
        """The classifier's probabilities for each text, in one batch when it can."""
        if self.task_batch is not None:
            return list(self.task_batch(texts)) if texts else []
        if self.task_probabilities is None:
            return [{} for _ in texts]
        return [self.task_probabilities(text) for text in texts]

    def _line_scores(
        self, line: str, probabilities: Optional[Dict[str, float]] = None
    ) -> Dict[str, float]:
        hits = self._word_hits(line)
        total = sum(hits.values())
        scores = {v: 0.0 for v in AD_VARIANTS}
        if probabilities is None:
            probabilities = self._probabilities([line])[0]
        if probabilities:
            for label, variant in TASK_TO_VARIANT.items():
                scores[variant] += (1 - LEXICON_WEIGHT) * probabilities.get(label, 0.0)
        if total:
            for variant in AD_VARIANTS:
                scores[variant] += LEXICON_WEIGHT * hits[variant] / total
        return scores

    def _variant(self, lines: List[str], whole: str) -> Tuple[str, Dict[str, float], List[str]]:
        if not lines:
            lines = sentences(whole)
        title = sentences(whole)[:1]
        split = []
        for line in lines:
            parts = [p for p in _pieces(line) if len(p) >= 12] if len(line) > 100 else [line]
            split.append((line, parts or [line]))
        texts = [part for _, parts in split for part in parts] + title
        probabilities = iter(self._probabilities(texts))
        per_line = [
            (line, [self._line_scores(part, next(probabilities)) for part in parts])
            for line, parts in split
        ]
        # The title counts as one task line; "Back Office Assistant" is neutral.
        title_scores = [self._line_scores(line, next(probabilities)) for line in title]
        totals = {v: 0.0 for v in AD_VARIANTS}
        for scores in [s for _, s in per_line] + [title_scores]:
            for score in scores:
                for v in AD_VARIANTS:
                    totals[v] += score[v]
        totals = {v: round(t, 4) for v, t in totals.items()}
        variant = max(AD_VARIANTS, key=lambda v: (totals[v], -AD_VARIANTS.index(v)))
        ranked = sorted(
            ((line, max(score[variant] for score in scores)) for line, scores in per_line),
            key=lambda item: -item[1],
        )
        tasks = [
            self._shown(line, variant) for line, value in ranked[:REASON_TASKS] if value >= 0.3
        ]
        return variant, totals, tasks

    def _shown(self, line: str, variant: str) -> str:
        """A task line as quoted: of a list in one line ("teamassistenz bei ner spedition,
        englisch gut, kaufm. ausbildung"), only the pieces with the variant's task words.
        """
        pieces = _pieces(line)
        if len(pieces) >= 3:
            tasks = [p for p in pieces if self._word_hits(p)[variant]]
            if tasks:
                return _shorten(", ".join(tasks))
        return _shorten(line)

    # -- training and degree ---------------------------------------------------

    def _parse(self, text: str, slot: Optional[str] = None) -> Any:
        return self.parser.parse(text, slot, ad_text=True)

    def _training(self, lines: List[str]) -> Tuple[List[str], bool, bool, bool]:
        accepted: List[str] = []
        generic = False
        degree_required = False
        degree_alternative = False
        for line in lines:
            line_values: List[str] = []
            line_degree = False
            for piece in _pieces(line):
                if _contains(piece, self.know.optional_markers):
                    continue
                if _SOUGHT.search(piece) and not _TRAINING_WORDS.search(piece):
                    continue  # "Teamassistenz gesucht": the position, no training asked for
                values = self._training_values(piece)
                if _contains(piece, self.know.generic_commercial):
                    generic = True
                    values.extend(self.know.commercial_values)
                if "degree" in values:
                    values.remove("degree")
                    line_degree = line_degree or _contains(piece, self.know.degree_words)
                line_values.extend(values)
            if line_degree:
                offers_other = bool(line_values) or _contains(line, ("ausbildung",))
                if offers_other and _contains(line, self.know.alternative_words):
                    degree_alternative = True
                else:
                    degree_required = True
            accepted.extend(line_values)
        if degree_alternative or degree_required:
            accepted.append("degree")
        order = list(TRAINING_VALUES)
        training = sorted({v for v in accepted if v != "none"}, key=order.index)
        return training, generic, degree_required, degree_alternative and not degree_required

    def _training_values(self, piece: str) -> List[str]:
        parsed = self._parse(piece)
        values = [v for v in parsed.training if v != "none"]
        for value, phrases in self.know.training_phrases.items():
            if _contains(piece, phrases):
                values.append(value)
        for alternative in re.split(r"\b(?:oder|bzw\.?|sowie)\b", piece):
            if not _SPECIFIC_TRAINING.search(alternative):
                continue
            # "zum Bank- oder Versicherungskaufmann": "Bank-" is a cut word whose end
            # the next alternative names, no training of its own ("other").
            if alternative.rstrip().endswith("-"):
                continue
            if [v for v in self._parse(alternative).training if v != "none"]:
                continue
            if _contains(alternative, self.know.generic_commercial) or any(
                _contains(alternative, phrases) for phrases in self.know.training_phrases.values()
            ):
                continue
            asked = self._parse(alternative, SLOT_TRAINING)
            found = [v for v in asked.training if v != "none"]
            if not found and asked.unplaced_training:
                found = [asked.unplaced_value]
            values.extend(found)
        return values

    # -- languages -------------------------------------------------------------

    def _languages(self, lines: List[str]) -> Dict[str, str]:
        required: Dict[str, str] = {}
        names = tuple(n for values in self.parser.lex.language_names.values() for n in values)
        adjective, either = _language_patterns(names)
        for line in lines:
            line = adjective.sub(" ", line)
            line = either.sub(" ", line)
            for pattern, wording in self.know.level_wordings:
                line = pattern.sub(wording, line)
            line = self._optional_brackets(line)
            firm = [p for p in re.split(r"[,;]", line) if p.strip()]
            firm = [p for p in firm if not _contains(p, self.know.language_optional_markers)]
            if not firm:
                continue
            parsed = self._parse(", ".join(p.strip() for p in firm), None)
            for code, level in parsed.languages.items():
                if code == GERMAN:
                    continue
                previous = required.get(code)
                if previous is None or LEVELS.index(level) > LEVELS.index(previous):
                    required[code] = level
        return required

    def _optional_brackets(self, line: str) -> str:
        def drop(match: "re.Match[str]") -> str:
            optional = _contains(match.group(0), self.know.language_optional_markers)
            return " " if optional else match.group(0)

        return re.sub(r"\([^()]*\)", drop, line)


_SPECIFIC_TRAINING = re.compile(
    r"\b(?:berufs)?ausbildung\s+(?:in\s+der|in\s+einem|im|als|zum|zur)\s+\w+", re.I
)


@lru_cache(maxsize=4)
def _language_patterns(names: Tuple[str, ...]) -> Tuple[re.Pattern, re.Pattern]:
    """Patterns over the lexicon's language names (`language_names`, umlauts both ways):
    an adjective ("unserer polnischen Standorte": no language skill) and a choice
    ("Russisch- oder Ukrainischkenntnisse": either one, so neither is required).
    """
    spelled = sorted({n for name in names for n in (name, fold_umlauts(name))}, key=len)
    alternatives = "|".join(re.escape(n) for n in reversed(spelled))
    adjective = re.compile(
        rf"\b(?:{alternatives})(?:e|en|er|em|es)\b(?!\s*(?:sprach|kenntnis|muttersprach))",
        re.I,
    )
    either = re.compile(rf"\b(?:{alternatives})\w*-?\s+oder\s+(?:{alternatives})\w*", re.I)
    return adjective, either


def _pieces(line: str) -> List[str]:
    pieces = [p.strip() for p in _PIECE_SPLIT.split(line)]
    return [p for p in pieces if p]


def _shorten(line: str) -> str:
    line = " ".join(line.split())
    if len(line) <= _REASON_TASK_CHARS:
        return line
    cut = line[:_REASON_TASK_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


# -- requirements the quiz does not ask about ------------------------------------


@dataclass(frozen=True)
class Further:
    """A requirement the quiz does not ask about; never counted in the fit."""

    kind: str  # "software", "experience" or "driving_licence"
    # software: its key in job_ad.yml; experience: the years ("3") or how much
    # ("several", "many", "first", "plain"); driving licence: the class ("B") or "".
    value: str = ""
    optional: bool = False  # "von Vorteil", "wünschenswert": a plus, not a requirement


# Experience wordings from the weakest to the strongest claim; years beat them all.
_EXPERIENCE_ORDER = ("first", "plain", "several", "many")
_BRACKETS = re.compile(r"\(([^()]*)\)")


def further_of_parts(parts: Dict[str, str], know: Optional[Knowledge] = None) -> List[Further]:
    """What a cut ad (`split_sections`) asks for beyond the quiz's questions: read from
    its profile section, or without one from every part but the offer and the tasks
    (then software only where the clause asks for knowledge of it); no offer sentences.
    """
    know = know or knowledge()
    profile = "profile" in parts
    if profile:
        text = parts["profile"]
    else:
        text = "\n".join(v for k, v in parts.items() if k not in ("offer", "tasks"))
    offers = tuple(know.sections.get("offer", ()))
    lines = [line for line in sentences(text) if not line.lower().startswith(offers)]
    return read_further(lines, know, software_cue=not profile)


def _field_of(variant: str, tasks: Sequence[str], text: str) -> Optional[str]:
    """The specialist field of an ad: named by its task lines, else by its whole text
    ("Skandia Lebensversicherung ... Versicherungskaufmann" is insurance).
    """
    if variant != "specialist":
        return None
    return advice.ad_field(tasks) or advice.ad_field(sentences(text))


def field_of_ad(text: str, variant: str) -> Optional[str]:
    """The specialist field of the ad on file, from its text (as `further_of_ad`)."""
    return _field_of(variant, [], prepare(text[:MAX_AD_CHARS])) if text else None


def further_of_ad(text: str, know: Optional[Knowledge] = None) -> List[Further]:
    """What an ad asks for beyond the quiz's questions, from its text alone (no parser):
    for a comparison after the quiz, when only the slots and the conversation are left.
    """
    know = know or knowledge()
    return further_of_parts(split_sections(prepare(text[:MAX_AD_CHARS], know), know), know)


def _clauses(line: str, words: FurtherWords) -> List[Tuple[str, bool]]:
    """The clauses of a requirement line with whether each is only a plus.

    A clause is a comma or semicolon piece; a bracket with an optional marker is a
    clause of its own ("MS Office (SAP von Vorteil)"), another bracket belongs to its
    piece ("(z. B. SAP, DATEV)"). A plus reaches the neighbour in a list of names:
    "Kenntnisse in SAP, DATEV und Excel sind von Vorteil", "Idealerweise SAP, DATEV".
    """
    extra: List[Tuple[str, bool]] = []

    def bracket(match: "re.Match[str]") -> str:
        inner = match.group(1)
        if _contains(inner, words.optional_markers):
            extra.append((inner, True))
            return " "
        return " " + re.sub(r"[,;]", " ", inner) + " "

    line = _BRACKETS.sub(bracket, line)
    pieces = [p.strip() for p in re.split(r"[,;]", line) if p.strip()]
    optional = [_contains(p, words.optional_markers) for p in pieces]

    def starts(piece: str) -> bool:
        found = words.software_any.search(piece)
        return found is not None and found.start() == 0

    def ends(piece: str) -> bool:
        return any(m.end() == len(piece) for m in words.software_any.finditer(piece))

    def listed(piece: str) -> bool:  # "DATEV und Excel": more names in the clause
        return re.search(r"\b(?:und|oder|sowie)\b", piece) is not None and starts(piece)

    for i in range(len(pieces)):
        if not optional[i]:
            continue
        j = i  # backwards, only from a clause that is itself a list of names
        while j > 0 and listed(pieces[i]) and ends(pieces[j - 1]) and starts(pieces[j]):
            optional[j - 1] = True
            j -= 1
        j = i  # forwards: the marker opens the list
        while j + 1 < len(pieces) and ends(pieces[j]) and starts(pieces[j + 1]):
            optional[j + 1] = True
            j += 1
    return list(zip(pieces, optional)) + extra


def _negated(clause: str, start: int, words: FurtherWords) -> bool:
    before = re.findall(r"\w+", clause[:start].lower())[-3:]
    return _contains(clause, words.negations) or bool(set(before) & set(words.negation_words))


def _years(value: str, words: FurtherWords) -> int:
    return int(value) if value.isdigit() else words.number_words.get(value.lower(), 0)


def _experience(clause: str, words: FurtherWords) -> Optional[Tuple[str, int]]:
    """(value, start) of the professional experience a clause asks for, if any."""
    found = words.years.search(clause)
    if found:
        years = _years(found.group("years") or found.group("years_after"), words)
        if years:
            return str(years), found.start()
    found = words.qualified.search(clause)
    if found and not _tool_experience(clause, found, words):
        return words.qualifiers[found.group("stem").lower()], found.start()
    found = words.plain.search(clause)
    if found:
        return "plain", found.start()
    return None


def _tool_experience(clause: str, found: "re.Match[str]", words: FurtherWords) -> bool:
    """True when plain experience (`found`) is with a tool ("erste Erfahrung mit MS
    Project"): the software is the requirement, not professional experience
    ("erste Berufserfahrung mit SAP" asks for both).
    """
    if words.plain.search(found.group(0)):
        return False  # "Berufserfahrung" is professional experience whatever follows
    after = clause[found.end() : found.end() + 40]
    tool = re.match(r"\s+(?:mit|in|im umgang mit)\b", after, re.I)
    return bool(tool and words.software_any.search(after))


def _replaces(new: Further, old: Further) -> bool:
    """A required mention beats a plus; among equals the stronger claim wins."""

    def rank(item: Further) -> Tuple[bool, int, int]:
        if item.value.isdigit():
            return (not item.optional, 1, int(item.value))
        return (not item.optional, 0, _EXPERIENCE_ORDER.index(item.value))

    return rank(new) > rank(old)


def _contains_part(text: str, parts: Sequence[str]) -> bool:
    lowered = text.lower()
    return any(part in lowered for part in parts)


def _software(clause: str, words: FurtherWords) -> List[str]:
    """The software a clause names, in its order; names joined by "oder" are one choice
    ("DATEV oder SAP FI": "datev|sap").
    """
    found = []
    for key, _, pattern in words.software:
        match = pattern.search(clause)
        if match and not _negated(clause, match.start(), words):
            found.append((match.start(), match.end(), key))
    found.sort()
    values: List[str] = []
    previous_end = -1
    for start, end, key in found:
        between = clause[previous_end:start].strip().lower() if values else ""
        if values and re.fullmatch(r"(?:[\w/-]+\s+){0,2}(?:oder|bzw\.?)", between):
            values[-1] += "|" + key
        elif key not in values:
            values.append(key)
        previous_end = end
    return values


def read_further(
    lines: Sequence[str], know: Optional[Knowledge] = None, software_cue: bool = False
) -> List[Further]:
    """Software, professional experience and a driving licence named in the requirement
    lines (job_ad.yml `further`), each once: software in the order of the ad, then the
    experience (the strongest required claim), then the licence. A point is a plus only
    when every mention of it is. With `software_cue`, software counts only in a clause
    that asks for knowledge of it (job_ad.yml `software_cues`).
    """
    words = (know or knowledge()).further
    found: Dict[Tuple[str, str], Further] = {}
    experience: Optional[Further] = None

    def add(kind: str, value: str, optional: bool) -> None:
        key = (kind, "" if kind == "driving_licence" else value)
        old = found.get(key)
        if old is None:
            found[key] = Further(kind, value, optional)
        else:
            found[key] = Further(kind, old.value or value, old.optional and optional)

    for line in lines:
        for clause, optional in _clauses(line, words):
            if not software_cue or _contains_part(clause, words.software_cues):
                for value in _software(clause, words):
                    add("software", value, optional)
            read = _experience(clause, words)
            if read and not _negated(clause, read[1], words):
                new = Further("experience", read[0], optional)
                if experience is None or _replaces(new, experience):
                    experience = new
            licence = words.driving_licence.search(clause)
            if licence and not _negated(clause, licence.start(), words):
                add("driving_licence", (licence.group("licence_class") or "").upper(), optional)
    software = [f for f in found.values() if f.kind == "software"]
    rest = [f for f in found.values() if f.kind != "software"]
    return software + ([experience] if experience else []) + rest


# -- comparison ----------------------------------------------------------------


@dataclass
class Item:
    """One requirement checked against the visitor's answers."""

    kind: str  # "training", "degree" or "language"
    status: str  # MET, NOT_MET or UNCLEAR
    code: str = ""
    level: str = ""
    have: str = ""  # the visitor's level of the language ("" if not spoken)


@dataclass
class Comparison:
    """The items and the overall fit (`ad_fit`)."""

    items: List[Item] = field(default_factory=list)
    fit: str = "fits"
    # The variant the visitor's work preference points to when it is not the ad's
    # ("" when it is, or when the preference is open or the ad's variant unknown).
    preferred_variant: str = ""

    @property
    def met(self) -> int:
        """How many items are met."""
        return sum(1 for item in self.items if item.status == MET)


def has_answers(answers: Dict[str, Any]) -> bool:
    """True when all three quiz answers exist (the condition for `ad_fit`)."""
    return all(
        answers.get(slot) is not None for slot in ("training", "languages", "task_preference")
    )


def _language_levels(values: Sequence[str]) -> Dict[str, str]:
    levels = {}
    for entry in values or []:
        code, _, level = str(entry).partition(":")
        if level in LEVELS:
            levels[code] = level
    return levels


def preferred_variant(task_preference: Optional[str]) -> str:
    """The variant a work preference points to: the one the rubric gives it the most
    points for ("" for `unsure`, an unknown value or a tie).
    """
    options = advice.rubric().data["task_preference"]["options"]
    points = (options.get(task_preference or "") or {}).get("points") or {}
    if not points or task_preference == "unsure":
        return ""
    best = max(points.values())
    top = [variant for variant, value in points.items() if value == best]
    return top[0] if len(top) == 1 else ""


def compare(
    requirements: Dict[str, Any], answers: Dict[str, Any], ad_variant: Optional[str] = None
) -> Comparison:
    """Checks the visitor's answers against the ad's requirements.

    Items: the training if the ad names any (met with an accepted value), the degree if
    required (met with `degree`), each language (met at the minimum level or higher).
    fits = all met (also with no items); does_not_fit = fewer than half met; partly
    otherwise. An answer the visitor left open ("weiß nicht") makes its item unclear,
    which counts as not met.

    The work counts too (docs/contracts.md): when the visitor's work preference points
    to another variant than the ad's (`ad_variant`), an ad whose requirements are all
    met fits only `partly`: a counsellor would not call a job that fits on paper but
    not in its daily work a fit. An open preference ("unsure") changes nothing.
    """
    training = list(answers.get("training") or [])
    spoken = _language_levels(answers.get("languages") or [])
    items: List[Item] = []
    accepted = list(requirements.get("training") or [])
    if accepted:
        if not training:
            items.append(Item("training", UNCLEAR))
        else:
            items.append(Item("training", MET if set(training) & set(accepted) else NOT_MET))
    if requirements.get("degree_required"):
        if not training:
            items.append(Item("degree", UNCLEAR))
        else:
            items.append(Item("degree", MET if "degree" in training else NOT_MET))
    for entry in requirements.get("languages") or []:
        code, _, level = str(entry).partition(":")
        have = spoken.get(code)
        met = have is not None and LEVELS.index(have) >= LEVELS.index(level)
        items.append(Item("language", MET if met else NOT_MET, code, level, have or ""))
    comparison = Comparison(items)
    if comparison.met == len(items):
        comparison.fit = "fits"
    elif comparison.met * 2 < len(items):
        comparison.fit = "does_not_fit"
    else:
        comparison.fit = "partly"
    preferred = preferred_variant(answers.get("task_preference"))
    if ad_variant in AD_VARIANTS and preferred and preferred != ad_variant:
        comparison.preferred_variant = preferred
        if comparison.fit == "fits":
            comparison.fit = "partly"
    assert comparison.fit in AD_FIT_VALUES
    return comparison


# -- German texts ---------------------------------------------------------------


def _join(values: Sequence[str], word: str) -> str:
    values = list(values)
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {word} " + values[-1]


def _language_words(code: str, level: str, labels: Dict[str, Dict[str, str]]) -> Tuple[str, str]:
    return labels["languages"].get(code, code), labels["levels"].get(level, level)


def describe_training(analysis: AdAnalysis, labels: Dict[str, Dict[str, str]], texts) -> str:
    """The accepted trainings in words ("eine kaufmännische Ausbildung oder Studium")."""
    values = [v for v in analysis.training if v != "degree"]
    words = []
    if analysis.generic_commercial:
        words.append(texts["training_generic"])
        values = [v for v in values if v not in knowledge().commercial_values]
    words.extend(labels["training"].get(v, v) for v in values)
    if "degree" in analysis.training:
        words.append(labels["training"]["degree"])
    return _join(words, texts["or_word"])


def _training_value(analysis: AdAnalysis, labels: Dict[str, Dict[str, str]], texts) -> str:
    """The accepted trainings after the word "Ausbildung" ("bei Bank oder Versicherung"),
    so a label that starts with it does not repeat it.
    """
    value = describe_training(analysis, labels, texts)
    word = "Ausbildung "
    return value[len(word) :] if value.startswith(word) else value


def _software_words(values: Sequence[str], texts) -> List[str]:
    """Software in words: "SAP-, DATEV- und Excel-Kenntnisse", a choice on its own
    ("DATEV- oder SAP-Kenntnisse").
    """
    names = {key: label for key, label, _ in knowledge().further.software}

    def compound(keys: Sequence[str], word: str) -> str:
        labels = [names.get(k, k) for k in keys]
        heads = [label + "-" for label in labels[:-1]]
        return texts["further"]["software"].format(names=_join(heads + labels[-1:], word))

    singles = [v for v in values if "|" not in v]
    words = [compound(singles, texts["and_word"])] if singles else []
    words += [compound(v.split("|"), texts["or_word"]) for v in values if "|" in v]
    return words


def _further_words(items: Sequence[Further], texts) -> str:
    """The points in words, in their order, separated by commas."""
    words = _software_words([i.value for i in items if i.kind == "software"], texts)
    further = texts["further"]
    for item in items:
        if item.kind == "experience":
            if item.value.isdigit():
                key = "year" if item.value == "1" else "years"
                words.append(further["experience"][key].format(years=item.value))
            else:
                words.append(further["experience"].get(item.value, further["experience"]["plain"]))
        elif item.kind == "driving_licence":
            if item.value:
                words.append(further["driving_licence_class"].format(licence_class=item.value))
            else:
                words.append(further["driving_licence"])
    return ", ".join(words)


def has_unchecked(analysis: AdAnalysis) -> bool:
    """True when the ad requires something the quiz does not ask about (not only a plus)."""
    return any(not item.optional for item in analysis.further)


def _further_text(analysis: AdAnalysis, texts, prefix: str = "") -> str:
    """The points the quiz does not ask about in one sentence ("" when there are none):
    `prefix` "analysis_" for the list of the analysis, "" for the comparison.
    """
    required = _further_words([i for i in analysis.further if not i.optional], texts)
    optional = _further_words([i for i in analysis.further if i.optional], texts)
    if required and optional:
        key = "required_and_plus"
    elif required:
        key = "required"
    elif optional:
        key = "plus_only"
    else:
        return ""
    return texts["further"][prefix + key].format(required=required, optional=optional)


def render_analysis(
    analysis: AdAnalysis, labels: Dict[str, Dict[str, str]], further: bool = True
) -> str:
    """Variant with its reason and the requirements, as one German message; with
    `further` also what the quiz does not ask about (without it when a comparison
    follows in the same turn and names it).
    """
    texts = knowledge().texts
    lines = [texts["variant_line"].format(variant=texts["variant_names"][analysis.variant])]
    if analysis.tasks:
        lines.append(texts["variant_reason"])
        lines.extend("- " + task for task in analysis.tasks)
    elif analysis.variant == "specialist" and set(analysis.training) <= set(
        knowledge().specialist_trainings
    ):
        lines.append(texts["variant_reason_training"])
    else:
        lines.append(texts["variant_reason_unclear"])
    lines.append("")
    lines.append(texts["requirements_heading"])
    if analysis.training:
        lines.append(
            "- " + texts["training_line"].format(value=_training_value(analysis, labels, texts))
        )
    else:
        lines.append("- " + texts["training_none"])
    if analysis.degree_required:
        lines.append("- " + texts["degree_line_required"])
    elif analysis.degree_alternative:
        lines.append("- " + texts["degree_line_alternative"])
    else:
        lines.append("- " + texts["degree_line_none"])
    if analysis.languages:
        words = []
        for code, level in sorted(analysis.languages.items()):
            language, level_words = _language_words(code, level, labels)
            words.append(f"{language} {texts['level_at_least'].format(level=level_words)}")
        lines.append("- " + texts["languages_line"].format(value=", ".join(words)))
    else:
        lines.append("- " + texts["languages_none"])
    unchecked = _further_text(analysis, texts, "analysis_") if further else ""
    if unchecked:
        lines.append("- " + unchecked)
    return "\n".join(lines)


def _item_name(item: Item, analysis: AdAnalysis, labels, texts) -> str:
    if item.kind == "training":
        return texts["item_training"].format(value=_training_value(analysis, labels, texts))
    if item.kind == "degree":
        return texts["item_degree"]
    language, level = _language_words(item.code, item.level, labels)
    return texts["item_language"].format(
        language=language, level=texts["level_at_least"].format(level=level)
    )


def _training_gap(analysis: AdAnalysis, texts, profile: Optional[advice.Profile]) -> str:
    """How to get the training the ad asks for: the result's own admission-aware steps
    (paths.yml) towards the ad's variant and field, else the general text.
    """
    if profile is not None:
        field_ = analysis.field
        if analysis.variant == "specialist" and not field_:
            field_ = advice.ad_field(analysis.tasks)
        found = [s.text for s in advice.steps_towards(analysis.variant, profile, field_)]
        lead_in = advice.knowledge()["lead_in"].get(field_ or "")
        if analysis.variant == "specialist" and field_ and lead_in:
            # The ad asks for the field's training: that training first ("Versicherungen
            # suchen meist Versicherungskaufleute ..."), then a step beside it.
            found = [str(lead_in)] + [t for t in found if t != lead_in]
        if found:
            return texts["gap_training_steps"].format(
                steps=" ".join(advice.plain(t) for t in found[:2])
            )
    if analysis.generic_commercial or analysis.variant != "specialist":
        return " ".join(texts["gap_training_commercial"].split())
    return " ".join(texts["gap_training_specialist"].split())


def _gap_advice(
    item: Item,
    analysis: AdAnalysis,
    labels,
    texts,
    training: Sequence[str] = (),
    profile: Optional[advice.Profile] = None,
) -> str:
    if item.status == UNCLEAR:
        return texts["gap_unclear"].format(item=_item_name(item, analysis, labels, texts))
    if profile is None:
        profile = advice.Profile.build({"training": list(training)})
    if item.kind == "training":
        return _training_gap(analysis, texts, profile)
    if item.kind == "degree":
        text = " ".join(texts["gap_degree"].split())
        # The Fachwirt as the way to a study only for someone it admits (paths.yml).
        if advice.admission("fachwirt_buero", profile) is not None:
            text += " " + " ".join(texts["gap_degree_fachwirt"].split())
        return text
    language, level = _language_words(item.code, item.level, labels)
    # The IHK exam only for someone it admits (paths.yml, domain.md: a commercial
    # training and a good foreign language) who speaks this language well already.
    admitted = advice.admission("fremdsprachenkorrespondent", profile) is not None
    speaks = item.have in LEVELS and LEVELS.index(item.have) >= LEVELS.index("good")
    exam = item.level in ("business", "native") and admitted and speaks
    if not item.have:
        key = "gap_language_new"
    else:
        key = "gap_language_business" if exam else "gap_language"
    text = " ".join(texts[key].split()).format(language=language, level=level)
    if key != "gap_language_business" and item.level in ("business", "native"):
        # The hours named are those to B2; the level asked is above it (domain.md has no
        # figure beyond B2).
        text += " " + " ".join(texts["gap_language_above_b2"].split())
    return text


def render_comparison(
    analysis: AdAnalysis,
    comparison: Comparison,
    labels: Dict[str, Dict[str, str]],
    result_variant: Optional[str] = None,
    training: Sequence[str] = (),
    profile: Optional[advice.Profile] = None,
) -> str:
    """Requirement by requirement, the overall fit and how to close each gap.

    The gaps are closed with the steps of the result (career_quiz/advice.py, the
    admission rules of paths.yml) for `profile`, the visitor's answers and details;
    without it, for the canonical `training` alone.
    """
    texts = knowledge().texts
    lines = [texts["comparison_heading"]]
    for item in comparison.items:
        name = _item_name(item, analysis, labels, texts)
        lines.append(f"- {name}: {texts['status'][item.status]}")
    verdict = comparison.fit if comparison.met or not comparison.items else "none_met"
    names = texts["variant_names"]
    if comparison.preferred_variant and comparison.met == len(comparison.items):
        verdict = "met_but_other_work"
    # What the quiz does not ask about is named, not counted: "all requirements" would
    # promise what nobody checked (visitor finding: SAP and five years of experience).
    unchecked = _further_text(analysis, texts)
    if unchecked:
        lines.append(unchecked + " " + texts["further"]["not_asked"])
    if has_unchecked(analysis) and verdict in ("fits", "met_but_other_work"):
        verdict += "_checked"
    lines.append(
        texts["fit"][verdict].format(
            met=comparison.met,
            total=len(comparison.items),
            variant=names[analysis.variant],
            preferred=names.get(comparison.preferred_variant, ""),
        )
    )
    if comparison.preferred_variant and not verdict.startswith("met_but_other_work"):
        lines.append(
            texts["other_work"].format(
                variant=names[analysis.variant], preferred=names[comparison.preferred_variant]
            )
        )
    if result_variant in names:
        if result_variant == analysis.variant:
            lines.append(texts["variant_same_as_result"].format(result=names[result_variant]))
        else:
            lines.append(
                texts["variant_vs_result"].format(
                    result=names[result_variant], variant=names[analysis.variant]
                )
            )
    gaps = [item for item in comparison.items if item.status != MET]
    if gaps:
        lines.append("")
        lines.append(texts["gaps_heading"])
        lines.extend(
            "- " + _gap_advice(item, analysis, labels, texts, training, profile) for item in gaps
        )
    return "\n".join(lines)


def text(key: str) -> str:
    """One of the job-ad check's plain texts (job_ad.yml `texts`), whitespace folded."""
    return " ".join(str(knowledge().texts[key]).split())


def fit_line(fit: str, changed: bool, unchecked: bool = False) -> str:
    """The short line after a new result for an ad compared before; `unchecked`: the ad
    requires something the quiz does not ask about (`has_unchecked`).
    """
    texts = knowledge().texts
    key = "fit_updated" if changed else "fit_kept"
    short = "fits_checked" if unchecked and fit == "fits" else fit
    return texts[key].format(fit=texts["fit_short"][short])


def analysis_from_requirements(
    requirements: Dict[str, Any],
    variant: str,
    further: Sequence[Further] = (),
    field_: Optional[str] = None,
) -> AdAnalysis:
    """An analysis rebuilt from the slots (for a comparison after the quiz); `further`
    read again from the ad's text (`further_of_ad`), which the slots do not keep.
    """
    training = [v for v in requirements.get("training") or [] if v in TRAINING_VALUES]
    commercial = knowledge().commercial_values
    return AdAnalysis(
        variant=variant if variant in AD_VARIANTS else AD_VARIANTS[0],
        variant_scores={},
        tasks=[],
        training=training,
        generic_commercial=set(commercial) <= set(training),
        degree_required=bool(requirements.get("degree_required")),
        degree_alternative="degree" in training,
        languages=_language_levels(requirements.get("languages") or []),
        further=list(further),
        field=field_,
    )


@lru_cache(maxsize=1)
def default_checker() -> JobAdChecker:
    """The checker with the project's parser and classifier, built once per process."""
    from career_quiz.lexicon import lexicon
    from career_quiz.nlp import pipeline
    from career_quiz.parsing import MessageParser
    from career_quiz.task_model import task_classifier

    classifier = task_classifier()
    model: Any = classifier.model

    def batch(texts: List[str]) -> List[Dict[str, float]]:
        classes = [str(label) for label in model.classes_]
        return [
            {label: float(p) for label, p in zip(classes, row)}
            for row in model.predict_proba(list(texts))
        ]

    probabilities = classifier.probabilities
    parser = MessageParser(pipeline(), lexicon(), probabilities)
    return JobAdChecker(parser, probabilities, task_batch=batch)
