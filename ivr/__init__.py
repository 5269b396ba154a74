"""The IPT self-referral phone line: a Flask app answering Twilio's voice webhooks.

The parts, one package each: `callflow` (the pure call engine), `voice` (Twilio's webhooks), `directory`
(GP practices), `upkeep` (spool, replay, retention), `staff` (the dashboard), `tools` (trying the line).
`app.create_app` wires them together.
"""
