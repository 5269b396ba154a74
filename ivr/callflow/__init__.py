"""The call as data, run by a pure engine: flows, prompts, answer readers, practice matching. No Flask, no database."""
