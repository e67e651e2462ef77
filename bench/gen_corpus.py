#!/usr/bin/env python3
"""Generate a synthetic, deterministic digest site for benchmarks.

Usage::

    python bench/gen_corpus.py N OUT_DIR [--seed S] [--force]

Writes ``OUT_DIR/digest.yaml``, ``OUT_DIR/sources.yaml`` and N articles under
``OUT_DIR/content/YYYY/MM/article-NNNNNN.md``, then a marker file
(``OUT_DIR/.bench-corpus.json``) that records what was generated so that ``bench/run.py``
can reuse the corpus.  The same N and seed always give the same bytes: everything comes
from one ``random.Random(seed)``; no clocks, no hash-order dependence.

The text is synthetic news-like English built from templates and word lists (with some
accented and Cyrillic names), in Markdown with emphasis, links, block quotes, lists and
headings.  It is meant to look like a curator's digest to a site generator, not to a human.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import random
import re
import shutil
import string
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

FORMAT_VERSION = 1
MARKER_NAME = ".bench-corpus.json"
DEFAULT_SEED = 1

# The date range the articles are spread over (inclusive), as (year, month, day).
FIRST_DAY = (2020, 1, 1)
DAYS = 1096  # 2020-01-01 .. 2022-12-31 (2020 is a leap year)
_FIRST_DATE = datetime.date(*FIRST_DAY)  # date arithmetic only: no clock is read

Rng = random.Random
Slot = Callable[[Rng], str]

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

FIRST_NAMES = [
    "José", "Łukasz", "Zoë", "Søren", "Ayşe", "François", "Małgorzata", "Björn", "Inés",
    "Chiara", "Olena", "Dmitry", "Amara", "Kwame", "Priya", "Hiroshi", "Mei", "Fatima", "Omar",
    "Sarah", "James", "Anna", "Tomás", "Nadia", "Pieter", "Ingrid", "Mateus", "Yusuf", "Elena",
    "Grace", "David", "Leila", "Kofi", "Hannah", "Ruth", "Marek", "Aiko", "Siobhán", "Raúl",
    "Thandiwe", "Gabriella", "Mikhail", "Oksana", "Lars", "Noémie", "Andrzej",
]
LAST_NAMES = [
    "Álvarez", "Nowak", "Kowalczyk", "Müller", "O'Brien", "Okafor", "Petrenko", "Ivanova",
    "Sørensen", "Dubois", "Rossi", "García", "Nakamura", "Chen", "Haddad", "Mensah", "Sharma",
    "Johansson", "van der Berg", "Yılmaz", "Kovač", "Novák", "Lindqvist", "Moreau", "Santos",
    "Adeyemi", "Kim", "Schneider", "Popescu", "Horvat", "Walsh", "Fischer", "Bianchi", "Costa",
    "Kuznetsov", "Tkachenko", "Banda", "Moyo", "Herrera", "Lefèvre", "Clare", "Abramova",
]
ROLES = [
    "a spokesperson", "the deputy minister", "a senior economist", "the mayor",
    "a lawyer representing the families", "a researcher", "the chief executive",
    "an opposition lawmaker", "a union leader", "a senior diplomat", "a local councillor",
    "a professor of political science", "a human rights lawyer", "the head of the health board",
    "an adviser", "a former minister", "the press secretary", "a policy analyst",
]
ORGS = [
    "the European Commission", "the United Nations", "the World Health Organization",
    "the International Monetary Fund", "the World Bank", "the central bank",
    "the finance ministry", "the interior ministry", "the defence ministry", "the health ministry",
    "the electoral commission", "the supreme court", "a regional court",
    "the national statistics office", "the opposition party", "the ruling coalition",
    "the port authority", "the national rail operator", "the teachers' union",
    "the transport workers' union", "the energy regulator", "the competition authority",
    "the city council", "a parliamentary committee", "Amnesty International", "the Red Cross",
    "the chamber of commerce", "the national broadcaster", "the prosecutor's office",
    "the police", "the foreign ministry", "the environment agency",
]
ORGS_SHORT = [
    "IMF", "UN", "WHO", "EU", "central bank", "regulator", "union leader", "NATO", "OSCE",
    "ECB", "auditor general", "watchdog", "chief prosecutor", "World Bank",
]
COUNTRIES = [
    "Germany", "France", "Poland", "Ukraine", "Russia", "Georgia", "Turkey", "Brazil",
    "Argentina", "Mexico", "Canada", "the United States", "the United Kingdom", "Ireland",
    "Spain", "Portugal", "Italy", "Greece", "Sweden", "Norway", "Finland", "Denmark",
    "the Netherlands", "Belgium", "Austria", "Switzerland", "Hungary", "Romania", "Serbia",
    "Kazakhstan", "India", "Pakistan", "Bangladesh", "Indonesia", "Japan", "South Korea",
    "Australia", "New Zealand", "Nigeria", "Kenya", "Ghana", "South Africa", "Zimbabwe",
    "Egypt", "Morocco", "Chile", "Peru", "Colombia", "Vietnam", "the Philippines",
]
CITIES = [
    "Berlin", "Hamburg", "Munich", "Paris", "Lyon", "Marseille", "Warsaw", "Kraków", "Gdańsk",
    "Kyiv", "Lviv", "Kharkiv", "Moscow", "St Petersburg", "Tbilisi", "Istanbul", "Ankara",
    "İzmir", "São Paulo", "Rio de Janeiro", "Buenos Aires", "Córdoba", "Mexico City", "Toronto",
    "Montréal", "New York", "Chicago", "London", "Manchester", "Dublin", "Madrid", "Barcelona",
    "Lisbon", "Porto", "Rome", "Milan", "Athens", "Stockholm", "Malmö", "Oslo", "Helsinki",
    "Copenhagen", "Aarhus", "Amsterdam", "Rotterdam", "Brussels", "Liège", "Vienna", "Zürich",
    "Geneva", "Budapest", "Bucharest", "Timișoara", "Belgrade", "Almaty", "Delhi", "Mumbai",
    "Karachi", "Dhaka", "Jakarta", "Tokyo", "Osaka", "Seoul", "Sydney", "Auckland", "Lagos",
    "Nairobi", "Accra", "Johannesburg", "Harare", "Cairo", "Casablanca", "Santiago", "Lima",
    "Bogotá", "Hanoi", "Manila", "Reykjavík", "Grozny", "Vladikavkaz",
]
NOUNS = [
    "the budget", "the pension reform", "the new media law", "energy prices", "the ceasefire",
    "the vaccination campaign", "the trade agreement", "the runoff election", "inflation",
    "the rail strike", "the gas pipeline", "the housing shortage", "the corruption inquiry",
    "the proposed merger", "the minimum wage", "the asylum rules", "the coal phase-out",
    "the water crisis", "the grain deal", "the border closure", "the tax overhaul",
    "the data protection rules", "the drought", "the flood defences", "the lockdown measures",
    "the debt talks", "the fishing quotas", "the military exercises", "the prisoner exchange",
    "the sanctions package", "the interest rate decision", "the mobilisation order",
    "the new airport", "the hospital closures", "the teachers' pay dispute", "the refinery fire",
    "the ban on protests", "the fuel subsidies", "the census results", "the currency reform",
    "the wildfire season", "the port expansion", "the mining licence", "the internet shutdown",
    "the press freedom index", "the peace talks", "the austerity plan", "the recount",
    "the constitutional amendment", "the heatwave", "the rent freeze", "the bailout",
]
ACTIONS = [
    "would be delayed until {month}", "could cost as much as {money}",
    "had been approved by a narrow margin", "was unlikely to pass before the summer recess",
    "would affect around {num} {people}", "had been under review since {month}",
    "was being challenged in court", "would be put to a referendum",
    "had already pushed up prices in {city}", "remained the main obstacle to a deal",
    "was expected to dominate the next session of parliament", "had divided the ruling coalition",
    "would need the backing of {org}", "was drawing criticism from {people}",
    "had been quietly shelved", "would take effect on {day} {month}",
    "was never properly explained to the public", "had cost the state {money} so far",
    "would be reviewed by {org}", "could be revived after the election",
    "was hurting {people} the most", "had been rushed through without consultation",
]
SAID = [
    "said", "told reporters", "announced", "warned", "argued", "insisted", "confirmed",
    "acknowledged", "claimed", "wrote in a statement", "told a press conference",
    "said in an interview", "told local media",
]
SAID_SHORT = ["said", "added", "told reporters", "said in a statement", "wrote", "said later"]
WHEN = [
    "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
    "on Sunday", "last week", "earlier this month", "late on Thursday", "over the weekend",
    "on Wednesday evening", "in a televised address", "at a briefing", "this morning",
    "yesterday", "on Friday afternoon", "earlier this year",
]
FUTURE = [
    "next week", "later this month", "in the spring", "before the end of the year",
    "within days", "after the summer", "next month", "by the autumn", "early next year",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
PEOPLE = [
    "residents", "farmers", "nurses", "students", "pensioners", "taxi drivers", "dock workers",
    "small business owners", "doctors", "teachers", "miners", "lorry drivers", "journalists",
    "activists", "young voters", "commuters", "shopkeepers", "refugees", "fishermen", "veterans",
    "tenants", "conscripts", "families",
]
ADJS = [
    "unprecedented", "controversial", "long-awaited", "sweeping", "modest", "surprising",
    "temporary", "hasty", "unpopular", "symbolic", "historic", "cautious", "ambitious",
    "belated", "costly", "narrow", "decisive", "fragile", "tentative", "bitter",
]
FEELINGS = [
    "worried", "cautiously optimistic", "angry", "confused", "relieved", "sceptical",
    "frustrated", "hopeful",
]
COMMODITIES = [
    "wheat", "diesel", "natural gas", "electricity", "rice", "sunflower oil", "fertiliser",
    "copper", "coffee", "cooking gas", "bread", "petrol",
]
DEMANDS = [
    "higher wages", "new elections", "the release of detained protesters", "cheaper fuel",
    "an independent inquiry", "better working conditions", "the resignation of the mayor",
    "an end to the blackouts", "clean drinking water", "protection for tenants",
]
DOCS = [
    "its annual report", "a full audit", "new guidance", "the final figures",
    "a revised forecast", "the draft law", "the inquiry's findings", "a white paper",
]
EVENTS = [
    "the election", "the summit", "the budget vote", "the winter", "the holiday season",
    "the referendum", "the trial", "the party congress", "the harvest", "the tourist season",
]
CRISES = [
    "the energy crisis", "the debt crisis", "the housing crisis", "water shortages",
    "food shortages", "blackouts", "flooding", "unrest", "the fuel shortage",
]
OPENERS = [
    "However,", "Meanwhile,", "In a separate development,", "At the same time,", "Still,",
    "By contrast,", "Earlier,", "On the ground,", "For now,", "In response,",
]
STATES = ["tense but calm", "chaotic", "largely unchanged", "uncertain", "quiet", "volatile"]
DURATIONS = ["months", "the rest of the year", "at least two quarters", "years", "some time"]
BLAME = [
    "the previous government", "foreign interference", "the weather", "speculators",
    "supply problems", "a lack of funding", "bureaucratic delays",
]
OUTLET_KINDS = [
    "the local newspaper", "a regional broadcaster", "state television", "an online outlet",
    "the business daily", "a news agency",
]
ORDINALS = ["second", "third", "fourth", "fifth", "latest", "final"]
CURRENCIES = ["euros", "dollars", "pounds", "roubles", "hryvnias", "zlotys", "rand", "pesos"]
QUOTES = [
    "We will not accept {noun} in its current form",
    "Nobody told us anything until it was too late",
    "This is a {adj} moment for {country}",
    "The numbers simply do not add up",
    "We are asking for {demand}, nothing more",
    "People in {city} are tired of promises",
    "It is too early to say what this will mean for ordinary families",
    "We have done everything the law requires",
    "Our members will not back down",
    "There is no plan B",
    "The government has lost touch with {people}",
    "We expect a decision {future}",
    "This is not the end of the story",
    "Everyone I know is worried about {noun}",
    "We were promised {demand} and we got nothing",
    "The decision was taken behind closed doors",
    "I have lived in {city} all my life and I have never seen anything like this",
    "We need a serious debate about {noun}, not slogans",
    "The law is clear and the court will say so",
    "Prices have doubled since {month} and wages have not moved",
    "This will hit {people} first and hardest",
    "We are ready to talk, but not under pressure",
    "Nobody can say how long this will last",
    "It is a matter of trust",
]
SHORT_QUOTES = [
    "no comment at this stage", "nothing to add", "full confidence in the process",
    "no knowledge of the payments", "acted in good faith",
]
HEADINGS = [
    "What happened", "Background", "Reaction in {city}", "What comes next", "The numbers",
    "Why it matters", "A divided response", "The view from {city}", "Timeline", "Context",
    "What {people} say", "Legal questions", "The economic picture", "Who is affected",
]
HEADLINE_VERBS = [
    "approves", "delays", "scraps", "defends", "debates", "rejects", "extends", "tightens",
    "eases", "unveils", "suspends", "revives", "postpones", "backs",
]
PROTEST_VERBS = ["strike", "march", "rally", "walk out", "protest", "petition"]
PERSON_VERBS = ["defends", "criticises", "backs", "quits over", "apologises for", "questions"]
HIGHS = ["record", "five-year", "decade", "ten-month", "all-time", "two-year"]

# Fully Russian titles (the generator must transliterate their slugs).
RU_SUBJECTS = [
    "Госдума", "Правительство", "Суд в Москве", "Центробанк", "Минфин",
    "Мэрия Санкт-Петербурга", "Прокуратура", "Совет Федерации",
]
RU_VERBS = ["одобрил", "отклонил", "обсудил", "отложил", "поддержал", "раскритиковал"]
RU_OBJECTS = [
    "новый бюджет", "закон о СМИ", "повышение ставки", "проект реформы", "налоговые поправки",
    "запрет на митинги", "строительство моста", "программу субсидий",
]
CYRILLIC_PREFIXES = ["«Спецоперация»", "«Новая газета»", "Азовсталь", "Мариуполь", "Київ"]

# ~300 tags, most popular first (the order is the Zipf rank).
_TAG_WORDS = """
politics economy russia ukraine war eu germany elections climate energy health covid-19
inflation protests courts media france military migration china united-states uk poland
human-rights corruption trade diplomacy sanctions labour education housing technology
security press-freedom environment gas oil transport finance banking central-banks
taxes pensions agriculture food-prices water drought floods wildfires heatwave
public-health vaccines hospitals tourism aviation railways shipping ports cybersecurity
surveillance privacy data-protection internet social-media disinformation censorship
journalism television science space research universities schools youth women lgbtq
religion culture film music literature sport football olympics crime police prisons
terrorism refugees asylum borders nato un imf world-bank g7 g20 brexit euro currency
stock-markets startups automotive electric-vehicles steel mining coal nuclear renewables
solar wind-power hydrogen grid blackouts heating rents real-estate construction
infrastructure cities local-government parliament opposition referendums constitution
supreme-court judiciary lawsuits anti-corruption lobbying budget debt austerity
subsidies minimum-wage unions strikes unemployment poverty inequality welfare
child-care disability ageing demographics census fisheries forestry biodiversity
pollution air-quality plastics recycling oceans arctic antarctica glaciers
earthquakes storms hurricanes famine aid ngos charity development africa asia
latin-america middle-east balkans caucasus central-asia baltics nordics
mediterranean black-sea caspian sahel horn-of-africa southeast-asia pacific
georgia armenia azerbaijan belarus moldova kazakhstan turkey iran israel
palestine syria iraq egypt libya tunisia morocco algeria nigeria kenya ethiopia
south-africa zimbabwe ghana sudan india pakistan bangladesh sri-lanka
afghanistan japan south-korea north-korea taiwan hong-kong indonesia philippines
vietnam thailand myanmar australia new-zealand canada mexico brazil argentina
chile peru colombia venezuela cuba hungary romania serbia croatia slovakia
czechia austria switzerland italy spain portugal greece ireland netherlands
belgium sweden norway finland denmark iceland estonia latvia lithuania
chechnya dagestan crimea donbas kharkiv odesa mariupol moscow st-petersburg
kremlin mobilisation conscription dissent national-guard veterans espionage
arms-trade weapons drones missiles navy air-force peace-talks ceasefire
prisoner-exchange war-crimes icc genocide memorials history archives
elections-2022 elections-2021 polls populism far-right far-left greens
liberals conservatives coalition-talks leadership resignations scandals
investigations whistleblowers leaks espionage-trials extradition interpol
money-laundering offshore oligarchs tax-havens crypto fintech payments
e-commerce retail supply-chains semiconductors telecoms 5g artificial-intelligence
robotics biotech pharma drug-prices mental-health obesity smoking alcohol
road-safety cycling public-transport housing-crisis homelessness gentrification
"""
TAGS: list[str] = list(dict.fromkeys(_TAG_WORDS.split()))[:300]

# --------------------------------------------------------------------------------------------
# Outlets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outlet:
    name: str
    country: str
    kind: str
    base: str  # city the outlet is based in
    aliases: tuple[str, ...]
    url_style: int


_OUTLETS: list[Outlet] = [
    Outlet("The Northern Herald", "GB", "daily newspaper", "Manchester", ("Northern Herald",), 0),
    Outlet("Baltic Courier", "LV", "news site", "Riga", (), 1),
    Outlet("Danube Post", "AT", "weekly", "Vienna", (), 2),
    Outlet("Atlas Wire", "MA", "news agency", "Casablanca", ("Atlas News Agency",), 3),
    Outlet("Harbour Gazette", "IE", "regional daily", "Cork", (), 0),
    Outlet("Meridian Times", "GB", "daily newspaper", "London", ("The Meridian Times",), 1),
    Outlet("Kyiv Ledger", "UA", "news site", "Kyiv", (), 2),
    Outlet("Andes Observer", "PE", "weekly", "Lima", (), 3),
    Outlet("Sahel Monitor", "SN", "news site", "Dakar", (), 0),
    Outlet("Pacific Dispatch", "NZ", "news site", "Auckland", ("The Dispatch",), 1),
    Outlet("Alpine Tribune", "CH", "daily newspaper", "Zürich", (), 2),
    Outlet("Levant Review", "LB", "magazine", "Beirut", (), 3),
    Outlet("Nordic Chronicle", "SE", "daily newspaper", "Stockholm", (), 0),
    Outlet("Prairie Sentinel", "CA", "regional daily", "Winnipeg", (), 1),
    Outlet("Bosphorus Daily", "TR", "daily newspaper", "Istanbul", ("Bosphorus",), 2),
    Outlet("Caspian Report", "AZ", "news site", "Baku", (), 3),
    Outlet("Iberian Journal", "ES", "daily newspaper", "Madrid", (), 0),
    Outlet("Mekong Herald", "VN", "news site", "Hanoi", (), 1),
    Outlet("Rhine Bulletin", "DE", "regional daily", "Cologne", ("Rheinisches Bulletin",), 2),
    Outlet("Highland Times", "GB", "weekly", "Inverness", (), 3),
    Outlet("Lagos Ledger", "NG", "daily newspaper", "Lagos", (), 0),
    Outlet("Great Lakes Echo", "KE", "news site", "Nairobi", (), 1),
    Outlet("Cape Standard", "ZA", "daily newspaper", "Cape Town", ("The Cape Standard",), 2),
    Outlet("Zambezi News", "ZW", "news and radio site", "Harare", ("Zambezi News Online",), 3),
    Outlet("Vistula Weekly", "PL", "weekly", "Warsaw", (), 0),
    Outlet("Caucasus Watch", "GE", "news site", "Tbilisi", (), 1),
    Outlet("Le Réveil de Genève", "CH", "daily newspaper", "Geneva", ("Le Réveil",), 2),
    Outlet("Сибирский вестник", "RU", "regional news site", "Novosibirsk",
           ("Sibirsky Vestnik",), 3),
    Outlet("People's Voice", "IN", "daily newspaper", "Delhi", (), 0),
    Outlet("Steppe Today", "KZ", "news site", "Almaty", (), 1),
    Outlet("Aegean Post", "GR", "daily newspaper", "Athens", (), 2),
    Outlet("Pampas Review", "AR", "magazine", "Buenos Aires", (), 3),
    Outlet("Liffey Times", "IE", "news site", "Dublin", (), 0),
    Outlet("Fjord Gazette", "NO", "regional daily", "Bergen", (), 1),
    Outlet("Carpathian Voice", "RO", "news site", "Cluj-Napoca", (), 2),
    Outlet("Gulf Observer", "AE", "daily newspaper", "Dubai", (), 3),
    Outlet("Monsoon Post", "BD", "daily newspaper", "Dhaka", (), 0),
    Outlet("Sakura Shimbun English", "JP", "news site", "Tokyo", ("Sakura Shimbun",), 1),
    Outlet("Amazonia Report", "BR", "news site", "Manaus", ("Amazônia Report",), 2),
    Outlet("Maple Ledger", "CA", "news site", "Toronto", (), 3),
    Outlet("Adriatic Times", "HR", "weekly", "Split", (), 0),
]

_FOCUS = [
    "politics and the economy", "regional affairs", "courts and human rights",
    "business and energy", "conflict and security", "the environment and climate",
    "migration and society", "international affairs", "investigations and accountability",
]
_OUTLET_ADJS = [
    "Independent", "Family-owned", "Reader-funded", "Long-established", "Award-winning",
    "Nonprofit", "Public-service", "Bilingual", "Investigative", "Privately owned",
]
_SECTIONS = ["news", "world", "politics", "business", "society", "region"]


def ascii_slug(text: str, limit: int = 60) -> str:
    """A lowercase ASCII slug (accents dropped, other scripts dropped); '' if nothing is left."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:limit].rstrip("-")


