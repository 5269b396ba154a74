"""Helpers and fakes shared by the tests (imported, never collected)."""
