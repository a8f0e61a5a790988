"""Side-question answers built from facts (career_quiz/side_answers.py,
data/knowledge/side_facts.yml), the topic choice that uses them, endings and English
(career_quiz/side_topics.py), and the NLU component that carries the answer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from career_quiz import dialogue
from career_quiz.side_answers import (
    MAX_FACTS,
    FactIndex,
    answer,
    compose,
    has_facts,
    load_topics,
    topics,
)
from career_quiz.side_topics import clause_topics, is_english, message_topic
from tests.helpers import ROOT

SIDE_FILE = ROOT / "domain" / "side_questions.yml"


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„*])", text) if s.strip()])


@pytest.mark.parametrize(
    "topic, question, expected",
    [
        ("faq_salary", "Sind Azubis im Entgeltatlas mitgezählt?", "Auszubildende"),
        ("faq_salary", "Zahlt die Pharmabranche gut?", "Pharma"),
        ("faq_ihk", "Wie viele Leute prüfen ehrenamtlich bei der IHK?", "150.000"),
        ("faq_ihk", "Ist ein IHK-Zertifikat ein Berufsabschluss?", "50 Unterrichtseinheiten"),
        ("faq_training_duration", "Ab welchem Alter darf ich ohne Abi kürzen?", "21"),
        ("faq_part_time", "Wie viele Tage Urlaub bei der Versicherung?", "30 Urlaubstage"),
        ("faq_counselling", "Gibt es einen Bus der Arbeitsagentur?", "Beratungsbus"),
        ("faq_cefr", "Was kann man mit A2?", "Einkaufen"),
    ],
)
def test_the_fact_nearest_the_question_is_added_to_the_core(topic, question, expected):
    text = answer(topic, question)
    entry = topics()[topic]
    assert text.startswith(entry.core) and text.endswith(entry.pointer)
    assert expected in text


def test_a_fact_of_a_related_topic_answers_a_question_asked_like_this_one():
    # Asked like a duration question, answered by the exam's fact.
    assert "20 Minuten" in answer("faq_training_duration", "Wie lange dauert das Fachgespräch?")


def test_an_answer_has_the_core_at_most_two_facts_and_the_pointer():
    for name, entry in topics().items():
        for question in ("Was verdient man?", "Wie lange dauert das?", entry.core):
            text = answer(name, question)
            assert _sentences(text) <= _sentences(entry.static_text()) + MAX_FACTS + 1, text


def test_a_question_no_fact_fits_gets_core_and_pointer_only():
    assert answer("faq_ihk", "xyz") == topics()["faq_ihk"].static_text()


def test_two_topics_in_one_message_get_both_answers():
    text = "Was verdient man und wie lange dauert die Ausbildung?"
    pairs = clause_topics(text)
    assert [t for t, _ in pairs] == ["faq_salary", "faq_training_duration"]
    both = compose(pairs)
    assert "Entgeltatlas" in both and "drei Jahre" in both
    # A clause that only asks on ("und wie lange dauert sie?") is no second topic.
    assert clause_topics("Was kostet die Anerkennung und wie lange dauert sie?") == []
    assert compose([("faq_enough", text)]) == ""


def test_further_training_is_asked_about_not_the_training_duration():
    # "Fortbildung" names no topic of its own; its facts decide (brief: visitor bug).
    assert message_topic("Wie lange dauert die Fortbildung?", "faq_training_duration", 0.9) != (
        "faq_training_duration"
    )


def test_the_facts_decide_between_two_topics_the_words_name():
    text = "Mein Spanisch reicht zum Einkaufen im Urlaub – welches Niveau ist das?"
    assert message_topic(text, "out_of_scope", 0.3) == "faq_cefr"


def test_every_topic_with_facts_is_an_intent_and_its_response_shows_the_answer():
    domain = {}
    for path in (SIDE_FILE, ROOT / "domain" / "faq.yml"):
        domain.update(yaml.safe_load(path.read_text(encoding="utf-8"))["responses"])
    intents = set(dialogue.domain_intents())
    for name, entry in topics().items():
        assert name in intents
        variants = domain[f"utter_{name}"]
        static = [v for v in variants if "condition" not in v]
        built = [v for v in variants if "condition" in v]
        # The static variant (a button, no question) is the core and pointer of the facts.
        assert [" ".join(v["text"].split()) for v in static] == [entry.static_text()]
        assert built == [
            {
                "condition": [{"type": "slot", "name": "side_answer_topic", "value": name}],
                "text": "{side_answer}",
            }
        ]


def test_every_related_topic_has_facts():
    for entry in topics().values():
        assert all(has_facts(r) for r in entry.related), entry.name


def test_facts_speak_formally_and_name_no_made_up_source():
    for entry in topics().values():
        for text in (entry.core, entry.pointer, *(f.text for f in entry.facts)):
            assert not re.search(r"\b(du|dich|dir|dein\w*)\b", text, re.I), text
            assert len(text) <= 330, text


def test_a_facts_file_can_be_loaded_from_elsewhere(tmp_path: Path):
    path = tmp_path / "facts.yml"
    path.write_text(
        "topics:\n  faq_x:\n    core: Kern.\n    pointer: Mehr dort.\n"
        "    facts:\n      - Der Himmel ist blau.\n"
        "      - {text: Gras ist grün., keys: wiese rasen}\n",
        encoding="utf-8",
    )
    loaded = load_topics(path)
    index = FactIndex(loaded)
    assert [f.text for f in index.best_facts("faq_x", "Welche Farbe hat der Rasen?")] == [
        "Gras ist grün."
    ]
    assert index.best_facts("faq_x", "") == []


@pytest.mark.parametrize(
    "text", ["Hi, do you speak English?", "Can we do this in English?", "sorry, what is this?"]
)
def test_english_is_recognised(text):
    assert is_english(text)
    assert message_topic(text, "nlu_fallback", 0.3) == "english"


@pytest.mark.parametrize("text", ["Englisch gut", "Ich spreche Englisch und Spanisch", "Hallo"])
def test_german_is_not_english(text):
    assert not is_english(text)


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("keine lust mehr, tschüss", "inform", "goodbye"),
        ("ok tschüssikowski", "inform", "goodbye"),
        ("Danke, tschüss", "chitchat_thanks", "goodbye"),
        ("Prima Beratung, ich bin zufrieden. Auf Wiedersehen.", "faq_counselling", "goodbye"),
        ("Super hilfreich, danke und tschüss", "feedback_positive", "feedback_positive"),
        ("✌️", "nlu_fallback", "chitchat_thanks"),
        ("😘", "inform", "chitchat_thanks"),
        ("Kurzer Überblick über das Resultat, bitte.", "nlu_fallback", "ask_summary"),
        ("Passt so ein Bürojob zu mir?", "out_of_scope", "ask_fit"),
    ],
)
def test_endings_and_the_fit_question(text, intent, expected):
    assert message_topic(text, intent, 0.9) == expected


def test_a_farewell_with_a_question_stays_a_question():
    assert message_topic("Tschüss – oder was verdient man noch?", "inform", 0.9) == "faq_salary"


def test_the_nlu_component_adds_the_built_answer_as_entities():
    from rasa.shared.nlu.training_data.message import Message

    from rasa_addons.side_topics import SideTopicClassifier

    message = Message(data={"text": "Wie viele ehrenamtliche Prüfer hat die IHK?"})
    message.set("intent", {"name": "faq_ihk", "confidence": 0.95})
    [out] = SideTopicClassifier().process([message])
    found = {e["entity"]: e["value"] for e in out.get("entities")}
    assert found["side_answer_topic"] == "faq_ihk"
    assert "150.000" in found["side_answer"]
    other = Message(data={"text": "Hallo"})
    other.set("intent", {"name": "greet", "confidence": 0.99})
    assert not SideTopicClassifier().process([other])[0].get("entities")


def test_a_farewell_stores_no_answer_but_a_question_beside_it_may():
    from career_quiz.side_topics import asks_instead_of_answering

    assert asks_instead_of_answering("goodbye", "", "keine lust mehr, tschüss")
    assert not asks_instead_of_answering("goodbye", "", "Englisch gut. Tschüss?")


@pytest.mark.parametrize(
    "text, intent, confidence, expected",
    [
        # The classifier's topic with some confidence, facts or not.
        ("Was ist eine Projektassistenz?", "faq_variant_project", 0.6, "faq_variant_project"),
        # A question it could not place: the topic of the nearest fact, when it fits.
        ("teilzeitquote deutschland 2023?", "out_of_scope", 0.9, "faq_part_time"),
        ("Was kann ich aus Kartoffeln zaubern?", "out_of_scope", 0.9, None),
        # Local, employer and future questions have no reliable facts.
        ("Was zahlt die Lufthansa einer Assistentin?", "faq_salary", 0.9, "out_of_scope"),
        ("Gibt es in Leipzig freie Plätze?", "inform", 0.5, "out_of_scope"),
        ("mailst du mir das", "nlu_fallback", 0.4, "faq_email_result"),
    ],
)
def test_questions_the_words_do_not_name(text, intent, confidence, expected):
    assert message_topic(text, intent, confidence) == expected


def test_english_off_topic_gets_the_bilingual_notice_too():
    # An English visitor learns that the quiz is German (visitor finding #19), whatever
    # the question; a German "nicht verstanden" helps nobody who cannot read it.
    assert is_english("How do I cook pasta?")
    assert message_topic("How do I cook pasta?", "out_of_scope", 0.9) == "english"
    # On a known topic the German answer comes beside it (tests/unit/test_english.py).
    assert message_topic("How much does a project assistant earn?", "faq_salary", 0.9) == (
        "faq_salary"
    )


def _reply(question: str) -> str:
    """What the bot answers to `question` when the classifier cannot place it: the topic
    the words and facts name, then its facts, or the honest out-of-scope answer.
    """
    topic = message_topic(question, "nlu_fallback", 0.3)
    if has_facts(topic):
        return answer(str(topic), question)
    if topic == "out_of_scope":
        responses = yaml.safe_load((ROOT / "domain" / "faq.yml").read_text(encoding="utf-8"))
        return str(responses["responses"]["utter_out_of_scope"][0]["text"])
    return ""


# Issue 16: every sourced fact a visitor may ask for is in the answer; what the facts do
# not cover (one city's pay, a named employer, visas, legal advice) gets the honest
# "keine verlässlichen Informationen". Probes in our own words, no held-out sentence.
@pytest.mark.parametrize(
    "question, expected",
    [
        ("Was verdient eine Bürokauffrau so im Monat?", "2.411"),
        ("Verdienen Frauen im Sekretariat weniger als Männer?", "2.735"),
        ("Was bekommt eine Teamassistentin nach Jahren Berufserfahrung?", "33.500–40.500"),
        ("Was verdient eine Vorstandsassistenz mit Erfahrung?", "50.000–61.000"),
        ("Was verdient ein Backoffice-Manager?", "37.400"),
        ("Was verdient eine Buchhalterin mit Mitte 30?", "41.500"),
        ("Was verdient man als Personalsachbearbeiterin?", "2.688"),
        ("Welchen Stundensatz nehmen freiberufliche Projektassistenten?", "57 €"),
        ("Seit wann gibt es den Entgeltatlas?", "2016"),
        ("Was zahlt die höchste Tarifgruppe bei Banken?", "5.225"),
        ("Warum ist die Azubi-Vergütung je nach Branche so unterschiedlich?", "Berufsbezeichnung"),
        ("Was lernt man im Fachwirt für Büro- und Projektorganisation?", "Entscheidungsprozesse"),
        ("Gibt es einen IHK-Kurs Office Assistentin?", "nicht gefunden"),
        ("Wie viele Stunden hat der Lehrgang Lohnbuchhalter IHK?", "134"),
        ("Kann ich noch IT-Projektleiter bei der IHK werden?", "2027"),
        ("Welche Fortbildung gibt es für MFA?", "Gesundheits- und Sozialwesen"),
        ("Kann ich Teilzeitausbildung und Verkürzung kombinieren?", "kombinieren"),
        ("Welche Wahlqualifikationen gibt es bei Büromanagement?", "Personalwirtschaft"),
        ("Verkürzen die meisten Banken die Ausbildung?", "95 %"),
        ("Ich bin MFA, wie wechsle ich ins Büro?", "Quartalsabrechnung"),
        ("Darf ich im Vorstellungsgespräch nach Homeoffice fragen?", "Vorstellungsgespräch"),
        ("Wie viele Stunden arbeiten Bürokräfte im Schnitt pro Woche?", "32,8"),
        ("Seit wann gibt es die Berufsberatung im Erwerbsleben?", "2015"),
        ("Habe ich ein Recht auf Anerkennung meines Abschlusses?", "Rechtsanspruch"),
        ("Welche Sprachen braucht man im Sekretariat?", "europäischen Sprache"),
        ("Was bedeutet erweiterte Grundkenntnisse?", "A2"),
        ("Ist verhandlungssicher mehr als fließend?", "Muttersprache"),
        ("Wie haben sich die Aufgaben von Assistenzkräften verändert?", "mittleren Managements"),
        ("Gilt der Versicherungsfachwirt als Sachkunde für Vermittler?", "VersVermV"),
        ("Brauche ich ein Visum, um hier als Sekretärin zu arbeiten?", "verlässlich"),
        ("Wie bekomme ich eine Arbeitserlaubnis für Deutschland?", "verlässlich"),
        ("Mein Ausbildungsbetrieb zahlt nicht, soll ich einen Anwalt nehmen?", "verlässlich"),
        ("Was kann ich gegen eine Abmahnung vom Chef tun?", "verlässlich"),
        ("Was verdient eine Büroassistentin in Hannover?", "4.066"),
        ("Um wie viel kann ich mit Fachabi die Ausbildung verkürzen?", "12 Monate"),
        ("Wie viele Beschäftigte arbeiten remote im Homeoffice?", "23,5 %"),
        ("Was verdient eine Sekretärin in München?", "verlässlich"),
        ("Zahlt Siemens im Backoffice über Tarif?", "verlässlich"),
        ("Kann ich meinen Ausbilder verklagen?", "verlässlich"),
        ("Gibt es die Blaue Karte auch für Bürokräfte?", "verlässlich"),
    ],
)
def test_a_question_gets_the_fact_it_asks_for_or_the_honest_answer(question, expected):
    assert expected in _reply(question)


def test_one_fact_per_part_of_the_question(tmp_path: Path):
    # A second fact only when it answers a part of the question the first does not:
    # the answer stays at the core, a fact and the pointer (visitors found four or
    # five sentences too long).
    path = tmp_path / "facts.yml"
    path.write_text(
        "topics:\n  faq_x:\n    core: Kern.\n    pointer: Mehr dort.\n"
        "    facts:\n      - Der Himmel ist tagsüber blau.\n"
        "      - Der Himmel ist nachts schwarz.\n"
        "      - {text: Gras ist grün., keys: wiese rasen}\n",
        encoding="utf-8",
    )
    index = FactIndex(load_topics(path))
    assert len(index.best_facts("faq_x", "Welche Farbe hat der Himmel?")) == 1
    both = index.best_facts("faq_x", "Welche Farbe hat der Himmel und welche der Rasen?")
    assert {f.text for f in both} == {"Der Himmel ist tagsüber blau.", "Gras ist grün."}


def test_pay_after_the_training_is_a_salary_question_with_the_bank_tariff():
    # Visitor finding (visit6): it got the trainee pay and the Lohnspiegel 2017.
    text = "Was verdient ein Bankkaufmann nach der Ausbildung?"
    assert message_topic(text, "faq_training_pay", 0.5) == "faq_salary"
    assert "2.366 €" in answer("faq_salary", text)


def test_pay_in_the_training_names_the_trainee_figures_not_salaries():
    # Visitor finding (visit6): it added StepStone salaries of finished staff.
    reply = answer("faq_training_pay", "Was verdient man in der Ausbildung?")
    assert "StepStone" not in reply
    assert "953 €" in reply or "1.181 €" in reply


def test_money_during_an_umschulung_names_what_the_voucher_covers():
    # Visitor finding (visit6): only the voucher was named, not what it pays.
    reply = answer("faq_retraining", "Bekomme ich während einer Umschulung Geld vom Amt?")
    assert "Kinderbetreuung" in reply and "Fahrtkosten" in reply


def test_a_fact_for_one_group_is_chosen_only_when_the_question_names_it(tmp_path: Path):
    path = tmp_path / "facts.yml"
    path.write_text(
        "topics:\n  faq_x:\n    core: Kern.\n    pointer: Mehr dort.\n"
        "    facts:\n"
        "      - {text: Für MFA passt der Fachwirt Gesundheit., keys: weiterbildung"
        " fortbildung, audience: mfa arzt}\n",
        encoding="utf-8",
    )
    index = FactIndex(load_topics(path))
    assert index.best_facts("faq_x", "Welche Weiterbildung passt für mich?") == []
    assert [f.text for f in index.best_facts("faq_x", "Welche Weiterbildung passt für MFA?")] == [
        "Für MFA passt der Fachwirt Gesundheit."
    ]
    # Word beginnings: "Arzthelferin" names the audience "arzt".
    assert index.best_facts("faq_x", "Weiterbildung als Arzthelferin?")


@pytest.mark.parametrize(
    "question, absent, present",
    [
        # Visitor finding (visit6 #7): a general further-training question got the MFA route.
        ("Welche Weiterbildung passt für mich als nächstes?", "Medizinische", None),
        ("Welche Fortbildung gibt es für MFA?", None, "Medizinische Fachangestellte"),
        ("Kann ich das Organisieren per Umschulung lernen?", "Medizinische", "Büromanagement"),
    ],
)
def test_group_facts_stay_with_their_group(question, absent, present):
    topic = message_topic(question, "faq_prospects", 0.5) or "faq_prospects"
    text = answer(topic, question)
    if absent:
        assert absent not in text
    if present:
        assert present in text


@pytest.mark.parametrize(
    "question, present",
    [
        # fresh10 wordings (a tuning set since 2026-12-04, fifth session), said anew.
        ("Ich will nur noch 25 Stunden arbeiten. Findet man im Büro sowas?", "deutlich"),
        ("wie lang darf ein arbeitstag max sein wenn viel los ist?", "10 Stunden"),
        ("Muss ich als Arbeitnehmerin Mitglied in der IHK werden?", "Pflichtmitglied"),
        ("Ab wann darf ich nach der Ausbildung mit dem Fachwirt anfangen?", "ein Jahr"),
    ],
)
def test_the_fact_the_question_asks_for_is_in_the_answer(question, present):
    topic = message_topic(question, None, 0.0)
    assert present in answer(str(topic), question), topic


@pytest.mark.parametrize(
    "text, intent, marked",
    [
        # visit9 #15: an English question without reliable facts got the German reply only.
        (
            "How long is the probation period in an office job?",
            "out_of_scope",
            "out_of_scope_english",
        ),
        ("What's the weather like in Berlin today?", "out_of_scope", "out_of_scope_english"),
        # A German one resets the slot, so an earlier English question's variant is not reused.
        ("Wie lang ist die Probezeit im Büro?", "out_of_scope", "out_of_scope"),
    ],
)
def test_an_english_question_without_facts_marks_the_bilingual_reply(text, intent, marked):
    from rasa.shared.nlu.training_data.message import Message

    from rasa_addons.side_topics import SideTopicClassifier

    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.9})
    [out] = SideTopicClassifier().process([message])
    found = {e["entity"]: e["value"] for e in out.get("entities") or []}
    assert found.get("side_answer_topic") == marked
