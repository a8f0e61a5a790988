"""Extensions loaded by the Rasa server (not the action server): a hardened REST
channel and an NLU guard for over-long messages."""
