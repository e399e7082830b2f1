"""Dialogs of the back office: order actions, manual orders, stock counts, printers."""
