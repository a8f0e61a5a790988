"""Personal advice after the quiz: what the visitor said, real gaps, admissible next steps.

Plain Python (no rasa_sdk). The canonical answers (the slot contract) decide the scores;
this module reads the visitor's own words for what the canonical values leave out (the
training title, the field of work, years of practice) and builds the result texts:

* `read_details(texts, answers)`: the details of the visitor's messages, as a
  JSON-able dict (the `answer_details` slot). A title counts only when its category is
  among the canonical training values, so a negated or corrected title never does.
* `gaps(variant, profile)`: what is missing against the variant's requirements
  (data/knowledge/paths.yml, from domain.md); never something the visitor has.
  `pluses(variant, profile)`: what would help there without being required.
* `steps(variant, profile)`: next steps whose admission rules the answers meet,
  or the step that leads there, or the route for career changers.
* `render_result`, `render_why`, `render_all_steps`, `render_other_variants`: the texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from career_quiz import settings
from career_quiz.contract import GERMAN, LEVELS
from career_quiz.messages import labels
from career_quiz.recommender import VARIANTS, Recommendation, Rubric, rubric

COMMERCIAL = ("office", "bank_insurance", "finance_hr_it", "commercial_other")
QUALIFIED = COMMERCIAL + ("degree",)
CRITERIA = ("training", "task_preference", "languages")
# The first result message fits a phone screen (issue 15: about 500 characters).
MAX_FIRST = 500
_WORD = r"[\wäöüß]"
# A training finished recently: "im Juni abgeschlossen", "letzten Sommer ausgelernt".
_FINISHED = re.compile(r"abgeschlossen|fertig|ausgelernt|abschluss|bestanden|prüfung|beendet")
# "vor zwei Monaten beendet", "seit drei Wochen fertig": finished this year, no practice yet.
_WEEKS_AGO = re.compile(
    rf"(?<!{_WORD})(?:vor|seit)\s+(?:\d{{1,2}}|ein|einem|einer|zwei|drei|vier|fünf|sechs|sieben"
    rf"|acht|neun|zehn|elf|ein\s+paar|einigen|wenigen)\s+(?:monaten|monat|wochen|woche)(?!{_WORD})"
)
_RECENTLY = re.compile(
    r"(?<![\wäöüß])(im|diesen|dieses|diesem|letzten|letztes|letztem|vergangenen|vergangenes)\s+"
    r"(januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember"
    r"|sommer|winter|frühjahr|herbst|jahr)(?![\wäöüß])"
)
# A number of years followed by one of these is no practice ("30 Jahre alt").
_NOT_PRACTICE = ("alt", "ausbildung", "lehre", "studium", "schule", "ausbildungszeit")
# Years spent living or learning somewhere are no practice either ("zwei Jahre in
# Mailand gelebt", "ein Jahr Au-pair in den USA", visit11 #1; "ein Jahr an einer
# Highschool in Kanada", job_ads_fresh4): a word of these within the clause.
_LIVED = re.compile(
    r"^[^,.;!?]{0,40}\b(gelebt|gewohnt|wohnte|lebte|au-?pair|aupair|auslandsjahr|"
    r"auslandsaufenthalt|austauschjahr|schüleraustausch|work and travel|high ?school|"
    r"college|sprachschule|sprachkurs|sprachreise|auslandssemester|austauschsemester)\b"
)
_BUSINESS_DEGREE = (
    "bwl",
    "betriebswirtschaft",
    "wirtschaftswissenschaft",
    "business",
    "wirtschaft",
)


@lru_cache(maxsize=1)
def knowledge() -> Dict[str, Any]:
    """paths.yml, read once per process on first use."""
    with open(settings.knowledge_dir() / "paths.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def texts() -> Dict[str, str]:
    """The `advice` templates of texts.yml."""
    with open(settings.knowledge_dir() / "texts.yml", encoding="utf-8") as handle:
        return {k: str(v) for k, v in yaml.safe_load(handle)["advice"].items()}


@lru_cache(maxsize=1)
def _training_terms() -> List[Tuple[str, str, re.Pattern]]:
    """(term, category, regex) of every literal training term, longest first, with the
    titles outside the list of recognised trainings (paths.yml `other_titles`).
    """
    with open(settings.knowledge_dir() / "ausbildungsberufe.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    entries = data["trainings"] + list(knowledge().get("other_titles") or [])
    terms = []
    for entry in entries:
        for term in entry["terms"]:
            term = str(term).lower()
            pattern = re.compile(rf"(?<!{_WORD}){re.escape(term)}n?(?!{_WORD})", re.IGNORECASE)
            terms.append((term, str(entry["category"]), pattern))
    return sorted(terms, key=lambda t: -len(t[0]))


@lru_cache(maxsize=1)
def _short_trainings() -> frozenset:
    """Terms of trainings shorter than three years or taught at a vocational school
    (ausbildungsberufe.yml `years`, `school_based`).
    """
    with open(settings.knowledge_dir() / "ausbildungsberufe.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return frozenset(
        str(term).lower()
        for entry in data["trainings"]
        if int(entry.get("years", 3)) < 3 or entry.get("school_based")
        for term in entry["terms"]
    )


@lru_cache(maxsize=1)
def _short_forms() -> Dict[str, str]:
    """Short forms of training titles ("mfa", "pdk") -> the title they stand for."""
    with open(settings.knowledge_dir() / "ausbildungsberufe.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {
        str(term).lower(): str(entry["title"])
        for entry in data["trainings"]
        for term in entry["terms"]
        if len(str(term)) <= 4 and str(term).isalpha()
    }


def preload() -> None:
    """Reads the knowledge files the details and texts need (cached per process). The
    action server calls it before it accepts requests: read on the first recommendation
    instead, they took about 0.5 s of CPU, several seconds on a busy machine, where the
    Rasa server's action time limit (5 s) cut the call off and the visitor got the
    apology.
    """
    knowledge()
    texts()
    _training_terms()
    _short_trainings()
    _short_forms()
    _title_words()


def spelled_out(title: str) -> str:
    """A training's short form written out ("MFA" -> its title); other titles as they are."""
    return _short_forms().get(title.strip().lower(), title)


# Words a training title writes in lowercase ("Kaufmann für Versicherungen und Finanzen").
_TITLE_SMALL_WORDS = frozenset(
    {"für", "im", "in", "und", "der", "die", "das", "des", "dem", "den", "zur", "zum"}
    | {"bei", "von", "vom", "mit", "als", "an", "am", "auf", "oder", "of"}
)


