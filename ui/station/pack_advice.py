"""The sentences the pack screen makes from box advice: which box, what it should weigh."""

from __future__ import annotations

from app.domain.weight_check import format_kg
from app.services.box_advice import BoxAdvice
from ui.station.box_types import BoxCatalogue, BoxChoice


def suggested_box(advice: BoxAdvice | None, boxes: BoxCatalogue) -> BoxChoice | None:
    if advice is None or advice.suggestion.code is None:
        return None
    return boxes.by_code(advice.suggestion.code)


def suggestion_prompt(advice: BoxAdvice | None, boxes: BoxCatalogue) -> str:
    """The box step's prompt: the suggestion and how to take it, or why there is none."""
    box = suggested_box(advice, boxes)
    if box is not None and advice is not None:
        key = f" or {box.key}" if box.key else ""
        text = f"Suggested: {box.code} - {box.name}   ·   Enter{key} = take it, or choose another"
        unknown = [
            f"no {what} for {', '.join(skus)}"
            for what, skus in (
                ("size", advice.suggestion.missing_dimensions),
                ("weight", advice.suggestion.missing_weight),
            )
            if skus
        ]
        return f"{text}\n(a guess: {'; '.join(unknown)})" if unknown else text
    if advice is None:
        return "Choose the box: press its number or scan its B: code"
    return f"No box suggested: {advice.suggestion.reason} - choose one"


def weight_context(advice: BoxAdvice | None, box: BoxChoice) -> str:
    """The chosen box and what the parcel should weigh in it (products plus the box)."""
    chosen = f"{box.code} - {box.name}"
    if advice is None:
        return chosen
    expected = advice.expected_g(box.code)
    if expected is not None:
        return f"{chosen}   ·   expected {format_kg(expected)}"
    least = format_kg(advice.known_g(box.code))
    missing = ", ".join(advice.suggestion.missing_weight)
    return f"{chosen}   ·   expected at least {least} (no weight for {missing})"
