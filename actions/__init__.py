"""Career-quiz assistant: Rasa SDK glue (actions.py) plus plain-Python logic modules."""