def outlet_domain(outlet: Outlet) -> str:
    """The outlet's (reserved, never real) domain name."""
    name = outlet.aliases[-1] if not ascii_slug(outlet.name) else outlet.name
    name = re.sub(r"^(the|le|la)\s+", "", name, flags=re.IGNORECASE)
    return ascii_slug(name).replace("-", "") + ".example"


# --------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------


def _choice(seq: Sequence[str]) -> Slot:
    def pick(r: Rng) -> str:
        return r.choice(seq)

    return pick


def person(r: Rng) -> str:
    return f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"


def _num(r: Rng) -> str:
    k = r.random()
    if k < 0.55:
        return str(r.randint(12, 990))
    if k < 0.8:
        return f"{r.randint(1, 99)},{r.randint(0, 999):03d}"
    return r.choice(["several hundred", "dozens of", "thousands of", "hundreds of"])


def _money(r: Rng) -> str:
    cur = r.choice(CURRENCIES)
    if r.random() < 0.6:
        return f"{r.randint(2, 950)} million {cur}"
    return f"{r.randint(1, 40)}.{r.randint(1, 9)} billion {cur}"


def _subject(r: Rng) -> str:
    k = r.random()
    if k < 0.3:
        return f"{person(r)}, {r.choice(ROLES)} at {r.choice(ORGS)},"
    if k < 0.6:
        return r.choice(ORGS)
    if k < 0.75:
        return f"the government of {r.choice(COUNTRIES)}"
    if k < 0.9:
        return f"the mayor of {r.choice(CITIES)}"
    return r.choice(["officials", "analysts", "opposition lawmakers", "diplomats", "lawyers"])


