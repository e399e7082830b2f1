"""The screens in the main window's stack, one per sidebar area."""
