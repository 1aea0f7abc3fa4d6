"""Actor names as data sets write them: case restored from GDELT's upper
case, and names that are a role rather than an entity.

Case rule (``restore_case``), word by word:

* a word stays upper case when it is a known acronym (``ACRONYMS``: NASA,
  EU, UNHCR, SADC, ASEAN, NATO, ...), contains a digit (G20, MI6), or has
  no vowel (A E I O U Y) and at most five letters (BBC, CNN, NHS, PM);
  the abbreviations Mr, Mrs, Ms, Dr, St, Jr, Sr and Lt are title-cased;
* small words inside a name are lower case ("Bank of America");
* every other word is title-cased part by part at hyphens ("Al-Qaeda"),
  keeping what follows an apostrophe lower case ("Mcdonald's", never
  str.title's "Mcdonald'S").

A leading "THE" is not part of an entity's name: "THE EU" is the entity
"EU", with "the EU" kept as an alias (``entity_name`` / ``restore_case``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..demonyms import is_demonym

ACRONYMS = frozenset(
    """
    AFP AIPAC AMISOM ANC AP APEC ASEAN AU BBC BRICS CBS CEO CIA CNN DPRK DRC ECB ECOWAS EU FAO FARC FBI FEMA
    FIFA FSB GCC IAEA ICC ICJ ICRC IDF IGAD ILO IMF IOM IRA ISIL ISIS KGB MERCOSUR MONUSCO NAACP NAFTA NASA NATO
    NBC NGO NSA NYPD LAPD OAS OCHA OECD OPEC OSCE PKK PLO SADC SCO SWAPO UAE UEFA UK UN UNAMID UNDP UNEP UNESCO
    UNGA UNHCR UNICEF UNITA UNRWA UNSC US USA USAID USSR WFP WHO WTO ZANU
    """.split()
)
TITLE_ABBREVIATIONS = frozenset({"MR", "MRS", "MS", "DR", "ST", "JR", "SR", "LT"})
SMALL_WORDS = frozenset({"OF", "AND", "THE", "FOR", "IN", "ON", "AT", "TO", "DE", "DEL", "DU", "DES", "VON", "VAN", "DER"})
VOWELS = frozenset("AEIOUY")

# Words that name a role, an office or a kind of people, not one entity:
# a name made only of these ("PRESIDENT", "POLICE OFFICER", "FOREIGN
# MINISTER", "SECURITY FORCES") means a different entity in every country.
ROLE_WORDS = frozenset(
    """
    ACTIVIST ACTIVISTS ADMINISTRATION ADVISER ADVISOR AGENCY AIR ALLIANCE AMBASSADOR ARMED ARMY ARCHBISHOP
    ATTORNEY AUTHORITIES AUTHORITY BANK BISHOP BOARD BORDER BUSINESS BUSINESSMAN CABINET CANDIDATE CAPITAL
    CENTRAL CHAMBER CHIEF CITIZEN CITIZENS CITY CIVILIAN CIVILIANS CLERIC COAST COLLEGE COMMANDER COMMISSION
    COMMITTEE COMMUNITY COMPANY CONGRESS COP COUNCIL COURT CRIMINAL CRIMINALS DEFENCE DEFENSE DELEGATE
    DELEGATION DEPARTMENT DEPUTY DETAINEE DETAINEES DIPLOMAT DIPLOMATS DOCTOR DOCTORS DRUG ELECTION EMBASSY
    EMPLOYEE EMPLOYEES ENVOY EXECUTIVE FARMER FARMERS FEDERAL FINANCE FIRM FOREIGN FORCE FORCES GANG GENERAL
    GOVERNMENT GOVERNOR GUARD GUNMAN GUNMEN HEAD HIGH HOSPITAL HOUSE HUMAN IMAM INDUSTRY INSURGENT INSURGENTS
    INTELLIGENCE INTERIOR JOURNALIST JOURNALISTS JUDGE JUDICIARY JUSTICE KING LAWMAKER LAWMAKERS LAWYER LAWYERS
    LEADER LEADERS LEGISLATURE LOCAL MAYOR MEDIA MILITANT MILITANTS MILITARY MINIST MINISTER MINISTERS MINISTRY
    MOB NATIONAL NATIONALS NAVY NEWSPAPER OFFICE OFFICER OFFICERS OFFICIAL OFFICIALS OPPOSITION PARLIAMENT
    PARTIES PARTY PATIENT PEOPLE PM POLICE POLICEMAN POLICEMEN POLITICAL POLITICIAN POLITICIANS PREMIER
    PRESIDENT PRESIDENTIAL PRIME PRINCE PRISON PRISONER PRISONERS PROSECUTOR PROSECUTORS PROTESTER PROTESTERS
    PUBLIC QUEEN REBEL REBELS REFUGEE REFUGEES REGIME REPORTER REPRESENTATIVE RESIDENT RESIDENTS RIGHTS ROYAL
    SCHOOL SECRETARY SECURITY SENATE SENATOR SENIOR SOLDIER SOLDIERS SPOKESMAN SPOKESPERSON SPOKESWOMAN STATE
    STUDENT STUDENTS SUPREME SUSPECT SUSPECTS TEACHER TEACHERS TERRORIST TERRORISTS TRADE TRIBUNAL TROOPS UNION
    UNIVERSITY VICE VILLAGE VILLAGERS VOTER VOTERS WORKER WORKERS WRITER CORRESPONDENT GROUP GROUPS
    APPEALS ASSAILANT ASSAILANTS BOMBER CHANCELLOR CHURCH CIVIL CONSTABLE CONSTITUENT CONSTITUENTS CONVICT CONVICTS
    DEALER DEMONSTRATOR DEMONSTRATORS DETECTIVE DISSIDENT DISSIDENTS DISTRICT ENVIRONMENT EXTREMIST EXTREMISTS
    FIGHTER FIGHTERS FIREFIGHTER FIREFIGHTERS GUERRILLA GUERRILLAS IMMIGRANT IMMIGRANTS MEMBER MEMBERS MIGRANT
    MIGRANTS MILITIA MONK MONKS NEIGHBORHOOD NEIGHBOURHOOD NURSE PASTOR PILOT PRIEST RABBI REPRESENTATIVES RETIRED
    RULING SCIENTIST SCIENTISTS SERVANT SERVANTS SPEAKER STAFF TENANT TENANTS THIEF THIEVES TOURISM TOURIST TOURISTS
    TROOPER UNIONS VICTIM VICTIMS WITNESS LEGISLATOR LEGISLATORS MAGISTRATE GENERALS ASSEMBLY EDUCATION LAW
    ENFORCEMENT MAGAZINE NEWS RADIO TELEVISION
    """.split()
)

_SPACES = re.compile(r"\s+")


def normalise(raw: str) -> str:
    """The name as compared: upper case, single spaces."""
    return _SPACES.sub(" ", raw.strip()).upper()


def entity_name(raw: str) -> str:
    """The entity a name means, as compared: without a leading "THE"
    ("THE EU" and "EU" are one entity), unless that is all there is."""
    name = normalise(raw)
    if name.startswith("THE ") and len(name) > 4:
        return name[4:]
    return name


def is_role_name(raw: str) -> bool:
    """Whether the name is a role rather than an entity: every word of it
    is a role word, or a small word between them ("PRESIDENT", "PRIME
    MINISTER", "POLICE OFFICER", "SPEAKER OF THE HOUSE")."""
    words = entity_name(raw).split(" ")
    return any(w in ROLE_WORDS for w in words) and all(w in ROLE_WORDS or w in SMALL_WORDS for w in words)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if word in ACRONYMS or any(c.isdigit() for c in word):
        return True
    if word in TITLE_ABBREVIATIONS or not letters:
        return False
    return len(letters) <= 5 and not any(c in VOWELS for c in letters)


def _word(word: str, first: bool) -> str:
    if _is_acronym(word.rstrip(".,")):
        return word
    if not first and word in SMALL_WORDS:
        return word.lower()
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def restore_case(raw: str) -> str:
    """'UNITED STATES' -> 'United States', 'NASA' -> 'NASA', 'THE EU' ->
    'the EU', 'BANK OF AMERICA' -> 'Bank of America'. A name that is not
    all upper case is left as written."""
    name = _SPACES.sub(" ", raw.strip())
    if name != name.upper():
        return name
    words = name.split(" ")
    out = [_word(w, i == 0) for i, w in enumerate(words)]
    if len(words) > 1 and words[0] == "THE":
        out[0] = "the"
    return " ".join(out)


def display_name(raw: str) -> str:
    """The entity's name to show: restore_case of entity_name."""
    return restore_case(entity_name(raw))


# ---------------------------------------------------------------- people

# Words that make a name a place, an event, a thing or a body rather than a
# person ("Taiwan Strait", "Berlin Marathon", "White House", "Balkh
# Province"); with ROLE_WORDS they keep such names from being taken for people.
NOT_A_PERSON_WORDS = frozenset(
    """
    ACADEMY AIRBASE AIRLINES HONG KUALA BUENOS LOS LAS TEL SAO ST AIRPORT ARENA ASSOCIATION AVENUE BASIN BAY BEACH BRIDGE CAMP CANAL CAPE CASTLE
    CATHEDRAL CENTER CENTRE CHANNEL CLUB COAST CO CORP CORPORATION CORPS COUNTY CUP DAM DESERT DISASTER EARTHQUAKE
    EAST EASTERN ELECTION EMIRATES EUROPE FEDERATION FESTIVAL FIELD FIRE FLOOD FOREST FORT FOUNDATION FRONT
    GAMES GOVERNORATE GULF HALL HARBOUR HARBOR HEIGHTS HIGHWAY HILL HILLS INC INSTITUTE ISLAND ISLANDS KINGDOM
    LAKE LEAGUE LIMITED LTD MARATHON MOUNT MOUNTAIN MOUNTAINS MOVEMENT MUSEUM NEW NORTH NORTHERN OCEAN OPEN
    ORGANISATION ORGANIZATION PALACE PARK PASS PENINSULA PLAZA PORT PRADESH PROGRAM PROGRAMME PROJECT PROVINCE
    REGION REPUBLIC RIVER ROAD SAN SANTA SAINT SEA SHRINE SOUTH SOUTHERN SQUARE STADIUM STATION STORM STRAIT
    STREET STRIP SYSTEM TEAM TEMPLE TERRITORY TOUR TOWER TREATY UNITED VALLEY WAR WATCH WEST WESTERN WORLD
    ACCORD ACCORDS ALPS AWARD AWARDS BASE BASILICA BUDDHISM CARNIVAL CATHOLIC CAVE CHRISTIAN CHURCHES CLINIC
    CONVENTION DAY DC DOME HURRICANE INDEX INDUSTRIES INTERNATIONAL ISLAMIC JEWISH MOSQUE MT MUSIC MUSLIM
    OPERATION ORTHODOX PREFECTURE PROTESTANT PROTOCOL RAILWAY RAILWAYS SCALE STEELWORKS TECHNOLOGY TYPHOON
    AG CAPITAL GMBH GROUP HALL HOLDINGS LLC PARTNERS PLC SA SHIPPING SYSTEMS TRUST VENTURES
    AGENCE AGENCIA BAHNHOF HAUPTBAHNHOF KOTA MINISTERE MINISTERIE MINISTERIO MINISTERIUM PANHANDLE SOX
    AIRWAYS AUDIT CONSTRUCTION ENERGY ENTERPRISES FOODS GAS LOGISTICS MARINE MINING MOTORS OIL PETROLEUM POWER
    SERVICE SERVICES SOLUTIONS STEEL
    CHRONICLE ECHO EXPRESS GAZETTE GUARDIAN HERALD JOURNAL LEDGER MIRROR OBSERVER POST TELEGRAPH TIMES TRIBUNE
    """.split()
)
_PERSON_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?$")


def looks_like_person(raw: str) -> bool:
    """Whether a name reads as a person's: two to four words, each a
    capitalised word of letters (or an all-capitals source such as GDELT's
    "HILLARY CLINTON"), none of them a role, place, event or body word nor a
    small word ("Santiago de Cuba"), and not a country's name. A guess for
    sources that do not say what an entity is; one word ("Obama", "Google")
    is never enough to tell."""
    name = _SPACES.sub(" ", raw.strip())
    words = name.split(" ")
    if not 2 <= len(words) <= 4 or name.upper() in _country_names():
        return False
    if is_demonym(words[0]) or any(w.lower().endswith("s") and is_demonym(w) for w in words):
        return False  # "Iraqi Kurdistan", "Independent Greeks": a place or a party named for a people
    for word in words:
        upper = _plain_letters(word.upper()).replace(".", "")
        if not _PERSON_WORD.match(word) or not word[0].isupper():
            return False
        if upper in ROLE_WORDS or upper in NOT_A_PERSON_WORDS or upper in SMALL_WORDS or upper in ACRONYMS:
            return False
        if len(upper) > 1 and upper.isalpha() and upper in ROMAN_NUMERALS:
            return False
    return True


def _plain_letters(word: str) -> str:
    """The word without accents, so "OPÉRATION" is the body word OPERATION."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


ROMAN_NUMERALS = frozenset({"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"})


# ---------------------------------------------------------------- countries


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """ISO 3166 alpha-3 code -> English short name, from the Unicode CLDR
    data that Babel ships (CAMEO's country codes are ISO alpha-3)."""
    from babel import Locale, core

    names = Locale("en").territories
    found = {}
    for alpha3, targets in core.get_global("territory_aliases").items():
        if len(alpha3) == 3 and alpha3.isalpha() and targets and targets[0] in names:
            found[alpha3] = names[targets[0]]
    return found


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Every country's English name, upper case ("SAUDI ARABIA")."""
    return frozenset(n.upper() for n in _countries().values())


def country_name(code: str) -> str | None:
    """The country a CAMEO country code names ("IND" -> "India"), or None
    for anything else (a type code such as REL or PTY, a region such as AFR)."""
    return _countries().get(code.upper())
