"""The fixed material synthetic data are made of: how many of each thing,
how often each kind of actor, event and certainty comes up, and the word
lists names and titles are built from.

Kept apart from the code that draws from it so that tuning the look of the
data (a new topic, another share) never means reading the generator.
"""

from __future__ import annotations

MAX_RELATIONSHIPS = 20_000
EVENTS_PER_SOURCE = 1000
LINKS_PER_RELATIONSHIP = 5  # relationship_events rows per relationship, at most

# Participants: one actor, an initiator-target pair, or 3-5 participants.
ARITY_SHARES = (0.20, 0.70, 0.10)
PAIR_FROM_RELATIONSHIP = 0.5
ACTOR_ZIPF = 1.07

KIND_SHARES = (0.40, 0.20, 0.12, 0.08, 0.10, 0.10)  # in ACTOR_KINDS order
CERTAINTY_SHARES = (0.80, 0.11, 0.06, 0.03)  # in CERTAINTIES order
REL_CERTAINTY_SHARES = (0.75, 0.12, 0.08, 0.05)

# ---------------------------------------------------------------- words

TOPICS = (
    "trade", "energy", "security", "elections", "the port contract", "water rights",
    "media ownership", "sanctions", "the pipeline", "corruption allegations", "the budget",
    "migration", "fisheries", "the border", "tax reform", "mining licences", "arms sales",
    "the merger", "press freedom", "public health",
)

# type, share, title template ({a}, {b}: actor names; {t}: topic)
SINGLE_TYPES = (
    ("statement", 0.40, "{a} statement on {t}"),
    ("announcement", 0.20, "{a} announces plan on {t}"),
    ("publication", 0.15, "{a} publishes report on {t}"),
    ("protest", 0.10, "{a} protests over {t}"),
    ("investigation", 0.15, "{a} opens investigation into {t}"),
)
PAIR_TYPES = (
    ("meeting", 0.30, "{a} meets {b}"),
    ("agreement", 0.14, "{a} signs agreement with {b} on {t}"),
    ("dispute", 0.14, "{a} criticises {b} over {t}"),
    ("accusation", 0.10, "{a} accuses {b}"),
    ("payment", 0.12, "{a} pays {b}"),
    ("lawsuit", 0.06, "{a} sues {b}"),
    ("appointment", 0.06, "{a} appoints {b}"),
    ("communication", 0.08, "{a} writes to {b}"),
)
MULTI_TYPES = (
    ("meeting", 0.55, "Talks on {t}: {a}"),
    ("agreement", 0.30, "Agreement on {t} signed by {a}"),
    ("protest", 0.15, "Joint protest over {t} by {a}"),
)

SUMMARIES = (
    "Details remain unclear.", "Confirmed by two sources.", "Follow-up to earlier contacts.",
    "Reported in the press.", "From the official record.", "Disputed by one side.",
)
SUMMARY_SHARE = 0.25
CITIES = (
    "Brussels", "Geneva", "Vienna", "Istanbul", "Nairobi", "Singapore", "Lagos", "Lisbon",
    "Warsaw", "Dubai", "Buenos Aires", "Jakarta", "Oslo", "Tbilisi", "Montreal", "Athens",
)
LOCATION_SHARE = 0.4

FIRST_NAMES = (
    "Ada", "Ben", "Clara", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
    "Kemal", "Lena", "Marco", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samir", "Tara",
    "Ulla", "Viktor", "Wei", "Ximena", "Yusuf", "Zofia", "Amara", "Bruno", "Chiara", "Diego",
    "Emre", "Freya",
)
LAST_NAMES = (
    "Adler", "Brandt", "Costa", "Dimitrov", "Eriksen", "Fischer", "Garcia", "Haddad",
    "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov",
    "Quinn", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zimmer",
    "Mensah", "Horvat", "Berg", "Santos", "Kaya", "Nakamura",
)
INITIALS = "ABCDEFGHJKLMNPRSTVW"
PERSON_TITLES = (
    "Minister", "Journalist", "Chief Executive", "Lawyer", "Activist", "Diplomat", "Banker",
    "Adviser", "Senator", "Judge", "Investor", "Spokesperson",
)
PLACE_HEADS = ("Val", "Mor", "Ost", "Kar", "Bel", "Tor", "Lun", "Ser", "Ard", "Zel", "Nor", "Cas",
               "Drav", "Em", "Fal", "Gor")
PLACE_TAILS = ("doria", "avia", "land", "mark", "enia", "istan", "ovia", "ara", "heim", "onia")
ORG_HEADS = ("Northern", "Atlas", "Blue River", "Crescent", "Granite", "Harbour", "Meridian",
             "Summit", "Silver", "Pioneer", "Keystone", "Evergreen", "Orion", "Delta")
ORG_NOUNS = ("Shipping", "Energy", "Mining", "Capital", "Logistics", "Pharma", "Telecom",
             "Construction", "Security", "Agri", "Steel", "Trading")
ORG_TAILS = ("Group", "Ltd", "Corporation", "Partners", "Holdings", "Consortium", "Bank", "Trust")
GOV_BODIES = ("Ministry of Finance", "Ministry of Defence", "Interior Ministry", "Foreign Ministry",
              "Central Bank", "Customs Service", "Supreme Court", "Election Commission",
              "Port Authority", "Intelligence Service", "Parliament", "Competition Authority")
MEDIA_TAILS = ("Gazette", "Herald", "Courier", "Observer", "Tribune", "Post", "Chronicle",
               "Times", "Review", "Radio", "Television", "Daily")
GROUP_HEADS = ("Red", "Black", "Green", "White", "Golden", "Iron", "Free", "United")
GROUP_NOUNS = ("Wolves", "Hawks", "Lions", "Foxes", "Bears", "Eagles", "Citizens", "Workers")
GROUP_TAILS = ("Movement", "Brigade", "Collective", "Front", "Network", "Alliance")
ROMAN = ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

PUBLISHERS = ("Associated Wire", "Global Monitor", "Court Records Office", "Parliamentary Record",
              "Open Registry", "Regional Observer", "Investigative Desk", "Trade Bulletin",
              "Official Journal", "Press Agency Digest")
SOURCE_FORMS = ("Wire report", "Court filing", "Registry extract", "News archive",
                "Official statement", "Investigation notes")

# Relationship types by the kinds at either end; the undirected ones are symmetric.
UNDIRECTED = frozenset({"ally of", "rival of", "family of", "negotiates with"})


def _relationship_types(kind_from: str, kind_to: str) -> tuple[str, ...]:
    if kind_from == "media":
        return ("reports on",)
    if kind_from == "person":
        if kind_to == "person":
            return ("ally of", "rival of", "family of", "advises")
        if kind_to in ("organisation", "group", "media"):
            return ("member of", "employed by", "owns")
        return ("employed by", "advises")
    if kind_from in ("organisation", "group"):
        if kind_to in ("organisation", "group", "media"):
            return ("funds", "owns", "ally of", "rival of")
        return ("funds", "negotiates with")
    return ("ally of", "rival of", "negotiates with", "funds")
