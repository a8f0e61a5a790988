"""Rasa SDK glue: the custom actions the action server runs (rasa_sdk imports every module here).

The logic they call lives in the plain-Python package career_quiz.
"""
