"""The first run: a site whose required settings are missing is offered the set-up wizard
(the demo warehouse sets everything up itself, so it never is)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.services.settings import SettingView, list_settings
from ui.context import UiContext
from ui.operations import QueryOp
from ui.settings.setup_wizard import SetupWizard


def needs_setup(views: list[SettingView]) -> bool:
    return any(view.required and not view.value for view in views)


def open_setup_wizard(
    ctx: UiContext,
    parent: QWidget,
    *,
    only_if_needed: bool = False,
    on_done: Callable[[], None] | None = None,
) -> None:
    """Load the current settings, then open the wizard over `parent` (window-modal)."""

    def show(views: list[SettingView]) -> None:
        if only_if_needed and not needs_setup(views):
            return
        wizard = SetupWizard(ctx, views, parent)
        if on_done is not None:
            wizard.finished.connect(lambda _result: on_done())
        wizard.finished.connect(wizard.deleteLater)
        wizard.open()

    QueryOp(parent, ctx, list_settings).success(show).run()


def offer_first_run_setup(ctx: UiContext, window: QWidget) -> None:
    """Open the wizard over `window` if the site lacks settings a station needs."""
    open_setup_wizard(ctx, window, only_if_needed=True)
