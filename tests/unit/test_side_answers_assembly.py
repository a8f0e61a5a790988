"""career_quiz/side_answers.py and data/knowledge/side_facts.yml: answers a visitor can
trust (visitor findings #11, #16, #23). Each fact reads on its own, no answer says the
same twice, an answer adds no other topic's facts unless asked, and salary answers lead
with the newest figures and say that they are gross. Probes in our own words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from career_quiz.side_answers import (
    Fact,
    FactIndex,
    answer,
    asked_levels,
    asks_duration,
    compose,
    index,
    load_topics,
    topics,
)

# Words that point back to a sentence the answer may not contain.
DANGLING_START = re.compile(
    r"^(Er|Es ist|Sie ist|Sie berät|Auch|Von ihnen|Dort|Dabei|Den Antrag)\b"
)
DANGLING_ANYWHERE = re.compile(
    r"\b(solche\w*|demselben|derselben|dieselben Report|diese Begriffe)\b"
)


def _all_facts():
    return [(t.name, f.text) for t in topics().values() for f in t.facts]


@pytest.mark.parametrize("topic, text", _all_facts())
def test_every_fact_reads_on_its_own(topic, text):
    assert not DANGLING_START.search(text), (topic, text)
    assert not DANGLING_ANYWHERE.search(text), (topic, text)


def test_no_fact_repeats_its_core_or_another_fact_of_its_topic():
    found = []
    for topic in topics().values():
        sentences = [topic.core, *(f.text for f in topic.facts)]
        for i, first in enumerate(sentences):
            for second in sentences[i + 1 :]:
                if index().repeats(Fact(topic.name, second), [first]):
                    found.append((topic.name, first[:60], second[:60]))
    assert found == []


def test_a_question_that_only_names_the_topic_gets_the_core():
    ihk = topics()["faq_ihk"]
    assert answer("faq_ihk", "Was genau ist die IHK?") == ihk.static_text()
    # A question with more words still gets facts.
    assert "79 IHKs" in answer("faq_ihk", "Wie viele IHKs gibt es eigentlich?")


def test_who_pays_for_a_retraining_is_no_salary_question():
    reply = compose(
        [
            ("faq_retraining", "kommt für mich eine umschulung in frage?"),
            ("faq_salary", "und wer übernimmt die kosten dafür?"),
        ]
    )
    assert "Bildungsgutschein" in reply
    assert "Entgeltatlas" not in reply and "Gehälter" not in reply


def test_two_different_questions_still_get_both_topics():
    reply = compose(
        [
            ("faq_salary", "Was verdient man als Teamassistenz?"),
            ("faq_training_duration", "wie lange dauert die Ausbildung?"),
        ]
    )
    assert "Entgeltatlas" in reply and "drei Jahre" in reply


def test_a_salary_answer_adds_no_further_training_rules():
    reply = answer("faq_salary", "Bei uns gilt der Versicherungstarif. Wie viel Euro sind das?")
    assert "3.065" in reply
    assert "Fachwirt" not in reply
    reply = answer("faq_salary", "Und als Buchhalterin konkret? Brutto oder netto?")
    assert "Bilanzbuchhalter" not in reply
    assert "Kienbaum 2009" in reply and "nur eine alte Zahl" in reply
    assert "Bruttowerte" in reply


@pytest.mark.parametrize(
    "question",
    ["Wie viel verdient man so im Back Office?", "gehalt?", "Was zahlt man einer Teamassistenz?"],
)
def test_general_salary_questions_lead_with_the_newest_figures(question):
    reply = answer("faq_salary", question)
    assert "StepStone-Gehaltsreport 2025" in reply
    for older in ("2019", "2009", "2008", "2017", "2014"):
        assert older not in reply or reply.index("2025") < reply.index(older)


@pytest.mark.parametrize("question", ["Sind das Bruttozahlen?", "ist das netto oder brutto"])
def test_gross_or_net_is_answered(question):
    assert "Bruttowerte" in answer("faq_salary", question)


def test_the_voucher_answer_says_nothing_twice():
    reply = answer(
        "faq_retraining_voucher", "Steht mir so ein Gutschein zu, obwohl ich Arbeit habe?"
    )
    assert reply.count("Rechtsanspruch") == 1
    assert reply.count("Beratungsgespräch") == 1


def test_the_same_figures_are_not_given_twice():
    reply = answer(
        "faq_salary", "Wie entwickelt sich das Gehalt mit dem Aufstieg zur Office-Managerin?"
    )
    assert reply.count("44.500") <= 1


def _index(tmp_path: Path, facts_yaml: str) -> FactIndex:
    path = tmp_path / "facts.yml"
    path.write_text(facts_yaml, encoding="utf-8")
    return FactIndex(load_topics(path))


def test_a_related_topics_fact_follows_only_when_it_answers_more_of_the_question(tmp_path):
    idx = _index(
        tmp_path,
        "topics:\n"
        "  faq_a:\n    core: Äpfel wachsen an Bäumen.\n    pointer: Mehr im Obstbuch.\n"
        "    related: [faq_b]\n"
        "    facts:\n      - Rote Äpfel sind süß.\n"
        "  faq_b:\n    core: Birnen sind Obst.\n    pointer: Mehr dort.\n"
        "    facts:\n      - Rote Birnen sind selten.\n      - Birnen kosten im Winter mehr.\n",
    )
    # Both facts match "rot"; the pear fact adds nothing the apple fact did not answer.
    assert [f.text for f in idx.best_facts("faq_a", "Sind rote Äpfel süß?")] == [
        "Rote Äpfel sind süß."
    ]
    # Asked about the price too: the related fact answers that part.
    chosen = [
        f.text
        for f in idx.best_facts("faq_a", "Sind rote Äpfel süß, und was kosten sie im Winter?")
    ]
    assert chosen[0] == "Rote Äpfel sind süß." and "Birnen kosten im Winter mehr." in chosen


def test_of_equally_good_facts_the_first_listed_leads(tmp_path):
    idx = _index(
        tmp_path,
        "topics:\n  faq_a:\n    core: Kern.\n    pointer: Mehr.\n    facts:\n"
        "      - {text: Neue Zahl 2025 zum Lohn., keys: lohn}\n"
        "      - {text: Alte Zahl 2009 zum Lohn., keys: lohn}\n",
    )
    assert idx.best_facts("faq_a", "Lohn?")[0].text == "Neue Zahl 2025 zum Lohn."


# -- which fact leads (fifth session of 2026-12-03, misses of the tuning sets) --------


@pytest.mark.parametrize(
    "question, asks",
    [
        ("Wie lange dauert es, Englisch von Null auf B2 zu lernen?", True),
        ("wie viele Monate brauche ich bis B2?", True),
        ("Welche Dauer hat die Umschulung?", True),
        ("Englisch B2. Was bedeutet das?", False),
        ("Drei Jahre Ausbildung hab ich. Was verdient man dann?", False),
    ],
)
def test_a_duration_is_asked_by_the_asking_sentence(question, asks):
    assert asks_duration(question) is asks


def test_a_duration_question_gets_the_fact_that_names_a_duration():
    facts = index().best_facts(
        "faq_cefr", "Wie lange dauert es, Englisch von Null auf B2 zu lernen?"
    )
    assert any("600–800 Unterrichtseinheiten" in f.text for f in facts)


@pytest.mark.parametrize(
    "question, levels",
    [
        ("Was bedeutet C1?", {"c1"}),
        ("Englisch B2. Reicht das?", {"b2"}),  # the asking sentence points back
        ("Englisch B2, Französisch A2. Was bedeutet eigentlich 'IHK-Zertifikat'?", set()),
        ("Ich habe B1", {"b1"}),  # no asking sentence: the whole message
    ],
)
def test_the_levels_asked_about_are_those_of_the_asking_sentence(question, levels):
    assert asked_levels(question) == frozenset(levels)


def test_a_fact_naming_the_level_asked_in_its_text_counts_as_one_on_that_level():
    facts = index().best_facts(
        "faq_cefr", "wie lange brauch ich um von A2 auf B2 in englisch zu kommen"
    )
    assert "600–800" in facts[0].text


@pytest.mark.parametrize(
    "topic, question, fact",
    [
        ("faq_retraining_voucher", "Welche Anbieter darf man mit Bildungsgutschein wählen?",
         "AZAV"),
        ("faq_recognition", "Kann ich mich schon vom Ausland aus um die Anerkennung kümmern?",
         "aus dem Ausland"),
        ("faq_recognition", "Wird mein ukrainisches Uni-Diplom in Wirtschaft auch über IHK FOSA "
         "geprüft?", "Zeugnisbewertung"),
        ("faq_prospects", "Wohin kann man sich als IT-Kaufmann im Backoffice weiterentwickeln?",
         "Bachelor Professional in IT"),
    ],
)  # fmt: skip
def test_the_fact_that_answers_the_detail_asked_comes(topic, question, fact):
    assert fact in compose([(topic, question)])
