"""Who is acting, and where: stamped on every audit event and scan."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    username: str
    station: str
    user_id: int | None = None
    role: str = "supervisor"


def system_actor(station: str = "cli") -> Actor:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "system"
    return Actor(username=name, station=station)
