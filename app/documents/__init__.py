"""Printed documents (labels, slips, pick lists) rendered from plain data; no Qt, no DB."""