def _quote(r: Rng) -> str:
    return fill(r, r.choice(_QUOTE_T))


def _action(r: Rng) -> str:
    return fill(r, r.choice(_ACTION_T))


def _tail(r: Rng) -> str:
    return fill(r, r.choice(_TITLE_TAILS))


SLOTS: dict[str, Slot] = {
    "person": person,
    "role": _choice(ROLES),
    "org": _choice(ORGS),
    "org_short": _choice(ORGS_SHORT),
    "country": _choice(COUNTRIES),
    "country2": _choice(COUNTRIES),
    "city": _choice(CITIES),
    "city2": _choice(CITIES),
    "noun": _choice(NOUNS),
    "noun_t": lambda r: r.choice(NOUNS).removeprefix("the "),
    "said": _choice(SAID),
    "said_short": _choice(SAID_SHORT),
    "when": _choice(WHEN),
    "future": _choice(FUTURE),
    "weekday": _choice(WEEKDAYS),
    "month": _choice(MONTHS),
    "year": lambda r: str(r.randint(1990, 2019)),
    "day": lambda r: str(r.randint(1, 28)),
    "people": _choice(PEOPLE),
    "adj": _choice(ADJS),
    "feeling": _choice(FEELINGS),
    "commodity": _choice(COMMODITIES),
    "demand": _choice(DEMANDS),
    "doc": _choice(DOCS),
    "event": _choice(EVENTS),
    "crisis": _choice(CRISES),
    "opener": _choice(OPENERS),
    "state": _choice(STATES),
    "duration": _choice(DURATIONS),
    "blame": _choice(BLAME),
    "outlet_kind": _choice(OUTLET_KINDS),
    "ordinal": _choice(ORDINALS),
    "short_quote": _choice(SHORT_QUOTES),
    "pronoun": _choice(["she", "he", "they"]),
    "num": _num,
    "num_small": lambda r: str(r.randint(2, 12)),
    "pct": lambda r: str(r.randint(3, 78)),
    "money": _money,
    "subject": _subject,
    "quote": _quote,
    "action": _action,
    "hv": _choice(HEADLINE_VERBS),
    "pv": _choice(PROTEST_VERBS),
    "personv": _choice(PERSON_VERBS),
    "high": _choice(HIGHS),
    "last": _choice(LAST_NAMES),
    "ru_subject": _choice(RU_SUBJECTS),
    "ru_verb": _choice(RU_VERBS),
    "ru_object": _choice(RU_OBJECTS),
    "cyr": _choice(CYRILLIC_PREFIXES),
    "tail": _tail,
}

