"""The demo's customers: names, streets, towns, postcodes, phones and e-mail addresses
in the format of each country, drawn from a customer's number alone.

A customer is a pure function of (seed, number), so an order anywhere in a million can
name the same person as an order made chunks earlier without keeping anyone in memory.
Phones are mobile numbers in each country's format (US ones in the 555 exchange);
e-mail addresses end in `.example`, a top-level domain reserved for examples (RFC 2606),
so a demo e-mail can never reach a real mailbox.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

_MASK = (1 << 64) - 1
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a British inward code uses


def mix(*values: int) -> int:
    """A well-spread 64-bit number from integers (SplitMix64 applied in turn)."""
    z = 0
    for value in values:
        z = (z ^ value) + 0x9E3779B97F4A7C15 & _MASK
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB & _MASK
        z ^= z >> 31
    return z


class Draw:
    """Successive choices taken from the digits of one large number."""

    __slots__ = ("_bits",)

    def __init__(self, bits: int) -> None:
        self._bits = bits

    def below(self, n: int) -> int:
        self._bits, value = divmod(self._bits, n)
        return value

    def pick(self, items: Sequence[str]) -> str:
        return items[self.below(len(items))]


@dataclass(frozen=True)
class Town:
    name: str
    region: str | None
    postcode: Callable[[Draw], str]


@dataclass(frozen=True)
class Country:
    code: str
    weight: int  # share of the customers
    calling: str
    currency: str
    mobile: Callable[[Draw], str]  # the national part of a mobile number
    towns: tuple[Town, ...]
    streets: tuple[str, ...]
    address: Callable[[str, int], str]  # street, house number -> first address line
    flats: tuple[str, ...]  # second address lines, "{n}" is a number
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]


def _digits(low: int, high: int, width: int) -> Callable[[Draw], str]:
    return lambda d: f"{low + d.below(high - low + 1):0{width}d}"


def _gb(*areas: str) -> Callable[[Draw], str]:
    return lambda d: f"{d.pick(areas)} {d.below(10)}{d.pick(_LETTERS)}{d.pick(_LETTERS)}"


_NL_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"


def _nl(low: int, high: int) -> Callable[[Draw], str]:
    return lambda d: f"{low + d.below(high - low + 1)} {d.pick(_NL_LETTERS)}{d.pick(_NL_LETTERS)}"


def _pl(low: int, high: int) -> Callable[[Draw], str]:
    def code(d: Draw) -> str:
        value = low + d.below(high - low + 1)
        return f"{value // 1000:02d}-{value % 1000:03d}"

    return code


def _se(low: int, high: int) -> Callable[[Draw], str]:
    def code(d: Draw) -> str:
        value = low + d.below(high - low + 1)
        return f"{value // 100} {value % 100:02d}"

    return code


def _number(digits: int) -> Callable[[Draw], int]:
    return lambda d: d.below(10**digits)


COUNTRIES: tuple[Country, ...] = (
    Country(
        "GB",
        30,
        "+44",
        "GBP",
        lambda d: f"7{d.below(1000):03d} {d.below(10**6):06d}",
        (
            Town("London", None, _gb("SW1A", "SE1", "E1", "N7", "NW3", "W11", "EC1V", "SW11")),
            Town("Manchester", None, _gb("M1", "M4", "M14", "M20", "M21")),
            Town("Bristol", None, _gb("BS1", "BS3", "BS6", "BS7", "BS8")),
            Town("Leeds", None, _gb("LS1", "LS6", "LS8", "LS11")),
            Town("Glasgow", None, _gb("G1", "G3", "G12", "G41")),
            Town("Edinburgh", None, _gb("EH1", "EH3", "EH6", "EH10")),
            Town("Birmingham", None, _gb("B1", "B5", "B13", "B29")),
            Town("Cardiff", None, _gb("CF10", "CF11", "CF24")),
        ),
        (
            "High Street",
            "Station Road",
            "Church Lane",
            "Victoria Road",
            "Baker Street",
            "Mill Lane",
            "Park Avenue",
            "Queen's Road",
            "Kingsway",
            "Albert Street",
            "Green Lane",
            "The Crescent",
        ),
        lambda street, n: f"{n} {street}",
        ("Flat {n}", "Apartment {n}", "{n} Rose Court"),
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Mia", "Jack", "Seán"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "O'Brien", "Evans", "Hughes"),
    ),
    Country(
        "DE",
        20,
        "+49",
        "EUR",
        lambda d: f"1{d.pick(('51', '52', '60', '70', '76'))} {d.below(10**8):08d}",
        (
            Town("Berlin", "Berlin", _digits(10115, 14199, 5)),
            Town("Hamburg", "Hamburg", _digits(20095, 22769, 5)),
            Town("München", "Bayern", _digits(80331, 81929, 5)),
            Town("Köln", "Nordrhein-Westfalen", _digits(50667, 51149, 5)),
            Town("Leipzig", "Sachsen", _digits(4103, 4357, 5)),
            Town("Stuttgart", "Baden-Württemberg", _digits(70173, 70629, 5)),
            Town("Frankfurt am Main", "Hessen", _digits(60306, 60599, 5)),
        ),
        (
            "Hauptstraße",
            "Schulstraße",
            "Gartenstraße",
            "Bahnhofstraße",
            "Torstraße",
            "Lindenallee",
            "Goethestraße",
            "Am Markt",
            "Sendlinger Straße",
            "Bergstraße",
            "Kastanienallee",
        ),
        lambda street, n: f"{street} {n}",
        ("{n}. OG", "Hinterhaus", "c/o Weber"),
        ("Lukas", "Mia", "Leon", "Emma", "Felix", "Hannah", "Jonas", "Zoë", "Paul", "Lea"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"),
    ),
    Country(
        "FR",
        10,
        "+33",
        "EUR",
        lambda d: " ".join([d.pick("67"), *(f"{d.below(100):02d}" for _ in range(4))]),
        (
            Town("Paris", None, _digits(75001, 75020, 5)),
            Town("Lyon", None, _digits(69001, 69009, 5)),
            Town("Marseille", None, _digits(13001, 13016, 5)),
            Town("Toulouse", None, _digits(31000, 31500, 5)),
            Town("Bordeaux", None, _digits(33000, 33800, 5)),
            Town("Lille", None, _digits(59000, 59800, 5)),
            Town("Nantes", None, _digits(44000, 44300, 5)),
        ),
        (
            "rue de la République",
            "rue Victor Hugo",
            "avenue Jean Jaurès",
            "rue de Bretagne",
            "boulevard Voltaire",
            "rue des Lilas",
            "place de la Mairie",
            "rue du Moulin",
            "allée des Tilleuls",
        ),
        lambda street, n: f"{n} {street}",
        ("Bâtiment {n}", "Appartement {n}", "Escalier B"),
        ("Léa", "Gabriel", "Chloé", "Louis", "Camille", "Hugo", "Amélie", "Jules", "Manon"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Lefèvre"),
    ),
    Country(
        "NL",
        8,
        "+31",
        "EUR",
        lambda d: f"6 {d.below(10**8):08d}",
        (
            Town("Amsterdam", None, _nl(1011, 1109)),
            Town("Rotterdam", None, _nl(3011, 3089)),
            Town("Utrecht", None, _nl(3511, 3585)),
            Town("Den Haag", None, _nl(2491, 2599)),
            Town("Eindhoven", None, _nl(5611, 5658)),
        ),
        (
            "Prinsengracht",
            "Kerkstraat",
            "Dorpsstraat",
            "Molenweg",
            "Stationsplein",
            "Oudegracht",
            "Lange Voorhout",
            "Witte de Withstraat",
        ),
        lambda street, n: f"{street} {n}",
        ("{n} hoog", "Huis {n}"),
        ("Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Jan", "Sanne", "Bram"),
        ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "de Jong"),
    ),
    Country(
        "ES",
        7,
        "+34",
        "EUR",
        lambda d: f"6{d.below(100):02d} {d.below(1000):03d} {d.below(1000):03d}",
        (
            Town("Madrid", "Madrid", _digits(28001, 28055, 5)),
            Town("Barcelona", "Barcelona", _digits(8001, 8042, 5)),
            Town("Valencia", "Valencia", _digits(46001, 46026, 5)),
            Town("Sevilla", "Sevilla", _digits(41001, 41020, 5)),
            Town("Bilbao", "Bizkaia", _digits(48001, 48015, 5)),
        ),
        (
            "Calle Mayor",
            "Gran Vía",
            "Calle de Alcalá",
            "Avenida de la Constitución",
            "Calle Real",
            "Paseo de Gracia",
            "Calle del Sol",
        ),
        lambda street, n: f"{street}, {n}",
        ("{n}º B", "Piso {n}, puerta 2", "Bajo A"),
        ("Lucía", "Hugo", "María José", "Martín", "Sofía", "Pablo", "Carmen", "Alejandro"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez"),
    ),
    Country(
        "IT",
        7,
        "+39",
        "EUR",
        lambda d: f"3{d.below(100):02d} {d.below(1000):03d} {d.below(10000):04d}",
        (
            Town("Roma", "RM", _digits(118, 199, 5)),
            Town("Milano", "MI", _digits(20121, 20162, 5)),
            Town("Torino", "TO", _digits(10121, 10156, 5)),
            Town("Napoli", "NA", _digits(80121, 80147, 5)),
            Town("Bologna", "BO", _digits(40121, 40141, 5)),
        ),
        (
            "Via Roma",
            "Via Garibaldi",
            "Corso Italia",
            "Via Dante",
            "Piazza della Repubblica",
            "Via Mazzini",
            "Viale Europa",
        ),
        lambda street, n: f"{street} {n}",
        ("Scala {n}", "Interno {n}"),
        ("Giulia", "Leonardo", "Sofia", "Francesco", "Aurora", "Alessandro", "Chiara"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo"),
    ),
    Country(
        "PL",
        5,
        "+48",
        "PLN",
        lambda d: f"{d.pick('5678')}{d.below(100):02d} {d.below(1000):03d} {d.below(1000):03d}",
        (
            Town("Warszawa", "mazowieckie", _pl(1, 4999)),
            Town("Kraków", "małopolskie", _pl(30001, 31999)),
            Town("Gdańsk", "pomorskie", _pl(80001, 80999)),
            Town("Wrocław", "dolnośląskie", _pl(50001, 54999)),
            Town("Poznań", "wielkopolskie", _pl(60001, 61999)),
        ),
        ("Floriańska", "Długa", "Piotrkowska", "Marszałkowska", "Kościuszki", "Mickiewicza"),
        lambda street, n: f"ul. {street} {n}",
        ("m. {n}", "lok. {n}"),
        ("Łukasz", "Zuzanna", "Jakub", "Julia", "Kacper", "Maja", "Wojciech", "Zofia"),
        ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski"),
    ),
    Country(
        "SE",
        5,
        "+46",
        "SEK",
        lambda d: f"7{d.pick('0236')} {d.below(1000):03d} {d.below(100):02d} {d.below(100):02d}",
        (
            Town("Stockholm", None, _se(11120, 11895)),
            Town("Göteborg", None, _se(41101, 41878)),
            Town("Malmö", None, _se(21111, 21774)),
            Town("Uppsala", None, _se(75103, 75460)),
        ),
        ("Kungsgatan", "Storgatan", "Drottninggatan", "Skolgatan", "Sveavägen", "Järnvägsgatan"),
        lambda street, n: f"{street} {n}",
        ("Lgh 1{n:03d}", "{n} tr"),
        ("Elsa", "William", "Alice", "Liam", "Maja", "Oscar", "Ebba", "Øystein", "Astrid"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Berg"),
    ),
    Country(
        "US",
        8,
        "+1",
        "USD",
        lambda d: f"{d.pick(('503', '512', '206', '303', '312', '617'))} 555-{d.below(10**4):04d}",
        (
            Town("Portland", "OR", _digits(97201, 97236, 5)),
            Town("Austin", "TX", _digits(78701, 78759, 5)),
            Town("Seattle", "WA", _digits(98101, 98199, 5)),
            Town("Denver", "CO", _digits(80202, 80249, 5)),
            Town("Chicago", "IL", _digits(60601, 60661, 5)),
            Town("Boston", "MA", _digits(2108, 2137, 5)),
            Town("New York", "NY", _digits(10001, 10282, 5)),
        ),
        (
            "Main St",
            "Oak Ave",
            "SW Morrison St",
            "Congress Ave",
            "Maple Dr",
            "Washington Blvd",
            "Cedar Ln",
            "Elm St",
            "Lakeview Rd",
        ),
        lambda street, n: f"{n} {street}",
        ("Apt {n}", "Suite {n}00", "Unit {n}B"),
        ("James", "Olivia", "Ethan", "Ava", "Noah", "Emma", "Liam", "Sophia", "Mason"),
        ("Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Clarke"),
    ),
)
_BY_SHARE = tuple(country for country in COUNTRIES for _ in range(country.weight))
_MAIL_HOSTS = ("mail", "post", "inbox", "webmail", "fastmail", "home")
_FOLD = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "é": "e",
        "è": "e",
        "ë": "e",
        "á": "a",
        "í": "i",
        "ó": "o",
        "ú": "u",
        "ñ": "n",
        "ç": "c",
        "ł": "l",
        "ś": "s",
        "ż": "z",
        "ź": "z",
        "ą": "a",
        "ę": "e",
        "ń": "n",
        "ć": "c",
        "ø": "o",
        "å": "a",
        "â": "a",
        "à": "a",
        "'": "",
        " ": "",
    }
)


@dataclass(frozen=True)
class Customer:
    name: str
    email: str
    phone: str
    address1: str
    address2: str | None
    city: str
    postcode: str
    region: str | None
    country: str
    currency: str


def customer(seed: int, number: int) -> Customer:
    """Customer `number` of the demo made from `seed`: always the same person."""
    d = Draw(mix(seed, number, 0xC057) << 64 | mix(number, seed))
    country = _BY_SHARE[d.below(len(_BY_SHARE))]
    first, last = d.pick(country.first_names), d.pick(country.surnames)
    town = country.towns[d.below(len(country.towns))]
    street = d.pick(country.streets)
    house = 1 + d.below(8 if d.below(2) else 160)
    if country.code == "US":
        house = 100 + d.below(9900)
    flat = None
    if d.below(5) == 0:
        flat = d.pick(country.flats).format(n=1 + d.below(12))
    local = f"{first}.{last}".lower().translate(_FOLD)
    if d.below(3):
        local += str(d.below(100))
    host = d.pick(_MAIL_HOSTS)
    return Customer(
        name=f"{first} {last}",
        email=f"{local}@{host}.example",
        phone=f"{country.calling} {country.mobile(d)}",
        address1=country.address(street, house),
        address2=flat,
        city=town.name,
        postcode=town.postcode(d),
        region=town.region,
        country=country.code,
        currency=country.currency,
    )
