"""Printing from the desk: the system printer through Qt, previews, label batches."""
