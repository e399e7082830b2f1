"""What the packer is asked to do next: the idle page, and the prompt under the lines."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from ui.station.box_types import STANDARD_BOXES, BoxCatalogue, BoxChoice
from ui.station.pack_steps import Step

IDLE_PROMPT = "Scan an order, pick list or tote\nor press N for the next order"
PROMPTS = {
    Step.OPENING: "Opening the order…",
    Step.SCANNING: "Scan each item   ·   * = several of the next item",
    Step.QUANTITY: "How many of the next item?   Type the number + Enter   ·   Esc = one",
    Step.BOX: "Choose the box: press its number or scan its B: code",
    Step.COMPLETING: "Saving the pack and queueing the label…",
    Step.CONFIRM_RELEASE: "Release this order?   Enter = release   ·   Esc = keep packing",
    Step.RELEASING: "Releasing the order…",
}


class IdlePanelWidget(QWidget):
    """Between orders: one big instruction, and what happened to the last order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        prompt = QLabel(IDLE_PROMPT)
        prompt.setObjectName("idlePrompt")
        hint = QLabel("Scan the O: code on the packing slip, the pick list, or the tote label")
        hint.setObjectName("idleHint")
        self.last_result_label = QLabel()
        self.last_result_label.setObjectName("lastResult")
        self.last_result_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.addStretch(2)
        for label in (prompt, hint, self.last_result_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)
            layout.addSpacing(18)
        layout.addStretch(3)


class StepPanelWidget(QStackedWidget):
    """A one-line prompt, or at the box step the four box tiles."""

    def __init__(
        self, parent: QWidget | None = None, *, boxes: BoxCatalogue = STANDARD_BOXES
    ) -> None:
        super().__init__(parent)
        self.prompt_label = QLabel()
        self.prompt_label.setObjectName("stepPrompt")
        self.prompt_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt_label.setWordWrap(True)
        self.addWidget(self.prompt_label)

        tiles = QWidget()
        row = QHBoxLayout(tiles)
        row.setContentsMargins(24, 12, 24, 12)
        row.setSpacing(18)
        for box in boxes.choices:
            tile = QLabel(f"{box.key}\n{box.name} ({box.code})")
            tile.setObjectName("boxTile")
            tile.setWordWrap(True)
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row.addWidget(tile, 1)
        self.addWidget(tiles)
        self.setFixedHeight(112)
        self._step: Step = Step.IDLE
        self._box: BoxChoice | None = None

    def show_step(self, step: Step, box: BoxChoice | None) -> None:
        self._step, self._box = step, box
        self.prompt_label.setText(PROMPTS.get(step, ""))
        self.show_typed("")
        self.setCurrentIndex(1 if step is Step.BOX else 0)

    def show_typed(self, typed: str) -> None:
        """At the weight and quantity steps, the digits typed so far."""
        if self._step is Step.QUANTITY and typed:
            self.prompt_label.setText(f"The next scan counts  {typed}   ·   Enter to confirm")
        if self._step is Step.WEIGHT and self._box is not None:
            weight = f"{typed} g" if typed else "type grams + Enter  ·  Enter alone = estimate"
            self.prompt_label.setText(f"{self._box.name} ({self._box.code})   Weight:  {weight}")
