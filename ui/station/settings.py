"""Per-machine station settings (QSettings): scanner timings and typed-entry policy.

[scanner]  burst_gap_ms=40  min_burst_length=4  unterminated_timeout_ms=250
           duplicate_window_ms=300  hotkey_delay_ms=200
[packing]  forbid_manual=false   ; true: item verification accepts scans only
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSettings

from ui.widgets.scan_input import ScanSettings

_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class StationSettings:
    scan: ScanSettings = field(default_factory=ScanSettings)
    forbid_manual: bool = False


def _positive(store: QSettings, key: str, default: float) -> float:
    try:
        value = float(str(store.value(f"scanner/{key}", default)))
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def load_station_settings(store: QSettings) -> StationSettings:
    """Read the settings, keeping the default for anything missing or unreadable."""
    base = ScanSettings()
    scan = ScanSettings(
        burst_gap_ms=_positive(store, "burst_gap_ms", base.burst_gap_ms),
        min_burst_length=int(_positive(store, "min_burst_length", base.min_burst_length)),
        unterminated_timeout_ms=int(
            _positive(store, "unterminated_timeout_ms", base.unterminated_timeout_ms)
        ),
        duplicate_window_ms=_positive(store, "duplicate_window_ms", base.duplicate_window_ms),
        hotkey_delay_ms=int(_positive(store, "hotkey_delay_ms", base.hotkey_delay_ms)),
    )
    forbid = str(store.value("packing/forbid_manual", "false")).strip().lower() in _TRUE
    return StationSettings(scan, forbid)