Template = tuple[str, tuple[str, ...]]


def compile_templates(texts: Sequence[str]) -> list[Template]:
    out: list[Template] = []
    for text in texts:
        fields = tuple(
            dict.fromkeys(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)
        )
        for f in fields:
            if f not in SLOTS:
                raise KeyError(f"unknown slot {f!r} in template {text!r}")
        out.append((text, fields))
    return out


def fill(r: Rng, template: Template) -> str:
    text, fields = template
    if not fields:
        return text
    return text.format_map({f: SLOTS[f](r) for f in fields})


def cap(text: str) -> str:
    """Capitalise the first letter (after an opening quote, if any)."""
    if text[:1] in "\"'«":
        return text[0] + text[1:2].upper() + text[2:]
    return text[:1].upper() + text[1:]


_ACTION_T = compile_templates(ACTIONS)
_QUOTE_T = compile_templates(QUOTES)
_HEADING_T = compile_templates(HEADINGS)

_SENTENCE_T = compile_templates([
    "{subject} {said} {when} that {noun} {action}.",
    "According to {org}, {noun} {action}.",
    "{opener} {noun} {action}, {subject} {said_short}.",
    "{person}, {role} at {org}, described {noun} as {adj} and said it {action}.",
    "Officials in {city} declined to comment on {noun}.",
    "{num} {people} took to the streets of {city} {when}, demanding {demand}.",
    "{org} is expected to publish {doc} {future}.",
    "Prices for {commodity} rose by {pct} percent {when}, the steepest increase since {year}.",
    "The {adj} decision comes as {noun} {action}.",
    "It was not immediately clear whether {noun} {action}.",
    "In {country}, {noun} has become a central issue ahead of {event}.",
    "{person} denied any wrongdoing and said {pronoun} would appeal.",
    "{org} did not respond to a request for comment.",
    "Some {people} in {city} said they were {feeling} about {noun}.",
    "Talks between {country} and {country2} are due to resume {future}.",
    "{subject} {said} the measures would remain in place until at least {month} {year}.",
    "\"{quote},\" {person} {said_short}.",
    "\"{quote},\" {person}, {role} at {org}, {said_short}.",
    "The {adj} plan would cost an estimated {money} over {num_small} years.",
    "Critics say {noun} {action}, while supporters argue it is long overdue.",
    "{person} told {outlet_kind} that {noun} {action}.",
    "Turnout in {city} was {pct} percent, according to {org}.",
    "The move follows {adj} protests in {city} and {city2} {when}.",
    "Data from {org} show that {num} {people} were affected by {crisis} in {month} alone.",
    "{opener} the situation in {city} remained {state}.",
    "Analysts expect {noun} to weigh on growth in {country} for {duration}.",
    "{subject} repeatedly rejected calls for {demand}.",
    "Asked about {noun}, {person} said only that {pronoun} had \"{short_quote}\".",
    "The story was first reported by {outlet_kind} on {weekday}.",
    "In {month} {year}, {country} introduced a similar measure, which was later withdrawn.",
    "{people} interviewed by reporters in {city} were divided.",
    "Neither side has published the full text of the agreement.",
    "{subject} blamed {noun} on {blame}.",
    "A {adj} poll published {when} found that {pct} percent of voters in {country} "
    "supported {noun}.",
    "The {ordinal} round of talks ended without agreement {when}.",
    "Schools and hospitals in {city} were operating normally, local authorities said.",
    "{opener} {subject} {said} that {crisis} {action}.",
    "The decision on {noun} is likely to be scrutinised by {org}.",
])