@lru_cache(maxsize=1)
def _title_words() -> Dict[str, str]:
    """Words of the training titles as the titles write them ("it" -> "IT")."""
    with open(settings.knowledge_dir() / "ausbildungsberufe.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    words: Dict[str, str] = {}
    for entry in data["trainings"]:
        for word in re.split(r"[\s/()\-]+", str(entry["title"])):
            if word and not word.islower():
                words.setdefault(word.lower(), word)
    return words


def written_title(title: str) -> str:
    """A training title as a title is written: "kauffrau für büromanagement" ->
    "Kauffrau für Büromanagement", "it-systemkauffrau" -> "IT-Systemkauffrau". Words the
    visitor wrote with a capital stay as written; a title's small words stay small.
    """

    def part(word: str, first: bool) -> str:
        if not word.islower():
            return word
        if word in _title_words():
            return _title_words()[word]
        if word in _TITLE_SMALL_WORDS and not first:
            return word
        return word[:1].upper() + word[1:]

    words = title.split(" ")
    return " ".join(
        "-".join(part(p, first=i == 0 and j == 0) for j, p in enumerate(word.split("-")))
        for i, word in enumerate(words)
    )


def _t(key: str, **values: Any) -> str:
    return texts()[key].format(**values)


def join(parts: Sequence[str]) -> str:
    """German list: "a, b und c"; "a, b sowie c" when an earlier part has an "und" of its
    own ("Ihre Freude am Planen und Koordinieren von Projekten sowie Ihre Sprachkenntnisse").
    """
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    word = " sowie " if any(" und " in p for p in parts[:-1]) else " und "
    return ", ".join(parts[:-1]) + word + parts[-1]


# -- reading the visitor's words ---------------------------------------------------


def _words(text: str) -> List[str]:
    return re.findall(r"[\wäöüß]+(?:-[\wäöüß]+)*", text.lower())


@lru_cache(maxsize=1)
def _foreign_cues() -> Tuple[str, ...]:
    """paths.yml `foreign_cues`, each also as an origin ("in Syrien" -> "aus Syrien",
    "im Iran" -> "aus dem Iran"): "Ich bin Buchhalter aus Syrien" names a training
    gained abroad (visitor finding, visit6 #4).
    """
    cues: List[str] = []
    for cue in map(str, knowledge()["foreign_cues"]):
        cues.append(cue)
        if cue.startswith("in der "):
            cues.append("aus " + cue[7:])  # "komme aus Ukraine" (visit13 F4)
        if cue.startswith("in "):
            cues.append("aus " + cue[3:])
        elif cue.startswith("im "):
            cues.append("aus dem " + cue[3:])
    return tuple(cues)


@lru_cache(maxsize=1)
def _other_titles() -> frozenset:
    """Terms of paths.yml `other_titles`: jobs that are no recognised training."""
    return frozenset(
        str(t).lower() for entry in knowledge().get("other_titles") or [] for t in entry["terms"]
    )


def _titles(texts_: Sequence[str], training: Sequence[str]) -> List[str]:
    """Training titles as the visitor wrote them (nominative), whose category counts."""
    found: List[str] = []
    seen = set()
    known = {term for term, _, _ in _training_terms()}
    for text in texts_:
        taken: List[Tuple[int, int]] = []
        for term, category, pattern in _training_terms():
            if category not in training:
                continue
            for match in pattern.finditer(text):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue
                taken.append((match.start(), match.end()))
                written = match.group(0)
                if len(written) > len(term):  # "Steuerfachangestellten" -> nominative
                    written = written[: len(term)]
                elif written.lower().endswith("en") and written.lower()[:-1] in known:
                    written = written[:-1]
                written = written_title(written)  # "kauffrau für büromanagement"
                if len(term) <= 4 and written.lower() == term:
                    written = spelled_out(written)  # MFA -> Medizinische/r Fachangestellte/r
                if written.lower() not in seen:
                    seen.add(written.lower())
                    found.append(written)
    return found


def title_category(title: str) -> Optional[str]:
    """The training category of a title as `read_details` named it ("Bankkauffrau" ->
    "bank_insurance"), or None.
    """
    for _, category, pattern in _training_terms():
        if pattern.search(title):
            return category
    return None


# A language named by its two-letter code with a level ("ES B2, IT A2"): no field of
# work ("IT" is Italian here, not the internal IT).
_LANGUAGE_CODE_LEVEL = re.compile(r"\b[A-Z]{2}\s*[:=-]?\s*[ABC][12]\b")


def _without_titles(text: str) -> str:
    """`text` without training titles and language codes with a level: what is left
    names the work.
    """
    text = _LANGUAGE_CODE_LEVEL.sub(" ", text)
    for term, _, pattern in _training_terms():
        if term in text.lower():
            text = pattern.sub(" ", text)
    return text


def _groups(texts_: Sequence[str], titles: Sequence[str]) -> List[str]:
    """Training groups (bank, tax, it, health ...) of the titles and the training answer.

    A title of a group's excluding group (paths.yml `group_excludes`: a Pflegehelferin
    is no `health` title) does not count for it, and then neither does the free text.
    """
    data = knowledge()
    excludes = data.get("group_excludes") or {}

    def matches(group: str, text: str) -> bool:
        return any(cue in text for cue in data["groups"][group])

    # "Pflege meiner Mutter" is no training in care.
    alltext = _without_family_care(" ".join(t.lower() for t in texts_))
    groups = []
    for group, cues in data["groups"].items():
        excluded = excludes.get(group)
        kept = [t.lower() for t in titles if not (excluded and matches(excluded, t.lower()))]
        words = " ".join(kept)
        free_text = group == "health" and not (excluded and len(kept) < len(titles) and not kept)
        for cue in cues:
            in_title = cue in words
            # Whole words only in the free text ("bank" is no cue inside "Datenbank").
            in_text = free_text and re.search(rf"(?<!{_WORD}){re.escape(cue)}(?!{_WORD})", alltext)
            if in_title or in_text:
                groups.append(group)
                break
    return groups


def _fields(texts_: Sequence[str]) -> List[str]:
    """Fields of work the visitor described, most named first."""
    return list(_field_counts(texts_))


def _button_titles() -> List[set]:
    """The words of the training and work answers' labels ("Fachaufgaben (Zahlen, …)",
    "Ausbildung in Finanzen, Personal oder IT"): what a typed button title is made of.
    """
    names = list(labels()["task"].values()) + list(labels()["training"].values())
    return [set(_words(str(label))) for label in names]


def _field_words(texts_: Sequence[str], strong: bool = False) -> List[str]:
    """The words that may name a field: not after a negation ("nicht ins Personal"), not
    a typed button title ("Fachaufgaben: Zahlen, Personal, IT, Verträge"), and with
    `strong` not the generic words of paths.yml `weak_cues` ("Zahlen").
    """
    data = knowledge()
    negations = set(data.get("field_negations") or [])
    weak = set(data.get("weak_cues") or []) if strong else set()
    titles = _button_titles()
    out: List[str] = []
    for text in texts_:
        words = _words(_without_family_care(text))  # "Pflege meiner Mutter" is no field
        if len(words) >= 3 and any(set(words) <= title for title in titles):
            continue  # a button title typed ("Finanzen, Personal oder IT") names no field
        out += [
            w
            for i, w in enumerate(words)
            if w not in weak and not negations & set(words[max(0, i - 2) : i])
        ]
    return out


def _field_counts(texts_: Sequence[str], strong: bool = False) -> Dict[str, int]:
    """Field -> how often the visitor's words name it, most named first."""
    counts: Dict[str, int] = {}
    words = _field_words(texts_, strong)
    for name, spec in knowledge()["fields"].items():
        cues = set(spec["cues"])
        n = sum(1 for w in words if w in cues or any(w.startswith(c) and len(c) > 6 for c in cues))
        if n:
            counts[name] = n
    order = list(knowledge()["fields"])
    return {f: counts[f] for f in sorted(counts, key=lambda f: (-counts[f], order.index(f)))}


def _without_family_care(text: str) -> str:
    """`text` (lowercased) without caring for a relative ("Pflege meiner Mutter")."""
    return re.sub(str(knowledge().get("family_care") or "(?!)"), " ", text.lower())


def _family_time(words: str) -> bool:
    """True when `words` (those after a number of years) open time for the family."""
    return any(
        re.match(rf"{re.escape(cue)}(?!{_WORD})", words.strip(",. "))
        for cue in knowledge().get("family_time") or []
    )


def _years(texts_: Sequence[str]) -> Tuple[Optional[int], List[str]]:
    """Years of practice the visitor named, and the fields named in the messages that
    say them (where the practice was). None when the answers say nothing about it.

    "seit acht Jahren", "10 Jahre im Büro", "seit 2019", "2003, seitdem im Sekretariat"
    and "seit letztem Jahr" count; "vor zwei Jahren", "30 Jahre alt" and "drei Jahre
    Ausbildung" do not. A training just finished ("gerade abgeschlossen") is 0 years, and
    so are the years since it ended when the visitor has had no job since ("IHK-Prüfung
    im Juli 2025 bestanden, noch keine feste Stelle"; paths.yml `no_job_cues`).
    """
    data = knowledge()
    numbers = data["number_words"]
    alternatives = "|".join(sorted(map(re.escape, numbers), key=len, reverse=True))
    pattern = re.compile(
        rf"(?<!{_WORD})(\d{{1,2}}|{alternatives})(?:\s*\+)?\s+(?:jahre|jahren|jahr)(?!{_WORD})"
    )
    calendar = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
    this_year = date.today().year
    best: Optional[int] = None
    where: List[str] = []
    long_ago = False
    no_job = [str(c) for c in data.get("no_job_cues") or []]
    jobless = any(cue in text.lower() for text in texts_ for cue in no_job)

    def note(value: int, text: str) -> None:
        nonlocal best
        best = value if best is None else max(best, value)
        where.extend(f for f in _fields([text]) if f not in where)

    for text in texts_:
        lower = text.lower()
        for match in pattern.finditer(lower):
            before = lower[max(0, match.start() - 30) : match.start()].split()
            after = lower[match.end() : match.end() + 30].split()
            if before and before[-1] == "vor":
                # "ausgelernt vor 2 jahren", "vor zwei Jahren fertig geworden": the years
                # since the training ended are practice (visit12 #6); "vor zwei Jahren
                # angefangen" are not.
                window = " ".join(before[-4:] + after[:3])
                if not _FINISHED.search(window):
                    continue
                if jobless:
                    note(0, text)
                    continue
            elif after and after[0].strip(",.") in _NOT_PRACTICE:
                continue
            if _family_time(" ".join(after[:3])):
                continue  # "10 Jahre Elternzeit", "12 Jahre zu Hause mit den Kindern"
            if _LIVED.search(lower[match.end() :]):
                continue  # "zwei Jahre in Mailand gelebt", "ein Jahr Au-pair"
            if before and before[-1].startswith("dauer"):
                continue
            token = match.group(1)
            note(int(token) if token.isdigit() else int(numbers[token]), text)
        for match in calendar.finditer(lower):
            since = lower[max(0, match.start() - 8) : match.start()]
            later = lower[match.end() : match.end() + 40]
            if "seit" in since or "seitdem" in later or "seither" in later:
                note(max(this_year - int(match.group(1)), 0), text)
        if "seit letztem jahr" in lower or "seit dem letzten jahr" in lower:
            note(1, text)
        for match in calendar.finditer(lower):  # "Abschluss 2025": finished recently
            window = lower[max(0, match.start() - 25) : match.end() + 25]
            age = this_year - int(match.group(1))
            if 0 <= age <= 2 and _FINISHED.search(window) and "seit" not in window:
                note(0 if jobless else age, text)
            elif age > 2 and _FINISHED.search(window):
                long_ago = True  # "hab 2015 ausgelernt": not just finished
        for match in _RECENTLY.finditer(lower):  # "letzten Sommer ausgelernt"
            window = lower[max(0, match.start() - 25) : match.end() + 25]
            if _FINISHED.search(window):
                last = match.group(1).startswith(("letzt", "verg"))
                last_year = match.group(2) == "jahr" and last
                note(1 if last_year and not jobless else 0, text)
    if best is None and any(
        _FINISHED.search(text.lower()) and _WEEKS_AGO.search(text.lower()) for text in texts_
    ):
        best = 0
    if best is None and not long_ago:
        fresh = [str(c) for c in data["fresh_cues"]]
        if any(cue in text.lower() for text in texts_ for cue in fresh):
            best = 0
    return best, where


def _has_word(text: str, cue: str) -> bool:
    return bool(re.search(rf"(?<!{_WORD}){re.escape(cue)}(?!{_WORD})", text))


def _names_office_work(text: str) -> bool:
    """True when a clause of `text` says the visitor works in an office: not one that
    asks or wishes ("bürojob möglich?", "will ins büro", visit12 #1: a cook and a
    hairdresser were offered the Externenprüfung for office years they do not have).
    """
    data = knowledge()
    office = [str(c) for c in data["office_practice_cues"]]
    wishes = set(map(str, data["office_wish_cues"]))
    for sentence in re.findall(r"[^.!?]+[.!?]*", text.lower()):
        if sentence.rstrip().endswith("?"):
            continue
        for clause in re.split(r"[,;:–-]|\baber\b|\bund\b", sentence):
            if any(c in clause for c in office) and not wishes & set(re.findall(r"\w+", clause)):
                return True
    return False


def read_details(texts_: Sequence[str], answers: Dict[str, Any]) -> Dict[str, Any]:
    """The details of the visitor's messages that the canonical answers leave out.

    Args:
        texts_: the visitor's typed messages (buttons left out).
        answers: the canonical answers (slot name -> value).

    Returns:
        {"training_titles", "groups", "fields", "specialist_field", "practice_years",
        "business_degree"}, JSON-able (the `answer_details` slot).
    """
    training = list(answers.get("training") or [])
    texts_ = [t for t in texts_ if t and not t.startswith("/")]
    titles = _titles(texts_, training)
    # The fields of work come from what the visitor does, not from a title's words
    # ("Versicherungskauffrau" who works in payments is in the bank field).
    untitled = [_without_titles(t) for t in texts_]
    counts = _field_counts(untitled)
    fields = list(counts)
    groups = _groups(texts_, titles)
    data = knowledge()
    specialist = [f for f in fields if f in data["specialist_fields"]]
    from_training = [data["group_fields"][g] for g in groups if g in data["group_fields"]]
    top = [f for f in specialist if counts[f] == counts[specialist[0]]] if specialist else []
    strong = [f for f in _field_counts(untitled, strong=True) if f in data["specialist_fields"]]
    if specialist and from_training and from_training[0] in specialist:
        sub = from_training[0]  # the training's field, when the visitor also names it
    elif from_training and not strong:
        sub = from_training[0]  # "Zahlen" says less about the field than "Bankkauffrau"
    elif len(top) > 1:
        sub = "unsure"  # "Zahlen oder Personal": two fields named alike, no choice made
    elif specialist:
        sub = specialist[0]
    elif from_training:
        sub = from_training[0]
    else:
        sub = "unsure"
    alltext = " ".join(t.lower() for t in texts_)
    years, practice_fields = _years(untitled)
    for text, plain_text in zip(texts_, untitled):
        # "Bankkauffrau seit acht Jahren": the practice was in the training's field.
        if _years([plain_text])[0]:
            for group in _groups([text], _titles([text], training)):
                field_ = data["group_fields"].get(group)
                if field_ and field_ not in practice_fields:
                    practice_fields.append(field_)
    # "seit 6 Jahren im Büro einer Spedition": years of office work (Externenprüfung).
    office_practice = any(_years([plain])[0] and _names_office_work(plain) for plain in untitled)
    # "seit 12 Jahren im Einzelhandel": years placed outside every field, which open no
    # field's course (visit12 #2: a retail worker was "zugelassen nach fünf Jahren").
    elsewhere = [str(c) for c in data["practice_elsewhere_cues"]]
    practice_elsewhere = not practice_fields and any(
        _years([text])[0] and any(_has_word(text.lower(), c) for c in elsewhere) for text in texts_
    )
    if titles and all(t.lower() in _short_trainings() for t in titles):
        groups.append("short_training")  # Verkäufer/in: two years, not three
    school = [str(c) for c in data["school_cues"]]
    school_leaver = (
        training == ["none"]
        and not years
        and any(re.search(rf"(?<!{_WORD}){re.escape(c)}(?!{_WORD})", alltext) for c in school)
    )
    return {
        "training_titles": titles,
        "groups": groups,
        "fields": fields,
        "specialist_field": sub,
        "practice_years": years,
        "practice_fields": practice_fields,
        "office_practice": office_practice,
        "practice_elsewhere": practice_elsewhere,
        "business_degree": "degree" in training
        and any(re.search(rf"(?<!{_WORD}){cue}", alltext) for cue in _BUSINESS_DEGREE),
        "school_leaver": school_leaver,
        "abitur": any(
            re.search(rf"(?<!{_WORD}){re.escape(str(c))}(?!{_WORD})", alltext)
            for c in data["abitur_cues"]
        ),
        # A vocational training gained abroad (a study abroad gets no Anerkennung).
        "foreign_training": bool(set(training) - {"degree", "none"})
        and any(c in alltext for c in _foreign_cues()),
        # A degree gained abroad: a Zeugnisbewertung (visit13 F4).
        "foreign_degree": "degree" in training and any(c in alltext for c in _foreign_cues()),
        # Back after a family break (visit13 F9: the result named neither the counselling
        # for returners nor the voucher).
        "returner": any(
            re.search(rf"(?<!{_WORD}){re.escape(str(c))}", alltext)
            for c in data.get("returner_cues") or []
        ),
    }


# -- the profile ------------------------------------------------------------------------


@dataclass
class Profile:
    """Canonical answers plus the details of the visitor's own words."""

    training: List[str]
    languages: List[str]
    task: Optional[str]
    titles: List[str] = field(default_factory=list)
    groups: List[str] = field(default_factory=list)
    fields: List[str] = field(default_factory=list)
    specialist_field: str = "unsure"
    years: Optional[int] = None
    practice_fields: List[str] = field(default_factory=list)
    office_practice: bool = False
    # The years were said with a workplace outside every field ("im Einzelhandel").
    practice_elsewhere: bool = False
    business_degree: bool = False
    school_leaver: bool = False
    foreign_training: bool = False
    foreign_degree: bool = False
    returner: bool = False
    # A study given up (answer_details `training_dropped` names "degree").
    dropped_study: bool = False
    # Abitur or Fachhochschulreife named: an apprenticeship can be shortened.
    abitur: bool = False

    @classmethod
    def build(cls, answers: Dict[str, Any], details: Optional[Dict[str, Any]] = None) -> Profile:
        """From canonical answers and `read_details`' dict (or None)."""
        details = details if isinstance(details, dict) else {}
        years = details.get("practice_years")
        return cls(
            training=list(answers.get("training") or []),
            languages=list(answers.get("languages") or []),
            task=answers.get("task_preference"),
            titles=[str(t) for t in details.get("training_titles") or []],
            groups=[str(g) for g in details.get("groups") or []],
            fields=[str(f) for f in details.get("fields") or []],
            specialist_field=str(details.get("specialist_field") or "unsure"),
            years=int(years) if isinstance(years, (int, float)) else None,
            practice_fields=[str(f) for f in details.get("practice_fields") or []],
            office_practice=bool(details.get("office_practice")),
            practice_elsewhere=bool(details.get("practice_elsewhere")),
            business_degree=bool(details.get("business_degree")),
            school_leaver=bool(details.get("school_leaver")),
            foreign_training=bool(details.get("foreign_training")),
            foreign_degree=bool(details.get("foreign_degree")),
            returner=bool(details.get("returner")),
            dropped_study="degree" in (details.get("training_dropped") or {}),
            abitur=bool(details.get("abitur")),
        )

    def level(self, code: str) -> int:
        """Level index of a foreign language, -1 when not spoken."""
        for entry in self.languages:
            c, _, level = entry.partition(":")
            if c == code and level in LEVELS:
                return LEVELS.index(level)
        return -1

    def foreign(self) -> List[Tuple[str, int]]:
        """(code, level index) of every foreign language, strongest first."""
        out = []
        for entry in self.languages:
            code, _, level = entry.partition(":")
            if code != GERMAN and level in LEVELS:
                out.append((code, LEVELS.index(level)))
        return sorted(out, key=lambda x: -x[1])

    @property
    def german_basic(self) -> bool:
        """A non-native speaker whose German is at A1-A2."""
        return f"{GERMAN}:basic" in self.languages

    @property
    def changer(self) -> bool:
        """No commercial training and no degree: a career changer."""
        return not set(self.training) & set(QUALIFIED)

    def candidate_fields(self) -> List[str]:
        """The specialist fields the visitor named, most named first."""
        return [f for f in self.fields if f in knowledge()["specialist_fields"]]


def language_words(languages: Sequence[str]) -> str:
    """Languages with levels in words, strongest first ("Polnisch als Muttersprache")."""
    names = labels()["languages"]
    entries = []
    for entry in languages:
        code, _, level = entry.partition(":")
        if level in LEVELS:
            entries.append(
                (LEVELS.index(level), _t(f"level_{level}", language=names.get(code, code)))
            )
    return ", ".join(text for _, text in sorted(entries, key=lambda e: -e[0]))


# -- gaps ------------------------------------------------------------------------------


def _specialist_training_ok(spec: Dict[str, Any], profile: Profile) -> bool:
    groups = set(profile.groups)
    if groups & set(spec.get("group_any", [])):
        return True
    known = groups & {"bank", "insurance", "tax", "hr", "it"}
    if spec.get("group_any") and (known or "training_any" not in spec):
        return False  # a title of another field, or a field that needs its own title
    return bool(set(profile.training) & set(spec.get("training_any", [])))


def gaps(variant: str, profile: Profile) -> List[str]:
    """What the visitor lacks for `variant` (domain.md's requirements); [] when nothing."""
    req = knowledge()["requirements"][variant]
    missing = []
    if variant == "specialist":
        specs = req["field_training"]
        spec = specs[profile.specialist_field]
        candidates = profile.candidate_fields() if profile.specialist_field == "unsure" else []
        if candidates:
            # "Buchhaltung oder Personal": the training need match one of the fields named.
            if not any(_specialist_training_ok(specs[f], profile) for f in candidates):
                missing.append(_field_gap(spec, profile))
        elif not _specialist_training_ok(spec, profile):
            missing.append(_field_gap(spec, profile))
        return missing
    if not set(profile.training) & set(req["training_any"]):
        trained = _trained_elsewhere(profile) and "training_gap_trained" in req
        missing.append(req["training_gap_trained" if trained else "training_gap"])
    if "english_min" in req and profile.level("en") < LEVELS.index(req["english_min"]):
        missing.append(req["english_gap"])
    return missing


def pluses(variant: str, profile: Profile) -> List[str]:
    """What would help for `variant` without being required (domain.md: "welcome",
    "von Vorteil"); named as an advantage, never as a gap. [] when nothing.
    """
    req = knowledge()["requirements"][variant]
    out = []
    if "plus_english" in req and profile.level("en") < LEVELS.index(req["plus_english_min"]):
        out.append(str(req["plus_english"]))
    english_ok = "english_min" not in req or profile.level("en") >= LEVELS.index(req["english_min"])
    others = [c for c, _ in profile.foreign() if c != "en"]
    if "plus_second_language" in req and english_ok and not others:
        # On top of English [domain.md, Variant A, "Languages"]: named once English is met.
        out.append(str(req["plus_second_language"]))
    return out


def _field_gap(spec: Dict[str, Any], profile: Profile) -> str:
    """The field's gap; a graduate has an "Abschluss" already, so the field's training;
    someone with a non-commercial training lacks the commercial qualification.
    """
    if "degree" in profile.training and "gap_degree" in spec:
        return str(spec["gap_degree"])
    if _trained_elsewhere(profile) and "gap_trained" in spec:
        return str(spec["gap_trained"])
    return str(spec["gap"])


def _trained_elsewhere(profile: Profile) -> bool:
    """True for a visitor whose only training is non-commercial (an MFA, a hairdresser):
    "Dafür brauchen Sie noch: eine kaufmännische Ausbildung" read to them as if they
    had none (job_ads_fresh4).
    """
    return "other" in profile.training and not set(profile.training) - {"other", "none"}


def gap_text(
    variant: str, profile: Profile, rec: Optional[Recommendation] = None, daily: bool = True
) -> str:
    """The gaps as a sentence, or the difference in daily work when nothing is missing.

    With `rec`, a training that scores low for the variant is named as untypical there
    (not "alles mit" beside 9 points); `daily` False leaves the daily work out (a text
    that describes the variant already).
    """
    missing = gaps(variant, profile)
    extra = pluses(variant, profile)
    # An advantage is no gap: "Ein Plus wäre …" after the gaps or after "alles mit".
    plus = " " + _t("pluses", pluses=_t("gaps_joiner").join(extra)) if extra else ""
    if missing:
        # Items with commas of their own are kept apart ("…, am besten …; außerdem …").
        text = _t("gaps", gaps=_t("gaps_joiner").join(missing))
        if variant == "specialist" and profile.business_degree and "degree" in profile.training:
            spec = knowledge()["requirements"][variant]["field_training"][profile.specialist_field]
            if "note_business_degree" in spec:
                text += " " + str(spec["note_business_degree"])  # what is open to them
        return text + plus
    req = knowledge()["requirements"][variant]
    text = _t("no_gaps")
    typical_any = set(req.get("typical_any") or ())
    if (
        rec is not None
        and profile.training
        and "typical" in req
        and not (typical_any & set(profile.training))
    ):
        factor = next((f for f in rec.factors if f.name == "training"), None)
        share = float(rubric().data["strength_share"])
        if factor and factor.points[variant] < share * factor.max_points[variant]:
            text = _t("no_gaps_untypical", typical=req["typical"])
    text += plus
    return f"{text} {req['daily']}" if daily else text


# -- next steps ----------------------------------------------------------------------


@dataclass
class Step:
    """One next step: its text and, for a further-training path, its id."""

    text: str
    path: Optional[str] = None
    conditional: bool = False  # admitted once the named practice is done


def _route_state(
    route: Dict[str, Any], profile: Profile, waiting: Optional[List[int]] = None
) -> Optional[Tuple[bool, int]]:
    """None when the route does not hold; else (met now, years it needs).

    A route that holds but for the years the visitor named is not suggested; the years
    it needs go to `waiting` (the step before it is to gain practice).
    """
    training = set(profile.training)
    has_training_condition = False
    if "training_any" in route:
        has_training_condition = True
        if not training & set(route["training_any"]):
            return None
    if "group_any" in route:
        has_training_condition = True
        if not set(profile.groups) & set(route["group_any"]):
            return None
    if route.get("degree_field"):
        has_training_condition = True
        if not profile.business_degree:
            return None
    if set(profile.groups) & set(route.get("group_none", [])):
        return None
    years = int(route.get("years", 0))
    fields_ = set(route.get("field_any") or ())
    if (
        has_training_condition
        and fields_
        and profile.years
        and not fields_ & set(profile.practice_fields)
    ):
        return None  # years named, but not in the field the course asks for

    if years and not has_training_condition:
        if (
            not profile.practice_fields
            and not profile.practice_elsewhere
            and set(profile.training) & set(COMMERCIAL)
        ):
            # Years named after a commercial training, not where: admitted once that
            # much of the practice is in the field (the text says so).
            if profile.years is not None and profile.years >= years:
                return False, years
            return None
        if not set(profile.practice_fields) & set(route.get("field_any", [])):
            return None  # practice only: in the field, where the visitor said the years
    if not years:
        return True, 0
    if profile.years is not None and profile.years >= years:
        return True, years
    if not has_training_condition:
        return None  # practice only: the years must be named
    if profile.years is not None:
        if waiting is not None:
            waiting.append(years - profile.years)
        return None  # too little practice so far
    return False, years  # no figure named: admitted after that much practice


def admission(
    path_id: str, profile: Profile, waiting: Optional[List[int]] = None
) -> Optional[Tuple[bool, int]]:
    """The best route of a path for the profile: (met now, years needed), or None.

    `waiting` receives the years still missing on routes that need only more practice.
    """
    best = _best_route(path_id, profile, waiting)
    return best[0] if best else None


def _best_route(
    path_id: str, profile: Profile, waiting: Optional[List[int]] = None
) -> Optional[Tuple[Tuple[bool, int], Dict[str, Any]]]:
    """`admission`'s state and the route it comes from."""
    path = knowledge()["paths"][path_id]
    if "language_min" in path:
        best = profile.foreign()
        if not best or best[0][1] < LEVELS.index(path["language_min"]):
            return None
    pairs = []
    for route in path["routes"]:
        state = _route_state(route, profile, waiting)
        if state:
            pairs.append((state, route))
    if not pairs:
        return None
    return sorted(pairs, key=lambda p: (not p[0][0], p[0][1]))[0]


def _practice(state: Tuple[bool, int], only: bool = False, degree: bool = False) -> str:
    """How the practice a route needs is said; `degree`: the route admits with a study."""
    met, years = state
    words = knowledge()["practice"]
    if not years:
        return ""
    if met:
        return str(words["met"])
    word = knowledge()["year_words"].get(years, str(years))
    if only:
        return str(words["only"]).format(years=word)
    suffix = "_degree" if degree else ""
    if years == 1:
        return str(words["one" + suffix])
    return str(words["many" + suffix]).format(years=word)


def _path_step(
    path_id: str, profile: Profile, waiting: List[int], variant: str = ""
) -> Optional[Step]:
    best = _best_route(path_id, profile, waiting)
    if best is None:
        return None
    state, route = best
    only = not {"training_any", "group_any", "degree_field"} & set(route)
    # A degree holder is admitted "nach Ihrem Studium", not "nach Ihrer Ausbildung".
    degree = bool(route.get("degree_field")) or route.get("training_any") == ["degree"]
    path = knowledge()["paths"][path_id]
    names = labels()["languages"]
    foreign = profile.foreign()
    language = names.get(foreign[0][0], foreign[0][0]) if foreign else ""
    if foreign and profile.level("en") >= LEVELS.index("good"):
        language = names["en"]
    template = (path.get("variant_text") or {}).get(variant, path["text"])
    text = str(template).format(practice=_practice(state, only, degree), language=language)
    return Step(text, path_id, conditional=not state[0])


def _relevant_fields(variant: str, profile: Profile) -> List[str]:
    if variant == "specialist":
        specialist = [f for f in profile.fields if f in knowledge()["specialist_fields"]]
        trained = [
            knowledge()["group_fields"][g]
            for g in profile.groups
            if g in knowledge()["group_fields"]
        ]
        health = [f for f in profile.fields if f == "health_billing"]
        # "Buchhaltung und Lohn" (no choice made): every field named counts.
        named = specialist if profile.specialist_field == "unsure" else specialist[:1]
        return list(dict.fromkeys([profile.specialist_field] + trained + named + health))
    return [f for f in profile.fields if f == "health_billing"]


def steps(variant: str, profile: Profile) -> List[Step]:
    """Every next step for `variant`, the most useful first; only admissible paths."""
    data = knowledge()
    fields = _relevant_fields(variant, profile)
    field_steps: List[Step] = []
    general: List[Step] = []
    waiting: List[int] = []
    # Who examines the path behind each waiting time ("der IHK", "der Steuerberaterkammer").
    chambers: Dict[int, str] = {}
    for path_id, path in data["paths"].items():
        if variant not in path["variants"]:
            continue
        if path.get("fields") and not set(path["fields"]) & set(fields):
            continue
        before = len(waiting)
        step = _path_step(path_id, profile, waiting, variant)
        for years in waiting[before:]:
            chambers.setdefault(years, str(path.get("chamber", data["default_chamber"])))
        if step:
            (field_steps if path.get("fields") else general).append(step)
    order = {f: i for i, f in enumerate(fields)}
    unsure = profile.specialist_field == "unsure"
    field_steps.sort(
        key=lambda s: (
            unsure and s.conditional,  # no field chosen: a course open now comes first
            min(order.get(f, 99) for f in data["paths"][s.path or ""]["fields"]),
        )
    )
    out: List[Step] = []
    if profile.school_leaver:
        # No work yet: a regular apprenticeship (or a study), no Umschulung [63, 74, 85].
        sub = profile.specialist_field if variant == "specialist" else ""
        lead = data["lead_in"].get(sub) if sub and sub != "unsure" else None
        first = str(lead or data["school_leaver"][variant])
        if profile.abitur and not lead:
            first += " " + str(data["school_leaver"]["abitur"])
        school = [Step(first), Step(str(data["school_leaver"]["advice"])), Step(data["always"])]
        return _german_first(profile, school)
    if profile.changer:
        health = bool(set(data["health_groups"]) & set(profile.groups)) or (
            "health_billing" in profile.fields
        )
        if (
            profile.office_practice
            and (profile.years or 0) >= float(data["externen_years"])
            and not health
        ):
            # "keine Ausbildung, seit 6 Jahren im Büro": the exam without the two years
            # of an Umschulung (visitor finding, visit6).
            out.append(Step(data["changer"]["externen"]))
        elif profile.dropped_study and profile.office_practice and not health:
            # A study given up, some office work: the IHK may admit to the exam before
            # the 4.5 years when the competence is shown (visitor finding, visit6 #13).
            out.append(Step(data["changer"]["externen_dropout"]))
        out.append(Step(data["changer"]["umschulung_health" if health else "umschulung_office"]))
        out.append(Step(data["changer"]["gutschein"]))
    elif variant == "specialist":
        covered = {
            f
            for s in field_steps
            for f in data["paths"][s.path or ""]["fields"]
            if s.path not in ("lohn_gehalt",)
        }
        sub = profile.specialist_field
        if sub not in covered and sub in data["lead_in"] and gaps("specialist", profile):
            out.append(Step(data["lead_in"][sub]))
        elif sub == "unsure" and not field_steps:
            # The button "Bank oder Versicherung" names no title: both fields' courses
            # with their own admission, not "choose a field" (visit8 #14).
            banked = "bank_insurance" in profile.training and not profile.candidate_fields()
            out.append(Step(data["lead_in"]["bank_insurance" if banked else "unsure"]))
        elif not field_steps and not waiting and sub in data["practice_in_field"]:
            # Admitted to nothing yet: the practice that opens the field's course.
            out.append(Step(data["practice_in_field"][sub]))
    if waiting and not field_steps:
        shortest = min(waiting)
        missing = max(shortest, 1)
        word = data["year_words"].get(missing, str(missing))
        key = "practice_first_one" if missing == 1 else "practice_first"
        out.insert(0, Step(str(data[key]).format(years=word, chamber=chambers[shortest])))
    if profile.changer:
        # A course the career changer is admitted to now comes before a two-year
        # Umschulung (visit9 #12: an MFA read the Umschulung first and the Fachwirt im
        # Gesundheits- und Sozialwesen she is admitted to last).
        ready = [s for s in field_steps if not s.conditional]
        result = ready + out + [s for s in field_steps if s.conditional] + general
    else:
        result = field_steps + out + general
    if profile.foreign_training:
        result.insert(min(1, len(result)), Step(str(data["foreign_training"])))
    elif profile.foreign_degree:
        result.insert(min(1, len(result)), Step(str(data["foreign_degree"])))
    if profile.returner:
        result.insert(min(1, len(result)), Step(str(data["returner"])))
    result.append(Step(data["always"]))
    return _german_first(profile, result)


def _german_first(profile: Profile, steps_: List[Step]) -> List[Step]:
    """German at A1-A2 (`de:basic`) comes before every course (visit7 #6)."""
    if profile.german_basic:
        return [Step(str(knowledge()["german_basic"]))] + steps_
    return steps_


# -- texts -----------------------------------------------------------------------------


def criterion_points(rec: Recommendation, variant: str) -> Dict[str, int]:
    """Each criterion's share of the variant's total, on the 0-100 scale; they sum to it."""
    best = sum(f.max_points[variant] for f in rec.factors)
    target = rec.scores[variant]
    if not best:
        return {f.name: 0 for f in rec.factors}
    exact = {f.name: 100 * f.points[variant] / best for f in rec.factors}
    floors = {k: int(v) for k, v in exact.items()}
    rest = target - sum(floors.values())
    for name in sorted(exact, key=lambda k: -(exact[k] - floors[k]))[: max(rest, 0)]:
        floors[name] += 1
    return floors


def _reason_candidates(rec: Recommendation, profile: Profile) -> List[Tuple[int, str, str]]:
    """(points for the best variant, personal reason) of every answer part that counts."""
    points = criterion_points(rec, rec.variant)
    share = float(rubric().data["strength_share"])
    strong = {
        f.name
        for f in rec.factors
        if f.max_points[rec.variant] and f.points[rec.variant] >= share * f.max_points[rec.variant]
    }
    reasons: List[Tuple[int, str, str]] = []
    training_text = training_words(profile)
    if training_text and points.get("training", 0) > 0 and not profile.changer:
        reasons.append((points["training"], training_text, "training"))
    if profile.task and profile.task != "unsure" and points.get("task_preference", 0) > 0:
        option = rubric().data["task_preference"]["options"][profile.task]
        task = str(option["label"])
        specialist = profile.candidate_fields()
        if profile.specialist_field in knowledge()["specialist_fields"]:
            specialist = [profile.specialist_field]  # the result's field (heading, steps)
        if profile.task == "specialist" and specialist:
            fields_ = knowledge()["fields"]
            names = [str(fields_[f]["label"]) for f in specialist[:2]]
            # "(Bank, etwa Zahlungsverkehr oder Kredite; Versicherung, etwa …)": a label
            # with a comma of its own is kept apart from the next by a semicolon.
            label = ("; " if any("," in n for n in names) else ", ").join(names)
            task = _t("task_field", task=task, field=label)
        reasons.append((points["task_preference"], task, "task_preference"))
    foreign = [e for e in profile.languages if not e.startswith(GERMAN + ":")]
    if foreign and points.get("languages", 0) > 0:
        words = language_words(foreign)
        reasons.append((points["languages"], _t("languages", languages=words), "languages"))
    if profile.years and (not profile.changer or profile.office_practice):
        # Also years of office work without a training (visit12 #14: a clerk of 25 years
        # heard only that she likes specialist work); not a cook's years in a kitchen.
        word = knowledge()["number_names"].get(profile.years, str(profile.years))
        # "Ihre einjährige Praxis", not "Ihre 1 Jahre Praxis" (job_ads_fresh4).
        text = _t("practice_one") if profile.years == 1 else _t("practice", years=word)
        reasons.append((1, text, "practice"))
    # Strong answer parts first (the rubric's strength share), then by points.
    return sorted(reasons, key=lambda r: -r[0] - (1000 if r[2] in strong else 0))


def training_words(profile: Profile) -> str:
    """The training in the visitor's words ("Ihre Ausbildung als ..."), or ""."""
    parts = []
    if profile.titles:
        key = "training_titles" if len(profile.titles) > 1 else "training_title"
        if all(t.lower() in _other_titles() for t in profile.titles):
            # "Buchhalter" is a job, not a German training: "Ihre Qualifikation als ...".
            key = f"{key}_other"
        parts.append(_t(key, title=profile.titles[0], titles=join(profile.titles)))
    else:
        options = rubric().data["training"]["options"]
        for value in profile.training:
            if value not in ("degree", "none", "other") and value in options:
                parts.append(str(options[value]["label"]))
                break
    if "degree" in profile.training:
        parts.append(_t("degree_business" if profile.business_degree else "degree"))
    return join(parts)


def short_title(rub: Rubric, variant: str) -> str:
    """The variant title without its parenthesis ("Fach-Backoffice")."""
    return rub.title(variant).split(" (")[0]


def tied(scores: Dict[str, int]) -> List[str]:
    """The variants that share the top score, in the result's order (ties keep the
    rubric's order, as Recommendation.ranking); one variant when nothing is tied.
    """
    ranking = sorted(
        (v for v in VARIANTS if isinstance(scores.get(v), int)),
        key=lambda v: (-scores[v], VARIANTS.index(v)),
    )
    return [v for v in ranking if scores[v] == scores[ranking[0]]]


def recommendation_words(variant: str, scores: Dict[str, int], rub: Optional[Rubric] = None) -> str:
    """The result in one line for a summary, saying a tie as the result's heading did:
    "**Fach-Backoffice (…)** (89 von 100 Punkten)" or "zwei Varianten gleichauf, …".

    `scores`: the result's totals (the `variant_scores` slot); `variant` is its first.
    """
    rub = rub or rubric()
    best = tied(scores) if variant in scores else [variant]
    score = scores.get(variant, 0)
    if len(best) >= 3:
        return _t("recap_tie_three", score=score)
    if len(best) == 2 and variant in best:
        return _t(
            "recap_tie_two",
            title=short_title(rub, best[0]),
            other=short_title(rub, best[1]),
            score=score,
        )
    return _t("recap_one", title=rub.title(variant), score=score)


def render_scores(rec: Recommendation, rub: Optional[Rubric] = None) -> str:
    """The three totals, best first: "Punkte: Fach-Backoffice 89, Projektassistenz 28, …".

    Text for rasa shell and screen readers; the web widget (quiz.js) draws it as bars.
    """
    rub = rub or rubric()
    parts = [f"{short_title(rub, v)} {rec.scores[v]}" for v in rec.ranking()]
    return _t("scores", scores=", ".join(parts))


def _heading(
    rec: Recommendation,
    rub: Rubric,
    previous: Optional[str],
    what: List[str],
    profile: Profile,
    old_field: Optional[str] = None,
) -> str:
    best = rec.variant
    title = short_title(rub, best)
    field_words = ""
    fields_ = knowledge()["fields"]
    if best == "specialist" and profile.specialist_field in fields_:
        name = fields_[profile.specialist_field]["name"]
        field_words = _t("heading_field", field=name)
    ranking = rec.ranking()
    score = rec.scores[best]
    if previous == best and old_field is not None:
        # The same variant in another field ("will in die interne IT, nicht ins Personal").
        new = fields_.get(profile.specialist_field, {}).get("name", _t("field_open"))
        old = fields_.get(old_field, {}).get("name", _t("field_open"))
        return _t("heading_field_changed", title=title, score=score, field=new, old_field=old)
    changed = _t("changed", what=join(what)) if previous and what else ""
    # A tie is said as a tie, also after a correction (not "Neue Empfehlung: …").
    best_ones = tied(rec.scores)
    if len(best_ones) == 3:
        return _t("heading_tie_three", score=score) + changed
    if len(best_ones) == 2:
        return (
            _t(
                "heading_tie_two",
                title=short_title(rub, best_ones[0]),
                other=short_title(rub, best_ones[1]),
                score=score,
            )
            + changed
        )
    if previous and previous != best:
        return (
            _t(
                "heading_changed",
                title=title,
                score=score,
                field=field_words,
                old_title=short_title(rub, previous),
            )
            + changed
        )
    margin = int(rub.data["close_margin"])
    close = [v for v in ranking[1:] if score - rec.scores[v] < margin]
    if close:
        others = join(
            [_t("other_score", title=short_title(rub, v), score=rec.scores[v]) for v in close]
        )
        return _t("heading_close", title=title, score=score, field=field_words, others=others)
    return _t("heading", title=title, score=score, field=field_words)


def field_changed(
    previous: Optional[str],
    before: Optional[Dict[str, Any]],
    rec: Recommendation,
    profile: Profile,
) -> Optional[str]:
    """The previous result's specialist field when the same specialist result now has
    another one (the next steps change with it); else None.
    """
    if previous != "specialist" or rec.variant != "specialist" or not isinstance(before, dict):
        return None
    old = before.get("specialist_field")
    if not old or old == profile.specialist_field:
        return None
    return str(old)


def changed_parts(before: Optional[Dict[str, Any]], answers: Dict[str, Any]) -> List[str]:
    """Which answers differ from those of the previous result ("Ihre Ausbildung" ...)."""
    if not isinstance(before, dict):
        return []
    out = []
    for slot, key in (
        ("training", "changed_training"),
        ("languages", "changed_languages"),
        ("task_preference", "changed_task"),
    ):
        old, new = before.get(slot), answers.get(slot)
        if isinstance(old, list) and isinstance(new, list):
            differs = sorted(old) != sorted(new)
        else:
            differs = old != new
        if differs:
            out.append(_t(key))
    return out


def render_result(
    rec: Recommendation,
    profile: Profile,
    previous: Optional[str] = None,
    changed: Sequence[str] = (),
    rub: Optional[Rubric] = None,
    old_field: Optional[str] = None,
) -> str:
    """The short first message: variant, two or three personal reasons, one next step.

    `old_field`: the specialist field of the previous result, when only the field changed.
    """
    rub = rub or rubric()
    lines = [_heading(rec, rub, previous, list(changed), profile, old_field)]
    reasons = [text for _, text, _ in _reason_candidates(rec, profile)][:3]
    lines.append(_t("reasons", reasons=join(reasons)) if reasons else _t("reasons_none"))
    first = steps(rec.variant, profile)[0]
    lines.append(_t("first_step", step=first.text))
    text = "\n".join(lines)
    while len(text) > MAX_FIRST and len(reasons) > 1:
        reasons = reasons[:-1]
        lines[1] = _t("reasons", reasons=join(reasons))
        text = "\n".join(lines)
    return text


def render_why(
    rec: Recommendation, profile: Profile, skipped: Sequence[str] = (), rub: Optional[Rubric] = None
) -> str:
    """The "Warum?" text: per variant the points of each criterion (they sum to its total) and
    what is missing for it, or how its daily work differs.
    """
    rub = rub or rubric()
    lines = [_t("why_intro")]
    for variant in rec.ranking():
        points = criterion_points(rec, variant)
        parts = " + ".join(
            _t("why_part", criterion=_t(f"criterion_{c}"), points=points.get(c, 0))
            for c in CRITERIA
        )
        lines.append(
            _t("why_variant", title=rub.title(variant), score=rec.scores[variant], parts=parts)
        )
        lines.append(gap_text(variant, profile, rec))
    counted = [text for _, text, _ in _reason_candidates(rec, profile)]
    if counted:
        lines.append(_t("counted", items="; ".join(counted)))
    for slot in skipped:
        if f"explain_skipped_{slot}" in rub.data["messages"]:
            lines.append(rub.message(f"explain_skipped_{slot}"))
    if not profile.training and "training" not in skipped:
        lines.append(rub.message("explain_unknown"))
    lines.append(rub.message("explain_outro"))
    return "\n".join(lines)


def render_all_steps(rec: Recommendation, profile: Profile, rub: Optional[Rubric] = None) -> str:
    """Every next step for the recommended variant (and, when close, the runner-up's first)."""
    rub = rub or rubric()
    lines = [_t("steps_intro", title=short_title(rub, rec.variant))]
    mine = steps(rec.variant, profile)
    lines += [f"- {s.text}" for s in mine]
    if rec.close:
        theirs = [s for s in steps(rec.runner_up, profile) if s.text not in {m.text for m in mine}]
        if theirs:
            lines.append(_t("steps_runner", title=short_title(rub, rec.runner_up)))
            lines.append(f"- {theirs[0].text}")
    return "\n".join(lines)


def render_own_step(rec: Recommendation, profile: Profile, rub: Optional[Rubric] = None) -> str:
    """The result's first step, for a question about the visitor's own next step asked
    after the result ("Welche Weiterbildung passt für mich als nächstes?").
    """
    rub = rub or rubric()
    return _t(
        "own_step", title=short_title(rub, rec.variant), step=steps(rec.variant, profile)[0].text
    )


def render_other_variants(
    rec: Recommendation, profile: Profile, rub: Optional[Rubric] = None
) -> str:
    """The two other variants: score and what is missing or how the work differs."""
    rub = rub or rubric()
    lines = [_t("others_intro")]
    for variant in rec.ranking()[1:]:
        lines.append(
            _t(
                "other_variant",
                title=short_title(rub, variant),
                score=rec.scores[variant],
                summary=str(rub.data["variants"][variant]["summary"]),
                text=gap_text(variant, profile, rec, daily=False),
            )
        )
    return "\n".join(lines)


def plain(text: str) -> str:
    """A step's text without Markdown emphasis (for texts that quote it)."""
    return text.replace("**", "")


def ad_field(texts_: Sequence[str]) -> Optional[str]:
    """The specialist field a job ad's task lines name most (paths.yml cues), or None."""
    specialist = knowledge()["specialist_fields"]
    return next((f for f in _field_counts(texts_) if f in specialist), None)


def steps_towards(variant: str, profile: Profile, field_: Optional[str] = None) -> List[Step]:
    """The next steps towards a job of `variant` in `field_` (a job ad's field), with the
    admission rules of `steps`; the closing "read ads closely" step left out.
    """
    data = knowledge()
    lead_in = data["lead_in"].get(field_ or "") if variant == "specialist" else None
    if field_ and variant == "specialist":
        fields = [field_] + [f for f in profile.fields if f != field_]
        profile = replace(profile, specialist_field=field_, fields=fields)
    if profile.changer and lead_in and not profile.school_leaver:
        # The training the field asks for, and how a career changer can fund it.
        return [Step(str(lead_in)), Step(str(data["changer"]["gutschein"]))]
    found = [s for s in steps(variant, profile) if s.text != str(data["always"])]
    # The training that leads into the field before the practice that comes after it.
    return sorted(found, key=lambda s: s.text != lead_in)


def suggested_paths(rec: Recommendation, profile: Profile) -> List[str]:
    """Ids of every further-training path any result text names (for tests)."""
    ids = [s.path for v in VARIANTS for s in steps(v, profile) if s.path]
    return list(dict.fromkeys(ids))
