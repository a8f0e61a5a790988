"""The confirmation line after each answer, "Notiert: ..." (career_quiz/summary.py):
plain Python, no servers.
"""

from __future__ import annotations

from career_quiz.summary import describe_updates


def test_confirmation_names_what_was_stored():
    line = describe_updates({}, {"training": ["commercial_other"]})
    assert line == "Notiert: kaufmännische Ausbildung."
    line = describe_updates({}, {"languages": ["en:fluent", "fr:basic"]})
    assert line == "Notiert: Englisch fließend; Französisch Grundkenntnisse."
    assert describe_updates({}, {"languages": []}) == "Notiert: keine Fremdsprachen."
    assert describe_updates({}, {"training": []}) == "Notiert: Ausbildung: keine Angabe."
    assert describe_updates({}, {"training": []}, skipped=["training"]) == (
        "Notiert: Ausbildung: übersprungen."
    )


def test_confirmation_after_a_correction_says_changed():
    line = describe_updates({"task_preference": "assistance"}, {"task_preference": "projects"})
    assert line == "Geändert: am liebsten Projekte planen und koordinieren."
    assert describe_updates({}, {}) is None


def test_confirmation_uses_the_users_title(parser):
    parsed = parser.parse("Ich bin Industriekauffrau", "training")
    line = describe_updates({}, {"training": ["commercial_other"]}, parsed)
    # The visitor's title, not the quiz's category label beside it.
    assert line == "Notiert: Industriekauffrau."


def test_a_title_typed_in_lowercase_is_echoed_as_a_title_is_written(parser):
    # Visitor finding: "Notiert: Kauffrau für büromanagement." echoed the typing.
    parsed = parser.parse("Kauffrau für büromanagement", "training")
    line = describe_updates({}, {"training": ["office"]}, parsed)
    assert line == "Notiert: Kauffrau für Büromanagement."
    parsed = parser.parse("ich bin kauffrau im groß- und außenhandel", "training")
    line = describe_updates({}, {"training": ["commercial_other"]}, parsed)
    assert line == "Notiert: Kauffrau im Groß- und Außenhandel."
    parsed = parser.parse("ich bin it-systemkauffrau", "training")
    line = describe_updates({}, {"training": ["finance_hr_it"]}, parsed)
    assert line == "Notiert: IT-Systemkauffrau."