_LIST_ITEM_T = compile_templates([
    "{noun} {action}",
    "{num} {people} in {city} are affected",
    "{org} is expected to publish {doc} {future}",
    "prices for {commodity} are up {pct} percent",
    "talks with {country} resume {future}",
    "{crisis} in {city} continues",
])

_TITLE_TAILS = compile_templates([
    "", "", "", "as {people} protest", "amid {crisis}", "after {event}", "after {adj} talks",
    "despite warnings from {org_short}", "in {city}", "ahead of {event}",
    "as talks with {country} stall", "after {num_small}-hour debate",
])

_TITLE_T = compile_templates([
    "{country} {hv} {noun_t} {tail}",
    "{country} {hv} {noun_t} {tail}",
    "{people} in {city} protest {noun_t}",
    "{org_short} warns of {crisis} in {country}",
    "Court in {city} rules on {noun_t} {tail}",
    "{num} {people} {pv} over {noun_t} in {city}",
    "What {noun} means for {people} in {country}",
    "{last} {personv} {noun_t} {tail}",
    "{commodity} prices hit {high} high in {country}",
    "Explainer: why {noun_t} matters for {country}",
    "Analysis: {noun_t} tests {country}'s {adj} coalition",
    "'{short_quote}': {people} in {city} react to {noun_t}",
    "{city} mayor {personv} {noun_t} {tail}",
    "{country} and {country2} {hv} {noun_t}",
])
_TITLE_RU_T = compile_templates(["{ru_subject} {ru_verb} {ru_object} на {num_small}{pct} млн рублей"])
_TITLE_MIXED_T = compile_templates(["{cyr}: {noun_t} {tail}", "{cyr} and {noun_t} {tail}"])

# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

POOL_SIZE = 24_000


@dataclass
class Corpus:
    """The vocabulary of one corpus, derived from the seed."""

    pool: list[tuple[str, int]]  # (sentence, word count)
    short_pool: list[str]
    outlets: list[Outlet]
    outlet_cum: list[float]
    tag_cum: list[float]


def build_corpus_vocabulary(r: Rng) -> Corpus:
    pool: list[tuple[str, int]] = []
    for _ in range(POOL_SIZE):
        s = cap(fill(r, r.choice(_SENTENCE_T)))
        pool.append((s, s.count(" ") + 1))
    short_pool = [s for s, n in pool if n <= 16]
    outlets = list(_OUTLETS)
    r.shuffle(outlets)  # which outlets are the popular ones depends on the seed
    outlet_cum = _cumulative([1.0 / (i + 1) ** 0.8 for i in range(len(outlets))])
    tag_cum = _cumulative([1.0 / (i + 1) for i in range(len(TAGS))])
    return Corpus(pool, short_pool, outlets, outlet_cum, tag_cum)


def _cumulative(weights: Sequence[float]) -> list[float]:
    out: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


_YAML_SPECIAL = {
    "yes", "no", "on", "off", "true", "false", "null", "y", "n", "~", "",
}


def yaml_str(text: str) -> str:
    """A YAML scalar for text: plain where that is safe, else double-quoted."""
    if (
        text[:1].isalpha()
        and text.lower() not in _YAML_SPECIAL
        and all(c.isalpha() or c in " .'-" for c in text)
        and not text.endswith(" ")
    ):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrap(text: str, width: int, prefix: str = "") -> str:
    """Hard-wrap text at width, never starting a line with something Markdown could misread
    (a list marker, heading, quote, number...): such a word stays on the line before."""
    w = max(width - len(prefix), 10)
    lines: list[str] = []
    start = 0
    size = len(text)
    while size - start > w:
        cut = text.rfind(" ", start, start + w + 1)
        while cut > start and text[cut + 1] in _RISKY:
            cut = text.rfind(" ", start, cut)
        if cut <= start:  # one overlong (or risky-led) stretch: break after it
            cut = text.find(" ", start + w + 1)
            while cut != -1 and text[cut + 1] in _RISKY:
                cut = text.find(" ", cut + 1)
            if cut == -1:
                break
        lines.append(prefix + text[start:cut])
        start = cut + 1
    lines.append(prefix + text[start:])
    return "\n".join(lines)


_RISKY = frozenset("-+*#>=|<0123456789")


def _mark_span(r: Rng, para: str, kind: str, url: str = "") -> str:
    """Wrap 1-4 words of the paragraph in emphasis or a link; leave it unchanged if awkward."""
    words = para.split(" ")
    if len(words) < 6:
        return para
    k = r.randint(1, 4) if kind == "link" else r.randint(1, 3)
    j = r.randrange(len(words) - k)
    span = words[j : j + k]
    if any(c in w for w in span for c in "*[]()\"«»_`"):
        return para
    last = span[-1]
    core = last.rstrip(".,;:!?")
    punct = last[len(core) :]
    if not core or not span[0][:1].isalnum():
        return para
    span[-1] = core
    inner = " ".join(span)
    if kind == "bold":
        marked = f"**{inner}**"
    elif kind == "italic":
        marked = f"*{inner}*"
    else:
        marked = f"[{inner}]({url})"
    words[j : j + k] = [marked + punct]
    return " ".join(words)


def article_url(r: Rng, outlet: Outlet, domain: str, title: str, y: int, m: int, d: int) -> str:
    slug = ascii_slug(title) or "article"
    style = outlet.url_style
    ident = r.randint(10000, 999999)
    if style == 0:
        return f"https://www.{domain}/{y}/{m:02d}/{d:02d}/{slug}"
    if style == 1:
        return f"https://www.{domain}/news/{r.choice(_SECTIONS)}/{slug}-{ident}"
    if style == 2:
        return f"https://{domain}/article/{ident}/{slug}"
    return f"https://www.{domain}/{r.choice(_SECTIONS)}/{y}{m:02d}{d:02d}-{slug}.html"


