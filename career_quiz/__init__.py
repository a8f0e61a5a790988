"""The career quiz's domain: slot contract, answer parsing, recommender, results
repository and outbox, lexicon, spaCy pipeline, settings and the developer CLI.

Plain Python. It imports neither rasa, rasa_sdk, actions nor rasa_addons (the contract
in .importlinter, checked by `make lint`), so every part runs and is tested without a
Rasa server.
"""
