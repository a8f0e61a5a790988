"""What the benchmark says: German quiz conversations and the stock bot's messages.

Every quiz is a list of messages from the greeting to the recommendation. The
answers are drawn from lists of free-text variants (plus some button payloads),
seeded so that a run is reproducible.
"""

from __future__ import annotations

import random
from typing import List

GREETINGS = ["Hallo", "Guten Tag", "Hi", "Moin", "Hallo zusammen", "Guten Morgen"]
START = ["Quiz starten", "/start_quiz", "Ich möchte das Quiz machen", "Los geht's"]

TRAINING = [
    "Ich bin Kauffrau für Büromanagement",
    "Bürokaufmann",
    "Ich habe eine Ausbildung als Bankkauffrau gemacht",
    "Steuerfachangestellte",
    "Ich habe einen Bachelor in BWL",
    "Industriekaufmann",
    "Kaufmann für Bürokommunikation",
    "Versicherungskaufmann",
    "Ich habe Informatik studiert",
    "Personaldienstleistungskauffrau",
    "Fremdsprachenkorrespondentin",
    "Ich bin gelernte Krankenschwester",
    "kein Studium, aber Einzelhandelskauffrau",
    '/inform{"training": "office"}',
    '/inform{"training": "degree"}',
]

LANGUAGES = [
    "Englisch fließend und etwas Französisch",
    "nur Deutsch",
    "Englisch gut",
    "Tschechisch verhandlungssicher",
    "Englisch C1, Spanisch Grundkenntnisse",
    "Ich spreche fließend Englisch und Russisch",
    "Schulenglisch",
    "Englisch verhandlungssicher",
    "Polnisch ist meine Muttersprache, Englisch gut",
    '/inform{"languages": ["en:fluent"]}',
    '/inform{"languages": []}',
]

TASKS = [
    "Ich organisiere gern Termine und Reisen für mein Team",
    "Am liebsten plane und koordiniere ich Projekte",
    "Ich arbeite gern mit Zahlen",
    "Buchhaltung mag ich",
    "Ich unterstütze gern meine Chefin",
    "weiß nicht",
    "Projekte koordinieren",
    '/inform{"task_preference": "projects"}',
    '/inform{"task_preference": "specialist"}',
    '/inform{"task_preference": "assistance"}',
]

# Answers two questions at once; the quiz then asks only the third.
COMBINED = [
    "Ich bin Bankkauffrau und spreche fließend Englisch",
    "Bürokaufmann, nur Deutsch",
    "Ich habe einen Master in BWL und spreche Englisch C1",
    "Steuerfachangestellte mit guten Englischkenntnissen",
]

# Answers all three questions at once.
ALL_IN_ONE = [
    "Bürokaufmann, nur Deutsch und ich unterstütze gern mein Team",
    "Ich bin Bankkauffrau, spreche fließend Englisch und arbeite gern mit Zahlen",
    "Master in BWL, Englisch verhandlungssicher, am liebsten koordiniere ich Projekte",
]

QUESTIONS = [
    "Was heißt verhandlungssicher?",
    "Brauche ich ein Studium?",
    "Welche IHK-Weiterbildungen gibt es?",
    "Was macht man in der Projektassistenz?",
    "Was macht ein Back Office Assistant?",
]

# A reply to the last message of a quiz must contain one of these.
RECOMMENDATION_MARKERS = ("Empfehlung:", "gleichauf")


def quiz(rng: random.Random) -> List[str]:
    """One complete quiz, greeting to recommendation, in one of four shapes."""
    shape = rng.randrange(4)
    greet = rng.choice(GREETINGS)
    if shape == 0:  # question by question
        return [
            greet,
            rng.choice(START),
            rng.choice(TRAINING),
            rng.choice(LANGUAGES),
            rng.choice(TASKS),
        ]
    if shape == 1:  # two answers at once, then the third
        return [greet, rng.choice(COMBINED), rng.choice(TASKS)]
    if shape == 2:  # a question in the middle of the quiz
        return [
            greet,
            rng.choice(START),
            rng.choice(TRAINING),
            rng.choice(QUESTIONS),
            rng.choice(LANGUAGES),
            rng.choice(TASKS),
        ]
    return [greet, rng.choice(ALL_IN_ONE)]  # everything in the first answer


# The stock `rasa init` bot (moodbot) gets its own simple messages, same rate.
STOCK_CONVERSATIONS = [
    ["hello", "I am sad", "yes", "goodbye"],
    ["hi", "not good", "no", "bye"],
    ["hey there", "I am great", "goodbye"],
    ["good morning", "are you a bot?", "very sad", "yes", "see you later"],
    ["hello", "I am feeling very good", "thanks, bye"],
]


def stock_conversation(rng: random.Random) -> List[str]:
    """One short moodbot conversation."""
    return list(rng.choice(STOCK_CONVERSATIONS))


# One cycle of the long conversation. With 24 messages per cycle, turn 289 starts
# cycle 13, so turns 289-300 repeat turns 1-12 word for word: the window at the end
# differs from the window at the start only in the history behind it.
LONG_CYCLE = [
    "Hallo",
    "Quiz starten",
    "Ich bin Kauffrau für Büromanagement",
    "Was heißt verhandlungssicher?",
    "Englisch gut",
    "Ich organisiere gern Termine und Reisen für mein Team",
    "Warum?",
    "Ich spreche auch Englisch fließend",
    "Ich habe doch studiert",
    "Brauche ich ein Studium?",
    "Das hat mir geholfen",
    "Neu starten",
    "Ich bin Bankkauffrau und spreche fließend Englisch",
    "Welche IHK-Weiterbildungen gibt es?",
    '/inform{"task_preference": "specialist"}',
    "Warum?",
    "Was macht man in der Projektassistenz?",
    "Ich spreche auch Französisch gut",
    "Quiz starten",
    "Ich habe einen Master in BWL",
    "Tschechisch verhandlungssicher",
    "Am liebsten plane und koordiniere ich Projekte",
    "Neu starten",
    "Tschüss",
]


def long_conversation(turns: int = 300) -> List[str]:
    """`turns` messages: quizzes, corrections, questions and restarts, in cycles."""
    return [LONG_CYCLE[i % len(LONG_CYCLE)] for i in range(turns)]
