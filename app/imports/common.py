"""Shared by every file format: reading CSV with line numbers, reading JSON, checking fields.

Problems are collected, never raised one by one, so a person fixes a file in one pass.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from app.domain.new_order import NewLine, NewOrder
from app.errors import ValidationFailed
from app.imports.codes import CURRENCIES, NO_POSTCODE, any_country_code, country_code
from app.output_file import write_text_file
from db.types import CENT, MONEY_MAX

MAX_WHOLE = 1_000_000_000
# A number as people write one: ASCII digits, perhaps a minus and a decimal point.
# No exponent (1e9), no digit group (1_0, 1,000), no other script's digits (٣).
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# Control characters and lone surrogates; Tab, CR and LF are whitespace, collapsed.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Shopify's time, zero-padded with an offset in whole minutes: where `fromisoformat`
# (once the space before the offset is gone) and strptime's "%Y-%m-%d %H:%M:%S %z"
# take and refuse the same texts alike.
SHOPIFY_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{2}[0-5][0-9]"
)
LONGEST_JSON_INTEGER = 30  # digits; Python refuses to read one of over 4300
SHOWN = 40  # characters of a bad value quoted in a message
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


class CsvColumns:
    """A CSV file's column names as looked up, and where each stands in a row."""

    __slots__ = ("index", "names")

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.index = {name: position for position, name in enumerate(names)}

    def picker(self, columns: Sequence[str]) -> Callable[[list[str]], tuple[str, ...]]:
        """The values of `columns` from a row's cells in one call, as `CsvRow.cell`
        reads each ("" for a column the file lacks or a row stops short of)."""
        width = len(self.names)
        positions = [self.index.get(column, width) for column in columns]
        take = itemgetter(*positions)
        single = len(positions) == 1
        complete = width not in positions
        blank = [""] * (width + 1)

        def pick(cells: list[str]) -> tuple[str, ...]:
            if len(cells) != width or not complete:
                cells = cells[:width] + blank[min(len(cells), width) :]
            values = take(cells)
            return (values,) if single else tuple(values)

        return pick


class CsvRow:
    """One record of a CSV file. Its values by column name are made when first asked
    for: a reader's short way reads the cells by position and never needs them."""

    __slots__ = ("_values", "cells", "columns", "line")

    def __init__(self, line: int, cells: list[str], columns: CsvColumns) -> None:
        self.line = line  # physical line where the record starts (a cell may span lines)
        self.cells = cells  # as read, for a rejects file
        self.columns = columns
        self._values: dict[str, str] | None = None

    @property
    def values(self) -> dict[str, str]:
        """Every column's value; a row that stops short reads blank in the rest."""
        if self._values is None:
            names, cells = self.columns.names, self.cells
            padded = cells + [""] * (len(names) - len(cells)) if len(cells) < len(names) else cells
            self._values = dict(zip(names, padded, strict=False))
        return self._values

    def cell(self, column: str) -> str:
        """One column's value ("" where the file has no such column or the row stops short)."""
        position = self.columns.index.get(column)
        cells = self.cells
        return cells[position] if position is not None and position < len(cells) else ""


@dataclass(frozen=True)
class CsvTable:
    name: str
    header: list[str]  # as written in the file
    columns: list[str]  # the names looked up (lower-cased when asked)
    rows: Iterable[CsvRow]  # a list, or `CsvRows` read from the file on each pass
    sha256: str | None = None  # of the file's bytes, when asked for (`read_csv`)


def file_text(path: Path) -> str:
    """The file as text: UTF-8 with or without a byte-order mark."""
    return _text_of(path, _file_bytes(path))


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.strerror}") from None


def _text_of(path: Path, data: bytes) -> str:
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


def read_csv(path: Path, *, fold: bool = False, hashed: bool = False) -> CsvTable:
    """Every non-blank row with its line number; `fold` lower-cases the column names;
    `hashed` names the file's contents (`CsvTable.sha256`) from the same read."""
    data = _file_bytes(path)
    text = _text_of(path, data)
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        header = next(reader, [])
        columns = _columns(path, header, fold)
        named = CsvColumns(columns)
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
            rows.append(CsvRow(line, cells, named))
    except csv.Error as exc:
        raise ValidationFailed(f"{path.name}:{reader.line_num}: not valid CSV: {exc}") from None
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s); nothing imported", problems)
    digest = hashlib.sha256(data).hexdigest() if hashed else None
    return CsvTable(path.name, header, columns, rows, digest)


UTF8_CHUNK = 1 << 20


