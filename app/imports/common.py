"""Shared by every file format: reading CSV with line numbers, reading JSON, checking fields.

Problems are collected, never raised one by one, so a person fixes a file in one pass.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from app.errors import ValidationFailed
from app.imports.codes import CURRENCIES, NO_POSTCODE, country_code

CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999")
MAX_WHOLE = 1_000_000_000
SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
SERVICE_KEYWORDS = (
    ("overnight", ("overnight", "next day", "next-day", "nextday", "next_day", "1da")),
    ("express", ("express", "expedited", "priority", "premium")),
    ("economy", ("economy", "saver", "budget", "slow")),
)


@dataclass(frozen=True)
class Where:
    """Where a record sits in its file: a CSV line number or a JSON path."""

    file: str
    line: int | None = None
    path: str = ""

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.path}" if self.path else self.file

    def at(self, key: str | int) -> Where:
        step = f"[{key}]" if isinstance(key, int) else f".{key}" if self.path else key
        return Where(self.file, self.line, self.path + step)

    def problem(self, field: str, message: str) -> str:
        if self.line is not None:
            return f"{self}: {field}: {message}"
        return f"{self.at(field)}: {message}"


@dataclass(frozen=True)
class CsvRow:
    line: int  # physical line where the record starts (a quoted cell may span lines)
    cells: list[str]  # as read, for a rejects file
    values: dict[str, str]


@dataclass(frozen=True)
class CsvTable:
    name: str
    header: list[str]  # as written in the file
    columns: list[str]  # the names looked up (lower-cased when asked)
    rows: list[CsvRow]


def file_text(path: Path) -> str:
    """The file as text: UTF-8 with or without a byte-order mark."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"{path.name}: not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}); "
            "save it as 'CSV UTF-8' or UTF-8 JSON"
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def read_csv(path: Path, *, fold: bool = False) -> CsvTable:
    """Every non-blank row with its line number; `fold` lower-cases the column names."""
    text = file_text(path)
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        header = next(reader, [])
        if not any(cell.strip() for cell in header):
            raise ValidationFailed(f"{path.name}: the file is empty (a header row is needed)")
        columns = [c.strip().lower() if fold else c.strip() for c in header]
        doubled = sorted({c for c in columns if columns.count(c) > 1})
        if doubled:
            raise ValidationFailed(f"{path.name}:1: header: column(s) twice: {', '.join(doubled)}")
        rows: list[CsvRow] = []
        problems: list[str] = []
        previous_end = reader.line_num
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if any(cell.strip() for cell in cells[len(columns) :]):
                problems.append(
                    f"{path.name}:{line}: row: {len(cells)} cells but the header has "
                    f"{len(columns)} (a comma in an unquoted value?)"
                )
            padded = cells + [""] * (len(columns) - len(cells))
            rows.append(CsvRow(line, cells, dict(zip(columns, padded, strict=False))))
    except csv.Error as exc:
        raise ValidationFailed(f"{path.name}:{reader.line_num}: not valid CSV: {exc}") from None
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s); nothing imported", problems)
    return CsvTable(path.name, header, columns, rows)


def check_columns(
    table: CsvTable, required: Sequence[str], known: Sequence[str] | None = None
) -> None:
    """Missing required columns, and (when `known` is given) unknown ones, stop the import."""
    missing = [c for c in required if c not in table.columns]
    unknown = [c for c in table.columns if c and known is not None and c not in known]
    problems = []
    if missing:
        problems.append(f"{table.name}:1: header: missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(
            f"{table.name}:1: header: unknown column(s): {', '.join(unknown)} "
            f"(known: {', '.join(known or ())})"
        )
    if problems:
        raise ValidationFailed("the header row is not right; nothing imported", problems)


def read_json(path: Path) -> object:
    """The parsed file; numbers with a fraction become Decimal, never float."""
    try:
        value: object = json.loads(file_text(path), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"{path.name}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except RecursionError:
        raise ValidationFailed(f"{path.name}: JSON nested too deeply to be an import") from None
    return value


def fail_if(problems: Sequence[str], what: str = "nothing imported") -> None:
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s); {what}", list(problems))


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number) if abs(number) <= MAX_WHOLE else MAX_WHOLE + 1


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, str):
            number = Decimal(value.strip())
        else:
            return None
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_moment(text: str) -> datetime | None:
    """An aware UTC datetime from ISO 8601 or Shopify's `2024-03-05 14:07:12 +0100`."""
    try:
        moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