def _title_key(title: str) -> str:
    return re.sub(r"\W+", "-", unicodedata.normalize("NFKD", title).casefold()).strip("-")


def make_title(r: Rng, seen: set[str]) -> str:
    for attempt in range(50):
        k = r.random()
        if k < 0.015:
            t = fill(r, _TITLE_RU_T[0])
        elif k < 0.035:
            t = fill(r, r.choice(_TITLE_MIXED_T))
        else:
            t = fill(r, r.choice(_TITLE_T))
        t = cap(" ".join(t.split()))  # collapse the space an empty tail leaves
        if attempt > 20:
            t = f"{t} ({attempt})"
        key = _title_key(t)
        if key not in seen:
            seen.add(key)
            return t
    raise RuntimeError("could not find a unique title")  # pragma: no cover


def make_date(day_index: int, secs: int, kind: int, r: Rng) -> tuple[str, int, int, int]:
    """The front-matter date string, plus (year, month, day) as written."""
    d = _FIRST_DATE + datetime.timedelta(days=day_index)
    hh, rem = divmod(secs, 3600)
    mm, ss = divmod(rem, 60)
    if kind == 0:
        text = d.isoformat()
    elif kind == 1:
        sep = " " if r.random() < 0.2 else "T"
        text = f"{d.isoformat()}{sep}{hh:02d}:{mm:02d}:{ss:02d}"
    else:
        off = r.choice(["+00:00", "+01:00", "+02:00", "+03:00", "-05:00", "-04:00", "+05:30",
                        "+09:00", "Z", "+01:00", "+02:00"])
        text = f"{d.isoformat()}T{hh:02d}:{mm:02d}:{ss:02d}{off}"
    return text, d.year, d.month, d.day


def make_tags(r: Rng, c: Corpus) -> list[str]:
    want = r.randint(3, 6)
    tags: list[str] = []
    while len(tags) < want:
        for t in r.choices(TAGS, cum_weights=c.tag_cum, k=want + 2):
            if t not in tags:
                tags.append(t)
                if len(tags) == want:
                    break
    return tags


