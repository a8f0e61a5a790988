"""Extensions loaded by the Rasa server (not the action server): REST and socket.io
channels that check every message and answer outages (input_checks.py, guard.py,
outage.py), a tracker store whose errors fail one request, an NLU guard for over-long
messages and a speed-up for Rasa's validation of action-server responses.

Rasa imports this package when it loads the model (config.yml components) or the
channels (credentials.yml); the speed-up is applied then (rasa_addons/speedups.py).
"""

from rasa_addons import speedups

speedups.apply()
