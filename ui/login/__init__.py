"""Logging in: the desk's name and password, a station's badge and PIN, the idle lock."""
