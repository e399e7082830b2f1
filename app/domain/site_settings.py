"""The site's settings: every key, its meaning, its default and how it is checked.

One catalogue serves the set-up wizard, the Settings screen, `settings get|set` and the
exported settings document, so a key is checked the same way wherever it is typed.
A key whose default is None has no sensible made-up value: the site must set it before
the stations that need it can work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, available_timezones

from app.domain.risk import RiskSettings

Check = Callable[[str], str]  # normalised value, or ValueError with a sentence


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    section: str
    default: str | None
    check: Check
    help: str = ""
    choices: tuple[str, ...] = ()  # the only values the check accepts, for a drop-down
    secret: bool = False  # never shown, exported or audited (a password)


def _text(limit: int, *, required: bool = False) -> Check:
    def check(value: str) -> str:
        value = value.strip()
        if any(ord(c) < 32 for c in value):
            raise ValueError("control characters are not allowed")
        if len(value) > limit:
            raise ValueError(f"at most {limit} characters (got {len(value)})")
        if required and not value:
            raise ValueError("must not be empty")
        return value

    return check


def _choice(*options: str) -> Check:
    def check(value: str) -> str:
        value = value.strip().lower()
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)} (got {value!r})")
        return value

    return check


def _whole(low: int, high: int) -> Check:
    def check(value: str) -> str:
        text = value.strip()
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            raise ValueError(f"must be a whole number from {low} to {high} (got {value!r})")
        number = int(text)
        if not low <= number <= high:
            raise ValueError(f"must be from {low} to {high} (got {number})")
        return str(number)

    return check


def _decimal(low: Decimal, high: Decimal) -> Check:
    def check(value: str) -> str:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"must be a number (got {value!r})") from None
        if not number.is_finite() or not low <= number <= high:
            raise ValueError(f"must be from {low} to {high} (got {value!r})")
        return str(int(number)) if number == number.to_integral() else str(number)

    return check


def _choice_spec(
    key: str, label: str, section: str, default: str, options: tuple[str, ...]
) -> SettingSpec:
    return SettingSpec(key, label, section, default, _choice(*options), choices=options)


FLAG = ("true", "false")


def _flag(value: str) -> str:
    text = value.strip().lower()
    if text in ("1", "true", "yes", "on"):
        return "true"
    if text in ("0", "false", "no", "off"):
        return "false"
    raise ValueError(f"must be true or false (got {value!r})")


def _country(*, required: bool) -> Check:
    def check(value: str) -> str:
        text = value.strip().upper()
        if not text and not required:
            return ""
        if not re.fullmatch(r"[A-Z]{2}", text):
            raise ValueError(f"must be a two-letter ISO country code such as GB (got {value!r})")
        return text

    return check


def _timezone(value: str) -> str:
    text = value.strip()
    if text not in available_timezones() and text != "UTC":
        raise ValueError(f"unknown time zone {value!r} (use a name such as Europe/London)")
    ZoneInfo(text)
    return text


def check_gs1_prefix(value: str) -> str:
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"must be digits only (got {value!r})")
    if not 6 <= len(text) <= 12:
        raise ValueError(f"must be 6 to 12 digits long, as GS1 issued it (got {len(text)})")
    return text


_AFFIX = r"[A-Za-z0-9/_-]{0,12}"
ORDER_NUMBER_PATTERN = re.compile(_AFFIX + r"\{n(?::0([1-9]|1[0-2])d)?\}" + _AFFIX)


def check_order_number_format(value: str) -> str:
    text = value.strip()
    if not ORDER_NUMBER_PATTERN.fullmatch(text):
        raise ValueError(
            "must hold {n} once, optionally zero-padded as {n:06d}, with up to 12 letters, "
            f"digits, '-', '_' or '/' around it, e.g. SO-{{n}} (got {value!r})"
        )
    return text


def format_order_number(pattern: str, value: int) -> str:
    return pattern.format(n=value)


COMPANY = "Company"
LABELS = "Labels and GS1"
PACKING = "Packing"
BACKUP = "Backups"
RISK = "Risk rules"
RETURNS = "Returns"
EMAIL = "E-mail"

_ADDRESS_FIELDS = (
    ("name", "Name", 100),
    ("address1", "Address line 1", 200),
    ("address2", "Address line 2", 200),
    ("postcode", "Postcode", 20),
    ("city", "City", 100),
    ("region", "Region", 100),
)
REQUIRED_COMPANY_FIELDS = ("name", "address1", "postcode", "city", "country")


def _address(prefix: str, title: str, *, required: bool) -> list[SettingSpec]:
    specs = [
        SettingSpec(
            f"{prefix}.{name}",
            f"{title}: {label}",
            COMPANY,
            None if required and name in REQUIRED_COMPANY_FIELDS else "",
            _text(limit),
        )
        for name, label, limit in _ADDRESS_FIELDS
    ]
    specs.append(
        SettingSpec(
            f"{prefix}.country",
            f"{title}: Country",
            COMPANY,
            None if required else "",
            _country(required=required),
            "two-letter ISO code",
        )
    )
    return specs


def _host(value: str) -> str:
    text = value.strip()
    if text and not re.fullmatch(r"[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]+", text):
        raise ValueError(f"must be a host name or IP address (got {value!r})")
    return text


def _email_specs() -> list[SettingSpec]:
    return [
        _choice_spec("email.transport", "Send e-mails by", EMAIL, "folder", ("folder", "smtp")),
        SettingSpec(
            "email.folder",
            "Folder for .eml files",
            EMAIL,
            "",
            _text(500),
            "with the folder transport; empty: 'outbox' in the user's data folder",
        ),
        SettingSpec("smtp.host", "SMTP server", EMAIL, "", _host, "e.g. smtp.example.com"),
        SettingSpec("smtp.port", "SMTP port", EMAIL, "587", _whole(1, 65535)),
        SettingSpec(
            "smtp.security",
            "SMTP security",
            EMAIL,
            "starttls",
            _choice("starttls", "tls", "none"),
            "starttls: upgrade when offered, required to log in; tls: implicit TLS (465); "
            "none: a trusted relay, no log-in",
            choices=("starttls", "tls", "none"),
        ),
        SettingSpec("smtp.username", "SMTP user name", EMAIL, "", _text(255)),
        SettingSpec("smtp.password", "SMTP password", EMAIL, "", _text(255), secret=True),
        SettingSpec(
            "email.max_attempts",
            "Attempts before a message fails",
            EMAIL,
            "10",
            _whole(1, 100),
            "temporary refusals (4xx) only; while the server is down messages wait",
        ),
    ]


def _codes(value: str) -> str:
    """A comma-separated list of lower-case codes (letters, digits, _)."""
    codes = [code.strip().lower() for code in value.split(",") if code.strip()]
    bad = [code for code in codes if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", code)]
    if bad:
        raise ValueError(f"codes are letters, digits and _ only, up to 32 (got {bad[0]!r})")
    return ",".join(dict.fromkeys(codes))


def _reason_list(value: str) -> str:
    codes = _codes(value)
    if not codes:
        raise ValueError("name at least one return reason")
    return codes


def _returns_specs() -> list[SettingSpec]:
    return [
        SettingSpec(
            "returns.reasons",
            "Return reasons",
            RETURNS,
            "damaged,wrong_item,doesnt_fit,not_as_described,changed_mind",
            _reason_list,
            "codes the desk chooses from, comma-separated",
        ),
        SettingSpec(
            "returns.restocking_fee_percent",
            "Restocking fee (%)",
            RETURNS,
            "0",
            _decimal(Decimal(0), Decimal(100)),
            "kept from opened units and from fee reasons",
        ),
        SettingSpec(
            "returns.fee_reasons",
            "Reasons that pay the restocking fee",
            RETURNS,
            "changed_mind",
            _codes,
        ),
        _choice_spec(
            "returns.refund_shipping",
            "Refund shipping",
            RETURNS,
            "faulty",
            ("never", "faulty", "always"),
        ),
        SettingSpec(
            "returns.faulty_reasons",
            "Reasons that are our fault (shipping refunded)",
            RETURNS,
            "damaged,wrong_item,not_as_described",
            _codes,
        ),
    ]


def _risk_specs() -> list[SettingSpec]:
    defaults = RiskSettings()
    specs = []
    for f in fields(RiskSettings):
        current = getattr(defaults, f.name)
        check = (
            _decimal(Decimal(0), Decimal("99999999"))
            if isinstance(current, Decimal)
            else _whole(0, 100000)
        )
        label = f.name.replace("_", " ").capitalize()
        specs.append(SettingSpec(f"risk.{f.name}", label, RISK, str(current), check))
    return specs


CATALOGUE: tuple[SettingSpec, ...] = (
    *_address("company", "Sender", required=True),
    SettingSpec("company.phone", "Sender: Phone", COMPANY, "", _text(50)),
    SettingSpec("company.email", "Sender: E-mail", COMPANY, "", _text(255)),
    SettingSpec("company.timezone", "Time zone", COMPANY, "UTC", _timezone, "e.g. Europe/London"),
    *_address("return", "Return address", required=False),
    _choice_spec("units.weight", "Weight unit", COMPANY, "kg", ("g", "kg", "lb")),
    _choice_spec("units.length", "Length unit", COMPANY, "mm", ("mm", "cm", "in")),
    SettingSpec(
        "gs1.company_prefix",
        "GS1 company prefix",
        LABELS,
        None,
        check_gs1_prefix,
        "the prefix GS1 issued to your company, 6 to 12 digits",
    ),
    SettingSpec("sscc.extension_digit", "SSCC extension digit", LABELS, "0", _whole(0, 9)),
    SettingSpec("sscc.serial_start", "SSCC first serial", LABELS, "1", _whole(0, 10**11 - 1)),
    SettingSpec(
        "sscc.serial_end",
        "SSCC last serial",
        LABELS,
        "",
        lambda v: "" if not v.strip() else _whole(0, 10**11 - 1)(v),
        "empty: as far as the prefix allows",
    ),
    _choice_spec("label.size", "Label size", LABELS, "4x6", ("4x6", "100x150")),
    _choice_spec("label.format", "Label format", LABELS, "pdf", ("pdf", "zpl")),
    _choice_spec("label.dpi", "Thermal printer resolution", LABELS, "203", ("203", "300")),
    SettingSpec(
        "order.number_format",
        "Order number format",
        LABELS,
        "SO-{n}",
        check_order_number_format,
        "{n} is the running number",
    ),
    SettingSpec(
        "pack.weight_tolerance_percent",
        "Weight tolerance (%)",
        PACKING,
        "10",
        _decimal(Decimal(0), Decimal(100)),
    ),
    SettingSpec(
        "pack.weight_tolerance_g", "Weight tolerance (g)", PACKING, "50", _whole(0, 100000)
    ),
    SettingSpec(
        "station.idle_lock_minutes",
        "Lock a station after idle (min)",
        PACKING,
        "5",
        _whole(0, 720),
        "0 never locks; the next badge scan takes a locked station over",
    ),
    SettingSpec("backup.daily", "Daily automatic backup", BACKUP, "true", _flag, choices=FLAG),
    SettingSpec("backup.keep", "Backups kept", BACKUP, "7", _whole(1, 365)),
    *_email_specs(),
    *_risk_specs(),
    *_returns_specs(),
)
SPECS: Mapping[str, SettingSpec] = {spec.key: spec for spec in CATALOGUE}
SECRET_KEYS = frozenset(spec.key for spec in CATALOGUE if spec.secret)
MASK = "********"


def shown_value(key: str, value: str) -> str:
    """What a screen, a listing or the audit trail may show of `key`'s value."""
    return MASK if key in SECRET_KEYS and value else value


