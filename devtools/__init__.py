"""Development plumbing shared by tests/ and bench/: starting and stopping the servers,
throw-away databases, process trees and the contextual evaluation. Never imported by
the product (career_quiz, actions, rasa_addons).
"""
