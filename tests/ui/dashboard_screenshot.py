"""Render the Dashboard and a PDF report page for the README, on the benchmark's
generated history (20,000 orders over two years, built in a few seconds).

QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.dashboard_screenshot [DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pypdfium2
from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.services.reports import ReportQuery
from app.services.reports.files import save_pdf
from db.engine import open_database
from tests.benchmarks.reports import build
from tests.ui.backoffice.screenshots import _wait_until
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import apply_theme
from ui.views.dashboard_view import DashboardView

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _load_and_drill(dashboard: DashboardView) -> None:
    """Wait for every chart, then click a late bar near the end of the range."""
    loaded: list[bool] = []
    dashboard.reports_loaded.connect(lambda: loaded.append(True))
    if not dashboard.isVisible():
        dashboard.show()
    _wait_until(lambda: bool(loaded), 30_000)
    daily = dashboard.panels["daily"]
    daily.bar_sets["late"].clicked.emit(len(daily.report.rows) - 3 if daily.report else 0)
    _wait_until(lambda: "loading" not in dashboard.drill_title.text())


def main(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)
    folder = Path(tempfile.mkdtemp())
    build(folder / "history.db", 20_000)
    db = open_database(f"sqlite:///{folder / 'history.db'}")
    actor = Actor(username="supervisor", station="desk")
    ctx = UiContext.open(db, actor, station=None)
    window = MainWindow(ctx)
    window.resize(1400, 900)
    window.show()
    assert window.dashboard_view is not None  # the supervisor may view reports
    window.sidebar_list.setCurrentRow(window.pages.indexOf(window.dashboard_view))
    _load_and_drill(window.dashboard_view)
    window.grab().save(str(out / "dashboard.png"))
    window.close()
    # The space a 1024 x 600 screen leaves the area beside the sidebar (the Orders view,
    # not this one, sets the main window's minimum width).
    small = DashboardView(ctx)
    small.resize(1024 - 140, 600 - 24)
    small.show()
    _load_and_drill(small)
    small.grab().save(str(out / "dashboard-1024x600.png"))
    pages = save_pdf(db, actor, ["daily", "cycle-times"], ReportQuery(), folder / "r.pdf")
    pdf = pypdfium2.PdfDocument(str(folder / "r.pdf"))
    assert len(pdf) == pages
    pdf[0].render(scale=1.4).to_pil().save(out / "report-daily-pdf.png")
    ctx.tasks.shutdown()
    db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS)
