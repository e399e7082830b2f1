"""MainWindow: a sidebar of the areas that exist, the chosen area, and a status bar."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.order_query import OrderQuery
from app.domain.permissions import allowed, role_name
from ui.backup_scheduler import DailyBackupScheduler
from ui.context import UiContext
from ui.email_sender_scheduler import EmailSenderScheduler
from ui.live_refresh import LiveRefresh
from ui.settings.settings_view import SettingsView
from ui.views.audit_view import AuditView
from ui.views.dashboard_view import DashboardView
from ui.views.inventory_view import InventoryView
from ui.views.orders_view import OrdersView
from ui.views.outbox_view import OutboxView
from ui.views.print_jobs_view import PrintJobsView
from ui.views.returns_view import ReturnsView
from ui.views.users_view import UsersView
from ui.widgets.elided_label import ElidedLabel

SIDEBAR_ROW_HEIGHT = 36


class MainWindow(QMainWindow):
    """The desk: one sidebar entry per area, each area a page in a stack."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Shipshape")
        self.orders_view = OrdersView(ctx)
        self.orders_view.setObjectName("ordersPage")
        self.inventory_view = InventoryView(ctx)
        self.inventory_view.setObjectName("inventoryPage")
        self.print_jobs_view = PrintJobsView(ctx)
        self.print_jobs_view.setObjectName("printJobsPage")
        self.pages = QStackedWidget()
        self.sidebar_list = QListWidget()
        self.sidebar_list.setObjectName("sidebarList")
        self._add_area("Orders", self.orders_view)
        self.dashboard_view: DashboardView | None = None
        if allowed(ctx.actor.role, "report.view"):
            self.dashboard_view = DashboardView(ctx)
            self.dashboard_view.setObjectName("dashboardPage")
            self.dashboard_view.order_opened.connect(self._on_dashboard_order_opened)
            self.dashboard_view.query_opened.connect(self._on_dashboard_query_opened)
            self._add_area("Dashboard", self.dashboard_view)
        self._add_area("Inventory", self.inventory_view)
        self._add_area("Print jobs", self.print_jobs_view)
        self.email_sender = EmailSenderScheduler(ctx, self.statusBar(), parent=self)
        self.outbox_view = OutboxView(ctx, send_now=self.email_sender.run_now)
        self.outbox_view.setObjectName("outboxPage")
        self._add_area("E-mails", self.outbox_view)
        self.returns_view = ReturnsView(ctx)
        self.returns_view.setObjectName("returnsPage")
        self._add_area("Returns", self.returns_view)
        self.settings_view = SettingsView(ctx)
        self._add_area("Settings", self.settings_view)
        if allowed(ctx.actor.role, "audit.view"):
            self.audit_view = AuditView(ctx)
            self._add_area("Audit", self.audit_view)
        if allowed(ctx.actor.role, "users.manage"):
            self.users_view = UsersView(ctx)
            self._add_area("Users", self.users_view)
        self.sidebar_list.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar_list.setCurrentRow(0)

        brand = QLabel("Shipshape")
        brand.setObjectName("brand")
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(140)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(brand)
        side.addWidget(self.sidebar_list, 1)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(sidebar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.status_label = ElidedLabel(
            f"Database: {ctx.database_label}    ·    Station: {ctx.station or 'desk'}"
            f"    ·    User: {ctx.actor.username} ({role_name(ctx.actor.role)})"
            + ("" if ctx.actor.user_id else "    ·    no log-in: anyone can do anything"),
            mode=Qt.TextElideMode.ElideMiddle,  # a long path shortened, the user still named
        )
        self.statusBar().addWidget(self.status_label, 1)
        self.daily_backup = DailyBackupScheduler(ctx, self.statusBar(), parent=self)
        self.daily_backup.start()
        self.email_sender.start()
        self.live_refresh = LiveRefresh(ctx, self)  # other stations' changes appear
        self.live_refresh.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live_refresh.stop()
        super().closeEvent(event)

    def _on_dashboard_order_opened(self, number: str) -> None:
        self.sidebar_list.setCurrentRow(self.pages.indexOf(self.orders_view))
        self.orders_view.open_order(number)

    def _on_dashboard_query_opened(self, query: OrderQuery) -> None:
        self.sidebar_list.setCurrentRow(self.pages.indexOf(self.orders_view))
        self.orders_view.show_query(query)

    def _add_area(self, title: str, page: QWidget) -> None:
        item = QListWidgetItem(title)
        item.setSizeHint(QSize(0, SIDEBAR_ROW_HEIGHT))  # the style sheet's padding is not counted
        self.sidebar_list.addItem(item)
        self.pages.addWidget(page)