def check_setting(key: str, value: str) -> str:
    """The normalised value, or ValueError naming the key and what is wrong."""
    spec = SPECS.get(key)
    if spec is None:
        raise ValueError(f"unknown setting {key!r}; see `settings get` for the keys")
    try:
        return spec.check(str(value))
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None


def missing_sender_fields(values: Mapping[str, str]) -> list[str]:
    """The required company.* keys the site has left empty."""
    return [f"company.{f}" for f in REQUIRED_COMPANY_FIELDS if not values.get(f"company.{f}")]


def sscc_serial_digits(prefix: str) -> int:
    """Digits left for the serial in an SSCC-18: 17 minus extension digit and prefix."""
    return 16 - len(prefix)


def cross_check(values: Mapping[str, str]) -> list[str]:
    """Problems that involve several keys (the SSCC range must fit the prefix)."""
    prefix = values.get("gs1.company_prefix") or ""
    if not prefix:
        return []
    room = 10 ** sscc_serial_digits(prefix) - 1
    start = int(values.get("sscc.serial_start") or 1)
    end_text = values.get("sscc.serial_end") or ""
    end = int(end_text) if end_text else room
    problems = []
    if end > room:
        problems.append(
            f"sscc.serial_end: {end} does not fit the {sscc_serial_digits(prefix)} serial digits "
            f"left by the {len(prefix)}-digit GS1 prefix (at most {room})"
        )
    if start > end:
        problems.append(f"sscc.serial_start: {start} is after sscc.serial_end {end}")
    return problems
