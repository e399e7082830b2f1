"""Who may do what: one table of roles by actions.

The services call `require(role, action)` (through app.services.access.authorize,
which reads the user's current role) before they change anything; the GUI asks
`allowed` to hide what a user may not do. Add a new action here, with the phrase
that finishes "a packer may not ...", and grant it to the roles that need it.
"""

from __future__ import annotations

from app.errors import PermissionDenied

# Role codes as stored in users.role, and how a sentence names them.
ROLE_NAMES: dict[str, str] = {
    "admin": "administrator",
    "supervisor": "supervisor",
    "packer": "packer",
    "picker": "picker",
    "service": "customer service agent",
    "returns": "returns clerk",
}
ROLES = tuple(ROLE_NAMES)

# Every action a service checks, and what it does in words.
ACTIONS: dict[str, str] = {
    "order.create": "create orders",
    "order.import": "import orders",
    "order.edit": "edit orders",
    "order.cancel": "cancel orders",
    "order.hold": "put orders on hold",
    "order.release": "release held orders",
    "order.note": "add notes to orders",
    "risk.release_over_threshold": "release a risk hold on an order over the threshold value",
    "stock.adjust": "adjust stock",
    "stock.receive": "receive stock",
    "stock.put_away": "put units of a cancelled order back into stock",
    "catalogue.edit": "change products, locations, boxes, carriers or channels",
    "pick_list.build": "build pick lists",
    "pick": "pick orders",
    "pack": "pack orders",
    "pack.release": "free an order from another station",
    "pack.unverified": "pack an order without scanning its items",
    "ship": "dispatch parcels",
    "return.create": "create returns",
    "return.receive": "receive returns",
    "refund.issue": "issue refunds",
    "email.resend": "resend e-mails to customers",
    "tracking.import": "import carrier tracking events",
    "report.view": "view reports",
    "audit.view": "view the audit trail",
    "settings.change": "change the site's settings",
    "station.configure": "set up a station's devices",
    "users.manage": "manage users",
    "demo.load": "load demo data",
}

_EVERYONE = frozenset(ROLES)
_OFFICE = frozenset({"admin", "supervisor", "service"})
_LEADS = frozenset({"admin", "supervisor"})
_ADMIN = frozenset({"admin"})

# action -> the roles that may do it. Anything not listed for a role is refused.
GRANTS: dict[str, frozenset[str]] = {
    "order.create": _OFFICE,
    "order.import": _LEADS,
    "order.edit": _OFFICE,
    "order.cancel": _OFFICE,
    "order.hold": _OFFICE,
    "order.release": _OFFICE,
    "order.note": _EVERYONE - {"picker"},
    "risk.release_over_threshold": _LEADS,
    "stock.adjust": _LEADS,
    "stock.receive": _LEADS,
    "stock.put_away": _LEADS | {"picker", "returns"},
    "catalogue.edit": _LEADS,
    "pick_list.build": _LEADS,
    "pick": _LEADS | {"picker"},
    "pack": _LEADS | {"packer"},
    "pack.release": _LEADS,
    "pack.unverified": _LEADS,
    "ship": _LEADS | {"packer"},
    "return.create": _OFFICE | {"returns"},
    "return.receive": _LEADS | {"returns"},
    "refund.issue": _OFFICE,
    "email.resend": _OFFICE,
    "tracking.import": _OFFICE,
    "report.view": _OFFICE,
    "audit.view": _LEADS,
    "settings.change": _ADMIN,
    "station.configure": _LEADS,
    "users.manage": _ADMIN,
    "demo.load": _ADMIN,
}


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def with_article(role: str) -> str:
    """'a packer', 'an administrator'."""
    name = role_name(role)
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def allowed(role: str, action: str) -> bool:
    """Whether `role` may do `action`; an action missing from the table is a bug."""
    if action not in GRANTS:
        raise KeyError(f"no permission is defined for action {action!r}")
    return role in GRANTS[action]


def refusal(role: str, action: str) -> str:
    """The sentence a refused user reads: 'a packer may not cancel orders'."""
    return f"{with_article(role)} may not {ACTIONS[action]}"


def require(role: str, action: str) -> None:
    """Raise PermissionDenied with the refusal sentence unless `role` may do `action`."""
    if not allowed(role, action):
        raise PermissionDenied(refusal(role, action))


def roles_allowed(action: str) -> list[str]:
    """The roles that may do `action`, in table order (for help text and the users screen)."""
    return [role for role in ROLES if allowed(role, action)]