def _check_utf8(path: Path) -> None:
    """As `file_text` would refuse the file, chunk by chunk, without holding it."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        with path.open("rb") as data:
            while chunk := data.read(UTF8_CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise ValidationFailed(
                        f"{path.name}: not UTF-8 text (byte {chunk[exc.start]:#04x} at offset "
                        f"{offset + exc.start}); save it as 'CSV UTF-8' or UTF-8 JSON"
                    ) from None
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except OSError as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValidationFailed(
            f"{path.name}: not UTF-8 text (the file ends inside a character); "
            "save it as 'CSV UTF-8'"
        ) from None


class CsvRows:
    """The rows of a CSV file, read from the file each time they are gone through, so
    that a file of a million lines is never held in memory. Like `read_csv`, a row
    with more cells than the header stops everything: found on the first pass, before
    any row is handed on, and said for every such row at once."""

    def __init__(self, path: Path, delimiter: str, columns: list[str]) -> None:
        self.path = path
        self.delimiter = delimiter
        self.columns = CsvColumns(columns)
        self.total_lines = 0  # known after the first pass
        self.line = 0  # where the pass under way is

    def _rows(self) -> Iterator[CsvRow | str]:
        """Rows, and a problem (text) for each row too long."""
        named = self.columns
        width = len(named.names)
        with self.path.open(encoding="utf-8-sig", newline="") as text:
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                next(reader, None)
                previous_end = reader.line_num
                for cells in reader:
                    line, previous_end = previous_end + 1, reader.line_num
                    self.line = line
                    if not ((cells and cells[0].strip()) or "".join(cells).strip()):
                        continue  # blank, or every cell blank
                    if len(cells) > width and "".join(cells[width:]).strip():
                        yield (
                            f"{self.path.name}:{line}: row: {len(cells)} cells but the header "
                            f"has {width} (a comma in an unquoted value?)"
                        )
                        continue
                    yield CsvRow(line, cells, named)
            except csv.Error as exc:
                raise ValidationFailed(
                    f"{self.path.name}:{reader.line_num}: not valid CSV: {exc}"
                ) from None
            self.total_lines = max(self.total_lines, reader.line_num)

    def __iter__(self) -> Iterator[CsvRow]:
        problems: list[str] = []
        for row in self._rows():
            if isinstance(row, str):
                problems.append(row)
            elif not problems:
                yield row
        fail_if(problems)


def stream_csv(path: Path, *, fold: bool = False) -> CsvTable:
    """`read_csv` for files of any size: the header now, the rows (`CsvRows`) as read."""
    _check_utf8(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as text:
            first = text.readline()
    except OSError as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.strerror}") from None
    delimiter = _delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter), []) if first.strip() else []
    columns = _columns(path, header, fold)
    return CsvTable(path.name, header, columns, CsvRows(path, delimiter, columns))


def _columns(path: Path, header: list[str], fold: bool) -> list[str]:
    if not any(cell.strip() for cell in header):
        raise ValidationFailed(f"{path.name}: the file is empty (a header row is needed)")
    columns = [c.strip().lower() if fold else c.strip() for c in header]
    doubled = sorted({c for c in columns if columns.count(c) > 1})
    if doubled:
        raise ValidationFailed(f"{path.name}:1: header: column(s) twice: {', '.join(doubled)}")
    return columns


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


class NumberAsWritten(str):
    """A JSON number that is not plainly written (1e9, NaN, 40 digits): kept as its text,
    so that a field wanting a number refuses it and says what was written."""


def _json_fraction(text: str) -> Decimal | NumberAsWritten:
    return Decimal(text) if PLAIN_NUMBER.fullmatch(text) else NumberAsWritten(text)


def _json_integer(text: str) -> int | NumberAsWritten:
    return int(text) if len(text) <= LONGEST_JSON_INTEGER else NumberAsWritten(text)


def _json_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise ValidationFailed(f"an object has the key {shown(key)} twice")
        found[key] = value
    return found


def read_json(path: Path) -> object:
    """The parsed file; numbers with a fraction become Decimal, never float."""
    try:
        value: object = json.loads(
            file_text(path),
            parse_float=_json_fraction,
            parse_int=_json_integer,
            parse_constant=NumberAsWritten,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"{path.name}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except RecursionError:
        raise ValidationFailed(f"{path.name}: JSON nested too deeply to be an import") from None
    except ValidationFailed as exc:
        raise ValidationFailed(f"{path.name}: {exc}") from None
    return value


def fail_if(problems: Sequence[str], what: str = "nothing imported") -> None:
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s); {what}", list(problems))


def _whole(value: object) -> int | None:
    if type(value) is str and (digits := value.strip()).isascii() and digits.isdigit():
        count = int(digits)  # a plain count, as most are: what the Decimal way gives
        return count if count <= MAX_WHOLE else MAX_WHOLE + 1
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number) if abs(number) <= MAX_WHOLE else MAX_WHOLE + 1


def _decimal(value: object) -> Decimal | None:
    """A JSON number, or text of ASCII digits with at most a minus and a decimal point."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str) and PLAIN_NUMBER.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


@lru_cache(maxsize=4096)  # an export has a few prices and shipping costs, each on many rows
def plain_amount(text: str) -> Decimal | None:
    """The amount `Fields.money` reads in a cell's text; None where it says a problem."""
    amount = _decimal(text)
    if amount is None or amount < 0 or amount > MONEY_MAX or amount != amount.quantize(CENT):
        return None
    return amount.quantize(CENT)


