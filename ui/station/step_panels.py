"""What the packer is asked to do next: the idle page, and the prompt under the lines
(at the box step, the box tiles with the suggested one highlighted)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ui.station.box_types import BoxCatalogue
from ui.station.pack_steps import Step
from ui.station.station_style import set_style_property

IDLE_PROMPT = "Scan an order, pick list or tote\nor press N for the next order"
IDLE_HINT = "Scan the O: code on the packing slip, the pick list, or the tote label"
NOT_SET_UP = "This station cannot pack yet"
TILES_PER_ROW = 5
PROMPTS = {
    Step.STARTING: "Reading this station's set-up…",
    Step.OPENING: "Opening the order…",
    Step.SCANNING: "Scan each item   ·   * = several of the next item",
    Step.QUANTITY: "How many of the next item?   Type the number + Enter   ·   Esc = one",
    Step.BOX: "Choose the box: press its number or scan its B: code",
    Step.COMPLETING: "Saving the pack…",
    Step.PRINTING: "Printing…",
    Step.PRINTER_FAILED: "The printer failed: R = retry  ·  E = elsewhere  ·  G = go on",
    Step.CONFIRM_RELEASE: "Release this order?   Enter = release   ·   Esc = keep packing",
    Step.RELEASING: "Releasing the order…",
}


def _centred(object_name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class IdlePanelWidget(QWidget):
    """Between orders: one big instruction (or what set-up is missing), and what
    happened to the last order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt_label = _centred("idlePrompt", IDLE_PROMPT)
        self.hint_label = _centred("idleHint", IDLE_HINT)
        self.problems_label = _centred("setupProblems")
        self.problems_label.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.problems_label.hide()
        self.last_result_label = _centred("lastResult")
        self._layout = QVBoxLayout(self)
        self._layout.addStretch(2)
        for label in (self.prompt_label, self.hint_label, self.problems_label):
            self._layout.addWidget(label)
        self._layout.addWidget(self.last_result_label)
        self._layout.addStretch(3)
        self.apply_scale(1.0)

    def apply_scale(self, scale: float) -> None:
        self._layout.setContentsMargins(*(round(m * scale) for m in (60, 30, 60, 30)))
        self._layout.setSpacing(round(18 * scale))

    def show_problems(self, problems: tuple[str, ...]) -> None:
        """The set-up sentences instead of the scan prompt; none: the scan prompt."""
        if problems:
            self.prompt_label.setText(NOT_SET_UP)
            self.hint_label.setText("Ask a supervisor to finish the set-up:")
            self.problems_label.setText("\n".join(f"•  {problem}" for problem in problems))
        else:
            self.prompt_label.setText(IDLE_PROMPT)
            self.hint_label.setText(IDLE_HINT)
        self.problems_label.setVisible(bool(problems))

    def problems(self) -> list[str]:
        text = self.problems_label.text() if self.problems_label.isVisible() else ""
        return [line.removeprefix("•  ") for line in text.splitlines()]


class StepPanelWidget(QWidget):
    """A prompt, and at the box step the box tiles (suggested one highlighted) under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt_label = _centred("stepPrompt")
        self.box_tiles = QWidget()
        self._grid = QGridLayout(self.box_tiles)
        self._tiles: dict[str, QLabel] = {}
        self._boxes = BoxCatalogue()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.box_tiles)
        self.box_tiles.hide()
        self._step: Step = Step.IDLE
        self.box_prompt = PROMPTS[Step.BOX]  # the suggestion, once known
        self.weight_context = ""  # the chosen box and the expected weight
        self.scale_text = ""  # what the scale says, when the station has one
        self.apply_scale(1.0)

    def apply_scale(self, scale: float) -> None:
        self._grid.setContentsMargins(*(round(m * scale) for m in (24, 4, 24, 14)))
        self._grid.setSpacing(round(14 * scale))

    def set_boxes(self, boxes: BoxCatalogue) -> None:
        """One tile per box type: its key, code and name, up to five a row."""
        if boxes == self._boxes:
            return
        self._boxes = boxes
        for tile in self._tiles.values():
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self._tiles = {}
        for i, box in enumerate(boxes.choices):
            key = f"{box.key}  ·  " if box.key else ""
            tile = _centred("boxTile", f"{key}{box.code}\n{box.name}")
            self._grid.addWidget(tile, i // TILES_PER_ROW, i % TILES_PER_ROW)
            self._tiles[box.code] = tile
        for column in range(TILES_PER_ROW):
            self._grid.setColumnStretch(column, 1)

    def tile(self, code: str) -> QLabel | None:
        return self._tiles.get(code)

    def suggest(self, code: str | None, text: str) -> None:
        """Highlight box `code` (None: none fits) and say why, at the box step."""
        for box_code, tile in self._tiles.items():
            suggested = str(box_code == code).lower()
            if tile.property("suggested") != suggested:
                set_style_property(tile, "suggested", suggested)
        self.box_prompt = text
        if self._step is Step.BOX:
            self.prompt_label.setText(text)

    def show_step(self, step: Step, prompt: str = "") -> None:
        """Show `step`'s prompt (or `prompt`, for a step that says more)."""
        self._step = step
        text = self.box_prompt if step is Step.BOX else PROMPTS.get(step, "")
        self.prompt_label.setText(prompt or text)
        self.box_tiles.setVisible(step is Step.BOX)
        self.show_typed("")

    def show_typed(self, typed: str) -> None:
        """At the weight and quantity steps, the digits typed so far."""
        if self._step is Step.QUANTITY and typed:
            self.prompt_label.setText(f"The next scan counts  {typed}   ·   Enter to confirm")
        if self._step is Step.WEIGHT:
            if typed:
                weight = f"{typed} g   ·   Enter to confirm"
            else:
                weight = self.scale_text or "type grams + Enter  ·  Enter alone = estimate"
            self.prompt_label.setText(f"{self.weight_context}\nWeight:  {weight}")
