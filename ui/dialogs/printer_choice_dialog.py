"""PrinterChoiceDialog: where to print - a file, a folder, a network or CUPS label printer,
or a system printer - and, for a batch, in which format."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

KINDS = {
    "file": ("Save to a file", "Full path of the file to write"),
    "folder": ("A folder (print server or hot folder)", "Folder the print server watches"),
    "tcp": ("Network label printer (raw, port 9100)", "host:port, e.g. 192.168.1.50:9100"),
    "cups": ("CUPS queue", "Queue name, e.g. Zebra_ZD421"),
    "system": ("System printer (chosen in the next step)", ""),
}
HOST_PORT = re.compile(r"[A-Za-z0-9.\-\[\]:]+?(:\d{1,5})?")


@dataclass(frozen=True)
class PrintTarget:
    """A chosen destination: `kind` (a KINDS key) and its address."""

    kind: str
    value: str = ""

    @property
    def spec(self) -> str:
        """The printer string `print_job` and `printer_for` take (files have none)."""
        prefixes = {"folder": "folder:", "tcp": "tcp://", "cups": "cups:", "system": "system"}
        return prefixes[self.kind] + (self.value if self.kind != "system" else "")


def target_problem(target: PrintTarget, fmt: str) -> str | None:
    """Why `target` cannot take a `fmt` document, or None if it can."""
    if target.kind != "system" and not target.value:
        return f"Type the {KINDS[target.kind][1].split(',')[0].lower()}"
    if target.kind == "tcp" and not HOST_PORT.fullmatch(target.value):
        return "Type the printer as host:port, e.g. 192.168.1.50:9100"
    if target.kind == "tcp" and fmt != "zpl":
        return "Network label printers take ZPL: choose ZPL, or another printer for PDF"
    if target.kind == "system" and fmt != "pdf":
        return "The system printer takes PDF: send ZPL to a network or CUPS label printer"
    if target.kind == "file" and not Path(target.value).parent.is_dir():
        return f"There is no folder {Path(target.value).parent}"
    return None


class PrinterChoiceDialog(QDialog):
    """`fmt` fixed (a job's format) or None to offer PDF and ZPL; `target()` once accepted."""

    def __init__(
        self,
        *,
        title: str,
        fmt: str | None,
        allow_file: bool,
        initial: PrintTarget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._fixed_fmt = fmt
        self.kind_combo = QComboBox()
        for kind, (text, _hint) in KINDS.items():
            if allow_file or kind != "file":
                self.kind_combo.addItem(text, kind)
        self.value_edit = QLineEdit()
        self.browse_button = QPushButton("Browse…")
        self.format_combo = QComboBox()
        self.format_combo.addItem("PDF (office or system printer, archive)", "pdf")
        self.format_combo.addItem("ZPL (Zebra-compatible label printer)", "zpl")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b91c1c;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)

        address = QHBoxLayout()
        address.addWidget(self.value_edit, 1)
        address.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow("Send to", self.kind_combo)
        form.addRow("Address", address)
        if fmt is None:
            form.addRow("Format", self.format_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.value_edit.textEdited.connect(self.error_label.hide)
        if initial is not None and self.kind_combo.findData(initial.kind) >= 0:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(initial.kind))
            self.value_edit.setText(initial.value)
        self._on_kind_combo_changed()

    def fmt(self) -> str:
        return self._fixed_fmt or str(self.format_combo.currentData())

    def target(self) -> PrintTarget:
        kind = str(self.kind_combo.currentData())
        value = self.value_edit.text().strip() if kind != "system" else ""
        if kind == "tcp":
            value = value.removeprefix("tcp://")
        return PrintTarget(kind, value)

    def choose(self, kind: str, value: str = "") -> None:
        """Select `kind` with `value` (for a remembered choice, or a test)."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self.value_edit.setText(value)

    def _on_kind_combo_changed(self) -> None:
        kind = str(self.kind_combo.currentData())
        self.value_edit.setPlaceholderText(KINDS[kind][1])
        self.value_edit.setEnabled(kind != "system")
        self.browse_button.setEnabled(kind in ("file", "folder"))
        self.error_label.hide()

    def _on_browse_button_clicked(self) -> None:
        if self.kind_combo.currentData() == "folder":
            chosen = QFileDialog.getExistingDirectory(self, "Print folder", self.value_edit.text())
        else:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save labels as", self.value_edit.text(), f"*.{self.fmt()}"
            )
        if chosen:
            self.value_edit.setText(chosen)

    def _on_buttons_accepted(self) -> None:
        problem = target_problem(self.target(), self.fmt())
        if problem is None:
            self.accept()
            return
        self.error_label.setText(problem)
        self.error_label.show()