def make_body(r: Rng, c: Corpus, outlet_domain_: str, src_url: str, src_name: str) -> str:
    target = r.randint(610, 1360)
    sents = r.choices(c.pool, k=target // 12 + 16)
    paras: list[str] = []
    total = 0
    i = 0
    while total < target:
        k = r.randint(2, 6)
        chunk = sents[i : i + k]
        i += k
        if len(chunk) < k:
            chunk += r.choices(c.pool, k=k - len(chunk))
        for j, (_, n) in enumerate(chunk):
            total += n
            if total >= target:
                del chunk[j + 1 :]
                break
        paras.append(" ".join(s for s, _ in chunk))

    # Inline markup.
    np_ = len(paras)
    for _ in range(r.randint(0, 4)):
        j = r.randrange(np_)
        paras[j] = _mark_span(r, paras[j], "bold")
    for _ in range(r.randint(0, 3)):
        j = r.randrange(np_)
        paras[j] = _mark_span(r, paras[j], "italic")
    for _ in range(r.randint(1, 4)):
        j = r.randrange(np_)
        if src_url and r.random() < 0.5:
            url = src_url
        else:
            url = f"https://www.{outlet_domain_}/{r.choice(_SECTIONS)}/{r.randint(1000, 99999)}"
        paras[j] = _mark_span(r, paras[j], "link", url)

    hard_wrap = r.random() < 0.2
    blocks: list[str] = [wrap(p, 96) if hard_wrap else p for p in paras]

    # Block elements, inserted from the end so earlier indices stay valid.
    inserts: list[tuple[int, str]] = []
    if np_ > 3 and r.random() < 0.35:
        quote = cap(fill(r, r.choice(_QUOTE_T))) + "."
        text = wrap(f'"{quote}"', 94, "> ") if hard_wrap else f'> "{quote}"'
        if r.random() < 0.5:
            text += f"\n>\n> — {person(r)}"
        inserts.append((r.randint(2, np_ - 1), text))
    if np_ > 3 and r.random() < 0.3:
        items = [cap(fill(r, r.choice(_LIST_ITEM_T))) for _ in range(r.randint(3, 5))]
        if r.random() < 0.3:
            items = r.sample(c.short_pool, 3)
        if r.random() < 0.6:
            lst = "\n".join(f"- {it}" for it in items)
        else:
            lst = "\n".join(f"{n}. {it}" for n, it in enumerate(items, 1))
        inserts.append((r.randint(2, np_ - 1), lst))
    if np_ > 4 and r.random() < 0.3:
        for _ in range(r.randint(1, 3)):
            level = "##" if r.random() < 0.75 else "###"
            inserts.append((r.randint(2, np_ - 1), f"{level} {cap(fill(r, r.choice(_HEADING_T)))}"))
    if np_ > 4 and r.random() < 0.02:
        inserts.append((r.randint(3, np_ - 1), r.choice(["---", "***", "* * *"])))
    for pos, block in sorted(inserts, key=lambda x: x[0], reverse=True):
        blocks.insert(pos, block)

    roll = r.random()
    if roll < 0.3:
        blocks.insert(1, "<!--more-->")
    elif roll < 0.35:
        blocks.insert(2, "<!--more-->")
    if src_url and r.random() < 0.2:
        blocks.append(
            r.choice(["Read the original at [{n}]({u}).", "*Source: [{n}]({u})*"])
            .format(n=src_name, u=src_url)
        )
    return "\n\n".join(blocks) + "\n"


def generate(n: int, out_dir: Path, seed: int = DEFAULT_SEED, *, force: bool = False) -> int:
    """Write the corpus; returns the number of bytes written under content/."""
    if n < 1:
        raise ValueError("N must be at least 1")
    _prepare_out_dir(out_dir, force)
    r = random.Random(seed)
    c = build_corpus_vocabulary(r)
    domains = {o.name: outlet_domain(o) for o in c.outlets}

    (out_dir / "digest.yaml").write_text(
        "title: Bench Digest\n"
        f"description: Synthetic benchmark corpus ({n} articles, seed {seed}).\n"
        "base_url: https://bench.example.org/\n"
        "language: en\n"
        "timezone: Europe/Berlin\n"
        "per_page: 20\n",
        encoding="utf-8",
    )
    (out_dir / "sources.yaml").write_text(_sources_yaml(r, c, domains), encoding="utf-8")

    # Dates first, sorted, so that article numbers follow publication order.
    stamps: list[tuple[int, int, int]] = []
    for _ in range(n):
        kind = 0 if (k := r.random()) < 0.35 else (1 if k < 0.7 else 2)
        lo, hi = (0, 86399) if kind == 2 else (6 * 3600, 22 * 3600)  # naive: no DST gaps
        stamps.append((r.randrange(DAYS), r.randint(lo, hi), kind))
    stamps.sort()

    width = max(6, len(str(n)))
    content = os.path.join(os.fspath(out_dir), "content")
    made_dirs: set[str] = set()
    seen_titles: set[str] = set()
    outlet_names = [o.name for o in c.outlets]
    total_bytes = 0
    for idx, (day_index, secs, kind) in enumerate(stamps, 1):
        date_text, y, m, d = make_date(day_index, secs, kind, r)
        outlet = r.choices(c.outlets, cum_weights=c.outlet_cum)[0]
        domain = domains[outlet.name]
        title = make_title(r, seen_titles)
        src_name = outlet.name
        if outlet.aliases and r.random() < 0.08:
            src_name = r.choice(outlet.aliases)
        src_url = article_url(r, outlet, domain, title, y, m, d) if r.random() < 0.92 else ""

        fm = ["---", f"title: {yaml_str(title)}", f"date: {date_text}",
              f"source: {yaml_str(src_name)}"]
        if src_url:
            fm.append(f"source_url: {src_url}")
        if r.random() < 0.1:
            via = r.choice(outlet_names)
            if via != outlet.name:
                fm.append(f"via: {yaml_str(via)}")
        if r.random() < 0.3:
            if r.random() < 0.2:
                names = ", ".join(yaml_str(person(r)) for _ in range(r.randint(2, 3)))
                fm.append(f"author: [{names}]")
            else:
                fm.append(f"author: {yaml_str(person(r))}")
        tags = make_tags(r, c)
        if r.random() < 0.1:
            fm.append("tags:")
            fm.extend(f"  - {t}" for t in tags)
        else:
            fm.append(f"tags: [{', '.join(tags)}]")
        if r.random() < 0.06:
            fm.append(f"story: {tags[0]}-{y}-{r.randint(1, 4)}")
        if r.random() < 0.35:
            summary = " ".join(s for s, _ in r.choices(c.pool, k=r.randint(1, 2)))
            if r.random() < 0.5:
                fm.append(f"summary: {yaml_str(summary)}")
            else:
                fm.append("summary: >-")
                fm.append(wrap(summary, 96, "  "))
        fm.append("---")
        body = make_body(r, c, domain, src_url, src_name)

        folder = os.path.join(content, f"{y:04d}", f"{m:02d}")
        if folder not in made_dirs:
            os.makedirs(folder, exist_ok=True)
            made_dirs.add(folder)
        data = ("\n".join(fm) + "\n" + body).encode("utf-8")
        with open(os.path.join(folder, f"article-{idx:0{width}d}.md"), "wb") as fh:
            fh.write(data)
        total_bytes += len(data)

    marker = out_dir / MARKER_NAME
    tmp = out_dir / (MARKER_NAME + ".tmp")
    tmp.write_text(json.dumps(expected_marker(n, seed), indent=2, sort_keys=True) + "\n",
                   encoding="utf-8")
    os.replace(tmp, marker)
    return total_bytes


def _sources_yaml(r: Rng, c: Corpus, domains: dict[str, str]) -> str:
    lines: list[str] = []
    for o in sorted(c.outlets, key=lambda o: o.name):
        domain = domains[o.name]
        desc = (f"{r.choice(_OUTLET_ADJS)} {o.kind} based in {o.base}, covering "
                f"{r.choice(_FOCUS)}.")
        lines.append(f"{yaml_str(o.name)}:")
        lines.append(f"  url: https://www.{domain}")
        lines.append(f"  description: {yaml_str(desc)}")
        lines.append(f"  country: {o.country}")
        if o.aliases:
            lines.append(f"  aliases: [{', '.join(yaml_str(a) for a in o.aliases)}]")
        lines.append(f"  domains: [{domain}]")
    return "\n".join(lines) + "\n"


def script_sha256() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def expected_marker(n: int, seed: int) -> dict[str, object]:
    """What the marker file of a complete corpus for (n, seed) contains."""
    return {"articles": n, "seed": seed, "format": FORMAT_VERSION,
            "generator_sha256": script_sha256()}


def _prepare_out_dir(out_dir: Path, force: bool) -> None:
    if out_dir.exists():
        if not out_dir.is_dir():
            raise SystemExit(f"gen_corpus: {out_dir} exists and is not a directory")
        if any(out_dir.iterdir()):
            if not (out_dir / MARKER_NAME).exists() and not force:
                raise SystemExit(
                    f"gen_corpus: {out_dir} is not empty and is not a generated corpus "
                    f"(no {MARKER_NAME}); use --force to replace it"
                )
            shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("n", type=int, metavar="N", help="number of articles")
    p.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="site folder to write")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 1)")
    p.add_argument("--force", action="store_true",
                   help="replace OUT_DIR even if it is not a generated corpus")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    c0 = time.process_time()
    nbytes = generate(args.n, args.out_dir, args.seed, force=args.force)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(f"gen_corpus: {args.n} articles, {nbytes / 1e6:.1f} MB in {args.out_dir} "
          f"in {dt:.2f} s wall, {cpu:.2f} s CPU ({args.n / dt:,.0f} articles/s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
