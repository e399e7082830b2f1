"""Tell a keyboard-wedge scanner from a human typing, by the time between keys.

The rule: keys no more than `max_gap_ms` apart form a run; a run of at least
`min_length` characters is a scanner burst.

- One burst and nothing else, ended by a terminator no slower than the keys: a scan.
- No burst at all (slow keys, or too few characters): manual entry.
- A burst followed by a slow terminator: a scan confirmed by hand (a scanner without
  an Enter suffix), recorded as manual.
- A burst plus any other run (human keys before or after it, or two bursts): a mixed
  input whose text cannot be trusted - discarded, and the packer asked to rescan.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

PARTIAL_SCAN_DISCARDED = "Partial scan discarded - rescan"


@dataclass(frozen=True)
class BurstResult:
    """`text` is always what was typed (for the scan log); act on it only if not discarded."""

    text: str
    manual: bool
    partial_discarded: bool

    @property
    def message(self) -> str | None:
        return PARTIAL_SCAN_DISCARDED if self.partial_discarded else None


class BurstDetector:
    """Collects timed keys until Enter, Tab or a timeout, then classifies them."""

    def __init__(self, max_gap_ms: float = 40, min_length: int = 4) -> None:
        if max_gap_ms <= 0 or min_length < 1:
            raise ValueError("max_gap_ms must be positive and min_length at least 1")
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self._keys: list[tuple[str, float]] = []

    def feed(self, char: str, t_ms: float) -> None:
        self._keys.append((char, t_ms))

    def finish(self, t_ms: float, terminator: str | None) -> BurstResult:
        """End the input at `t_ms` with `terminator` ("\\r", "\\t"; None on a timeout).

        The detector is reset, ready for the next scan.
        """
        text = "".join(char for char, _ in self._keys)
        times = [t for _, t in self._keys]
        runs = self._run_lengths(times)
        bursts = sum(length >= self.min_length for length in runs)
        slow_end = terminator is not None and bool(times) and t_ms - times[-1] > self.max_gap_ms
        self.reset()
        if bursts and len(runs) > 1:
            return BurstResult(text, manual=False, partial_discarded=True)
        return BurstResult(text, manual=not bursts or slow_end, partial_discarded=False)

    def reset(self) -> None:
        self._keys.clear()

    def _run_lengths(self, times: list[float]) -> list[int]:
        runs = [1] if times else []
        for earlier, later in pairwise(times):
            if later - earlier <= self.max_gap_ms:
                runs[-1] += 1
            else:
                runs.append(1)
        return runs