def parse_moment(text: str) -> datetime | None:
    """An aware UTC datetime from ISO 8601 or Shopify's `2024-03-05 14:07:12 +0100`."""
    try:
        if SHOPIFY_MOMENT.fullmatch(text):  # as strptime reads it, fifty times faster
            moment = datetime.fromisoformat(f"{text[:19]}{text[20:]}")
        else:
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


@lru_cache(maxsize=1024)  # a shop has a handful of shipping methods, named on every order
def service_level(text: str) -> str:
    """A service level from a carrier or checkout method's wording."""
    words = text.casefold()
    for level, keywords in SERVICE_KEYWORDS:
        if any(k in words for k in keywords):
            return level
    return "standard"


def shown(value: object) -> str:
    """A value for a message: quoted, control characters escaped, long ones cut short."""
    if isinstance(value, str):
        text = repr(value.strip())
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        text = str(value)
    else:
        text = repr(value)
    return text if len(text) <= SHOWN else f"{text[: SHOWN - 4]}...{text[-1]}"


def check_amounts(
    order: NewOrder, head: Fields, lines: Sequence[tuple[Fields, NewLine]], price_key: str
) -> None:
    """Each line's total, then the order's totals, fit the money columns (Numeric(12, 2))."""
    too_much = False
    for record, line in lines:
        amount = line.unit_price * line.quantity
        if amount > MONEY_MAX:
            too_much = True
            record.add(
                price_key,
                f"line total {line.quantity} x {line.unit_price} = {amount} "
                f"is more than {MONEY_MAX}",
            )
    for what, amount in (("the lines add up to", order.subtotal), ("the total is", order.total)):
        if not too_much and amount > MONEY_MAX:
            too_much = True
            head.note(f"{what} {amount}, more than {MONEY_MAX}")


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

    def note(self, message: str) -> None:
        """A problem of the record as a whole rather than of one field."""
        self.problems.append(f"{self.where}: {message}")

    def _plain(self, key: str) -> str:
        value = self.values.get(key)
        if type(value) is str and value.isprintable():  # most cells: no control character
            return value.strip()
        if value is None:
            return ""
        if isinstance(value, dict | list):
            self.add(key, "must be a single value, not a list or an object")
            return ""
        if isinstance(value, bool):
            self.add(key, f"must be text, not {str(value).lower()}")
            return ""
        return self._clean(key, str(value)).strip()

    def _clean(self, key: str, text: str) -> str:
        """`text`; a control character in it is a problem (and left out of what is returned,
        so that the one problem is all that is said)."""
        bad = CONTROL.search(text)
        if bad is None:
            return text
        self.add(key, f"control character U+{ord(bad.group()):04X} is not allowed in text")
        return CONTROL.sub("", text)

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
            elif isinstance(part, bool):
                self.add(key, f"must be text, not {str(part).lower()}")
            elif part is not None:
                text = self._clean(key, str(part))
                found += [" ".join(line.split()) for line in text.splitlines()]
        return [line for line in found if line]

    def items(self, key: str, *, separator: str, limit: int) -> list[str]:
        """The non-blank items of a JSON list of texts, or of one text cut at `separator`."""
        value = self.values.get(key)
        if not isinstance(value, list):
            parts = self.text(key, limit=limit).split(separator)
            return [part.strip() for part in parts if part.strip()]
        found = []
        for number, item in enumerate(value, 1):
            if isinstance(item, bool) or not isinstance(item, str | int):
                self.add(key, f"item {number} must be text, not {shown(item)}")
            elif text := self._clean(key, str(item)).strip():
                found.append(text)
        return found

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
            self.add(key, f"must be {wanted}, not {shown(self.values.get(key))}")
        elif number > MAX_WHOLE:
            self.add(key, f"{shown(self.values.get(key))} is too large")
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
        if type(value) is str and (plain := plain_amount(value)) is not None:
            return plain
        amount = _decimal(value)
        if amount is None:
            self.add(key, f"not a decimal amount: {shown(value)} (write it as 12.50)")
        elif amount < 0:
            self.add(key, f"must not be negative ({shown(amount)})")
        elif amount > MONEY_MAX:
            self.add(key, f"{shown(amount)} is more than {MONEY_MAX}")
        elif amount != amount.quantize(CENT):
            self.add(key, f"{shown(amount)} has more than 2 decimal places")
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

    def country(self, key: str, *, iso_names: bool = False) -> str:
        """A 2-letter code; `iso_names` also takes alpha-3 codes and ISO 3166 names."""
        text = self._plain(key)
        code = (any_country_code if iso_names else country_code)(text) if text else None
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
            names = (k if k.isprintable() else shown(k) for k in extra)
            self.problems.append(
                f"{self.where}: unknown field(s) {', '.join(names)} "
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
    """A CSV file, written whole or not at all (`app.output_file`)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in (header, *rows):
        writer.writerow([spreadsheet_safe(c) for c in row] if safe else row)
    write_text_file(path, out.getvalue())


def _json_number(value: object) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_json(path: Path, value: object) -> None:
    """A JSON file, written whole or not at all (`app.output_file`)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=_json_number)
    write_text_file(path, text + "\n")
