"""Reference codes: ISO 4217 currencies and ISO 3166-1 alpha-2 countries."""

from __future__ import annotations

import pycountry

_CURRENCY_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
ZMW ZWG ZWL
"""
_COUNTRY_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
"""
CURRENCIES = frozenset(_CURRENCY_CODES.split())
COUNTRIES = frozenset(_COUNTRY_CODES.split())

# Countries whose addresses need no postcode (carriers accept them without one).
NO_POSTCODE = frozenset(
    ["AE", "AG", "AO", "BS", "BZ", "CW", "FJ", "GH", "HK", "IE", "JM", "MO", "QA", "TT", "YE"]
)

# Names people type instead of the code (matched case-insensitively), by code.
_NAMES = """
AE united arab emirates
AR argentina
AT austria; österreich
AU australia
BE belgium; belgië; belgique
BG bulgaria
BR brazil
CA canada
CH switzerland; schweiz; suisse
CN china
CY cyprus
CZ czech republic; czechia
DE germany; deutschland
DK denmark; danmark
EE estonia
ES spain; españa
FI finland; suomi
FR france
GB united kingdom; great britain; uk
GR greece
HK hong kong
HR croatia
HU hungary
IE ireland
IL israel
IN india
IS iceland
IT italy; italia
JP japan
KR south korea; korea, republic of
LT lithuania
LU luxembourg
LV latvia
MT malta
MX mexico
NL netherlands; the netherlands; nederland
NO norway; norge
NZ new zealand
PL poland; polska
PT portugal
RO romania
RS serbia
SE sweden; sverige
SG singapore
SI slovenia
SK slovakia
TR turkey; türkiye
TW taiwan
UA ukraine
US united states; united states of america; usa
ZA south africa
"""
COUNTRY_NAMES = {
    name.strip(): line[:2] for line in _NAMES.strip().splitlines() for name in line[3:].split(";")
}


def country_code(text: str) -> str | None:
    """The ISO code for a code or a common country name, or None."""
    value = text.strip()
    if len(value) == 2 and value.upper() in COUNTRIES:
        return value.upper()
    return COUNTRY_NAMES.get(value.casefold())


def any_country_code(text: str) -> str | None:
    """As `country_code`, and also an alpha-3 code (GBR) or an ISO 3166 name
    ("United Kingdom of Great Britain and Northern Ireland"), as ERPs write them."""
    found = country_code(text)
    if found is not None or not text.strip():
        return found
    try:
        country = pycountry.countries.lookup(text.strip())
    except LookupError:
        return None
    return country.alpha_2 if country.alpha_2 in COUNTRIES else None
