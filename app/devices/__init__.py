"""Devices attached to a station, read without Qt."""
