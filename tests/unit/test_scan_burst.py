import pytest

from app.domain.scan_burst import PARTIAL_SCAN_DISCARDED, BurstDetector, BurstResult
from app.domain.scan_reading import read_scan

SCANNER_GAP_MS = 8
HUMAN_GAP_MS = 180


def type_keys(detector: BurstDetector, text: str, start_ms: float, gap_ms: float) -> float:
    """Feed `text` one key every `gap_ms`; return the time of the last key."""
    t = start_ms
    for i, char in enumerate(text):
        t = start_ms + i * gap_ms
        detector.feed(char, t)
    return t


def test_a_fast_burst_ended_by_enter_is_a_scan() -> None:
    detector = BurstDetector()
    last = type_keys(detector, "4006381333931", 0, SCANNER_GAP_MS)
    result = detector.finish(last + SCANNER_GAP_MS, "\r")
    assert result == BurstResult("4006381333931", manual=False, partial_discarded=False)
    assert result.message is None


def test_slow_typing_is_manual_entry() -> None:
    detector = BurstDetector()
    last = type_keys(detector, "SKU-123", 0, HUMAN_GAP_MS)
    result = detector.finish(last + HUMAN_GAP_MS, "\r")
    assert (result.text, result.manual, result.partial_discarded) == ("SKU-123", True, False)


def test_a_few_quick_keys_are_too_short_to_be_a_scanner() -> None:
    detector = BurstDetector()
    last = type_keys(detector, "A12", 0, SCANNER_GAP_MS)
    assert detector.finish(last + SCANNER_GAP_MS, "\r").manual


def test_human_keys_before_a_burst_discard_the_partial_scan() -> None:
    detector = BurstDetector()
    last = type_keys(detector, "12", 0, HUMAN_GAP_MS)
    last = type_keys(detector, "4006381333931", last + HUMAN_GAP_MS, SCANNER_GAP_MS)
    result = detector.finish(last + SCANNER_GAP_MS, "\r")
    assert result.partial_discarded
    assert not result.manual
    assert result.message == PARTIAL_SCAN_DISCARDED == "Partial scan discarded - rescan"


def test_human_keys_after_a_burst_discard_the_partial_scan() -> None:
    detector = BurstDetector()
    last = type_keys(detector, "400638133", 0, SCANNER_GAP_MS)
    last = type_keys(detector, "3931", last + HUMAN_GAP_MS, HUMAN_GAP_MS)
    assert detector.finish(last + HUMAN_GAP_MS, "\r").partial_discarded


def test_two_bursts_without_enter_between_them_are_discarded() -> None:
    detector = BurstDetector()
    last = type_keys(detector, "4006381333931", 0, SCANNER_GAP_MS)
    last = type_keys(detector, "036000291452", last + 500, SCANNER_GAP_MS)
    assert detector.finish(last + SCANNER_GAP_MS, "\r").partial_discarded


def test_a_burst_confirmed_by_a_slow_enter_is_kept_but_recorded_as_manual() -> None:
    detector = BurstDetector()
    last = type_keys(detector, "4006381333931", 0, SCANNER_GAP_MS)
    result = detector.finish(last + 900, "\r")
    assert (result.text, result.manual, result.partial_discarded) == (
        "4006381333931",
        True,
        False,
    )


def test_a_gap_exactly_at_the_threshold_still_counts_as_fast() -> None:
    detector = BurstDetector(max_gap_ms=40)
    last = type_keys(detector, "ABCD", 0, 40)
    assert not detector.finish(last + 40, "\t").manual


def test_twelve_digits_then_a_timeout_read_as_an_incomplete_barcode() -> None:
    detector = BurstDetector()
    last = type_keys(detector, "400638133393", 0, SCANNER_GAP_MS)
    result = detector.finish(last + 300, None)
    assert not result.manual
    assert read_scan(result.text).error == "Incomplete barcode (12 of 13 digits)"


def test_a_bare_enter_gives_empty_text() -> None:
    result = BurstDetector().finish(0, "\r")
    assert (result.text, result.partial_discarded) == ("", False)


def test_finish_leaves_the_detector_ready_for_the_next_scan() -> None:
    detector = BurstDetector()
    type_keys(detector, "12", 0, HUMAN_GAP_MS)
    detector.finish(1000, "\r")
    last = type_keys(detector, "4006381333931", 2000, SCANNER_GAP_MS)
    result = detector.finish(last + SCANNER_GAP_MS, "\r")
    assert (result.text, result.manual, result.partial_discarded) == (
        "4006381333931",
        False,
        False,
    )


def test_reset_forgets_the_keys_typed_so_far() -> None:
    detector = BurstDetector()
    type_keys(detector, "junk", 0, HUMAN_GAP_MS)
    detector.reset()
    assert detector.finish(5000, "\r").text == ""


@pytest.mark.parametrize(("max_gap_ms", "min_length"), [(0, 4), (-5, 4), (40, 0)])
def test_nonsense_thresholds_are_refused(max_gap_ms: float, min_length: int) -> None:
    with pytest.raises(ValueError):
        BurstDetector(max_gap_ms=max_gap_ms, min_length=min_length)