def service_level(text: str) -> str:
    """A service level from a carrier or checkout method's wording."""
    words = text.casefold()
    for level, keywords in SERVICE_KEYWORDS:
        if any(k in words for k in keywords):
            return level
    return "standard"


def _shown(value: object) -> str:
    return repr(value.strip()) if isinstance(value, str) else str(value)


class Fields:
    """One record (a CSV row or a JSON object): typed values, problems collected."""

    def __init__(self, values: Mapping[str, object], where: Where, problems: list[str]) -> None:
        self.values = values
        self.where = where
        self.problems = problems

    def add(self, field: str, message: str) -> None:
        self.problems.append(self.where.problem(field, message))

    def has(self, key: str) -> bool:
        value = self.values.get(key)
        return value is not None and str(value).strip() != ""

    def _plain(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, dict | list):
            self.add(key, "must be a single value, not a list or an object")
            return ""
        return str(value).strip()

    def word(self, key: str) -> str:
        """The value lower-cased, for matching against known words."""
        return self._plain(key).casefold()

    def text(self, key: str, *, limit: int, required: bool = False) -> str:
        """One line of text, inner whitespace and line breaks collapsed to single spaces."""
        value = " ".join(self._plain(key).split())
        if required and not value:
            self.add(key, "required")
        elif len(value) > limit:
            self.add(key, f"longer than {limit} characters")
        return value

    def optional(self, key: str, *, limit: int) -> str | None:
        return self.text(key, limit=limit) or None

    def lines(self, key: str) -> list[str]:
        """Non-blank lines of a (possibly multi-line, possibly list) value."""
        value = self.values.get(key)
        parts = value if isinstance(value, list) else [value]
        found = []
        for part in parts:
            if isinstance(part, dict | list):
                self.add(key, "must be text or a list of lines")
            elif part is not None:
                found += [" ".join(line.split()) for line in str(part).splitlines()]
        return [line for line in found if line]

    def street(self, key1: str, key2: str | None = None) -> tuple[str, str | None]:
        """Address lines 1 and 2; extra lines of a multi-line line 1 move to line 2."""
        first = self.lines(key1)
        rest = first[1:] + (self.lines(key2) if key2 else [])
        address1, address2 = (first[0] if first else ""), ", ".join(rest)
        if not address1:
            self.add(key1, "required")
        elif len(address1) > 200:
            self.add(key1, "longer than 200 characters")
        if len(address2) > 200:
            self.add(key2 or key1, "longer than 200 characters (lines after the first)")
        return address1, address2 or None

    def whole(self, key: str, *, minimum: int = 1) -> int:
        number = _whole(self.values.get(key))
        if not self.has(key):
            self.add(key, "required")
        elif number is None or number < minimum:
            wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
            self.add(key, f"must be {wanted}, not {_shown(self.values.get(key))}")
        elif number > MAX_WHOLE:
            self.add(key, f"{_shown(self.values.get(key))} is too large")
        else:
            return number
        return minimum

    def optional_whole(self, key: str, *, minimum: int = 0) -> int | None:
        return self.whole(key, minimum=minimum) if self.has(key) else None

    def money(self, key: str, *, required: bool = False) -> Decimal:
        """A non-negative amount with at most 2 decimal places; blank is 0 unless required."""
        if not self.has(key):
            if required:
                self.add(key, "required")
            return Decimal("0")
        value = self.values.get(key)
        amount = _decimal(value)
        if amount is None:
            self.add(key, f"not a decimal amount: {_shown(value)} (write it as 12.50)")
        elif amount < 0:
            self.add(key, f"must not be negative ({amount})")
        elif amount > MAX_MONEY:
            self.add(key, f"{amount} is too large")
        elif amount != amount.quantize(CENT):
            self.add(key, f"{amount} has more than 2 decimal places")
        else:
            return amount.quantize(CENT)
        return Decimal("0")

    def optional_money(self, key: str) -> Decimal | None:
        return self.money(key) if self.has(key) else None

    def moment(self, key: str) -> datetime:
        text = self._plain(key)
        moment = parse_moment(text) if text else None
        if not text:
            self.add(key, "required")
        elif moment is None:
            self.add(key, f"not a date and time: {text!r} (write 2024-03-05 14:07:12+01:00)")
        return moment or datetime(1970, 1, 1, tzinfo=UTC)

    def optional_moment(self, key: str) -> datetime | None:
        return self.moment(key) if self.has(key) else None

    def currency(self, key: str, *, default: str | None = None) -> str:
        code = self._plain(key).upper() or (default or "")
        if not code:
            self.add(key, "required")
        elif code not in CURRENCIES:
            self.add(key, f"unknown currency {code!r} (an ISO 4217 code such as EUR)")
        return code

    def country(self, key: str) -> str:
        text = self._plain(key)
        code = country_code(text) if text else None
        if not text:
            self.add(key, "required")
        elif code is None:
            self.add(key, f"unknown country {text!r} (a 2-letter ISO code such as DE)")
        return code or ""

    def optional_country(self, key: str) -> str | None:
        return self.country(key) if self.has(key) else None

    def postcode(self, key: str, country: str) -> str:
        code = self.text(key, limit=20).removeprefix("'")
        if not code and country and country not in NO_POSTCODE:
            self.add(key, f"required for an address in {country}")
        return code

    def email(self, key: str) -> str | None:
        value = self.text(key, limit=255)
        if value and ("@" not in value or " " in value):
            self.add(key, f"not an e-mail address: {value!r}")
        return value or None

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.values.get(key)
        if isinstance(value, bool):
            return value
        text = self._plain(key).casefold()
        if not text:
            return default
        if text in ("1", "true", "yes", "y"):
            return True
        if text in ("0", "false", "no", "n"):
            return False
        self.add(key, f"must be true or false, not {text!r}")
        return default

    def choice(self, key: str, options: Sequence[str], *, default: str) -> str:
        value = self._plain(key).casefold() or default
        if value not in options:
            self.add(key, f"must be one of {', '.join(options)}, not {value!r}")
        return value

    def child(self, key: str) -> Fields:
        """The nested object under `key` (an empty one, with a problem, if it is not one)."""
        value = self.values.get(key)
        if value is not None and not isinstance(value, dict):
            self.add(key, "must be an object")
        nested = value if isinstance(value, dict) else {}
        return Fields(nested, self.where.at(key), self.problems)

    def children(self, key: str) -> list[Fields]:
        """The objects of the list under `key`."""
        return objects(self.values.get(key), self.where.at(key), self.problems)

    def unknown_keys(self, known: Iterable[str]) -> None:
        wanted = set(known)
        extra = sorted(k for k in self.values if k not in wanted)
        if extra:
            self.problems.append(
                f"{self.where}: unknown field(s) {', '.join(extra)} "
                f"(known: {', '.join(sorted(wanted))})"
            )


def objects(items: object, where: Where, problems: list[str]) -> list[Fields]:
    """Each element of a JSON list as Fields at `where[i]`; non-objects are problems."""
    if not isinstance(items, list):
        problems.append(f"{where}: {'missing' if items is None else 'must be a list'}")
        return []
    found = []
    for index, item in enumerate(items):
        at = where.at(index)
        if isinstance(item, dict):
            found.append(Fields(item, at, problems))
        else:
            problems.append(f"{at}: must be an object")
            found.append(Fields({}, at, problems))
    return found


def spreadsheet_safe(value: str) -> str:
    """A cell no spreadsheet runs as a formula: a leading = + - @ Tab CR LF gets a quote."""
    return f"'{value}" if value.startswith(SPREADSHEET_TRIGGERS) else value


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[str]], *, safe: bool = False
) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for row in (header, *rows):
            writer.writerow([spreadsheet_safe(c) for c in row] if safe else row)


def _json_number(value: object) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_json(path: Path, value: object) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2, default=_json_number)
    path.write_text(text + "\n", encoding="utf-8")
