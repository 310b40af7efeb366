"""Ticket search, shared by the grid and the API ``?q=``.

One term matches, in one indexable ``WHERE`` (a PostgreSQL BitmapOr, no sequential scan):

* identifiers typed in any usual writing: ticket reference (prefix), carrier ticket
  reference, the customer's own reference (« Votre référence »), a service's carrier
  reference or an equipment serial (in part), a company
  name, and phone numbers (contact, number range / SDA, mobile line) in national or
  international form;
* the same identifiers typed inside a longer term ("ticket n° 2505057242", "rappel au
  06 12 34 56 78", "FT 20250612 ABC"): each reference-like token and each phone number
  the term contains is looked up as above (``embedded_identifiers``);
* French full text over subject, description, resolution, comments and inbound mails:
  PostgreSQL ``tsvector`` with the ``softwhere_fr`` configuration (French stems, accents
  folded), SQLite FTS5 with folded accents and a light French stemmer turned into
  prefix queries; a phone number also matches the text in each of its usual writings
  (``phone_writings``). See ``search_schema.py`` for how the index is kept current.

Identifier look-ups run first against their small tables and come back as id lists,
so the ticket query never carries an ``OR id IN (subquery)`` that would defeat the
indexes. Client and partner users search the header text only: internal comments
must not make a ticket findable by words its customer never saw.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from softwhere.core.text import Folded, fold_name
from softwhere.core.validators import normalize_phone
from softwhere.customers.models import Contact, Organisation
from softwhere.inventory.models import Equipment, MobileLine, NumberRange, Service

from .models import Ticket
from .search_schema import FTS_TABLE, TS_CONFIG

#: Matches counted beyond this are shown as "plus de 1 000" (no COUNT(*) over the table).
COUNT_CAP = 1000
#: Identifier look-ups (services, equipment, companies) return at most this many ids.
ID_LOOKUP_CAP = 2000
MARK_START, MARK_STOP = "\x02", "\x03"
#: Reference-like tokens of a longer term looked up as identifiers (each costs a few small look-ups).
EMBEDDED_CAP = 3

_WORD = re.compile(r"\w+", re.UNICODE)
# Letters, digits and the separators references are written with ("FT-20250612-ABC", "SN.4512/88").
_ID_TOKEN = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z./_-]*[0-9A-Za-z])?")
# Longest first: the light stemmer removes one inflection so "coupures" finds "coupure".
_FR_SUFFIXES = sorted(
    (
        "issements",
        "issement",
        "ements",
        "ement",
        "ations",
        "ation",
        "atrices",
        "atrice",
        "ateurs",
        "ateur",
        "ances",
        "ance",
        "ences",
        "ence",
        "euses",
        "euse",
        "eux",
        "ités",
        "ité",
        "ives",
        "ive",
        "ifs",
        "if",
        "ées",
        "és",
        "ée",
        "er",
        "ez",
        "es",
        "e",
        "s",
        "x",
    ),
    key=len,
    reverse=True,
)


def fold(text: str) -> str:
    """Lower case without accents ("Débit coupé" -> "debit coupe"), as SQLite's FTS5 tokenizer folds.

    Ligatures stay (« cœur »): ``unicode61`` keeps them too. Names use ``core.text.fold_name``.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def light_stem(word: str) -> str:
    """Strip one French inflection, keeping at least four letters (SQLite has no French stemmer)."""
    if word.isdigit():
        return word
    for suffix in _FR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words_of(term: str) -> list[str]:
    return [w.replace("_", "") for w in _WORD.findall(term) if w.replace("_", "")]


def pg_tsquery_text(term: str) -> str:
    """``to_tsquery`` input: every word required, the last one as a prefix (search as you type)."""
    words = [w for w in words_of(fold(term)) if w]
    if not words:
        return ""
    parts = [f"'{w}'" for w in words[:-1]] + [f"'{words[-1]}':*"]
    return " & ".join(parts)


def fts5_query_text(term: str, *, header_only: bool = False) -> str:
    """FTS5 MATCH input: each folded, stemmed word as a quoted prefix, all required.

    A phone number also matches as a phrase in each of its usual writings.
    """
    words = [light_stem(w) for w in words_of(fold(term))]
    if not words:
        return ""
    query = " AND ".join(f'"{w}"*' for w in words)
    phrases = [f'"{form}"' for form in _phone_phrases(term)]
    if phrases:
        query = " OR ".join([f"({query})", *phrases])
    return f"{{subject description}} : ({query})" if header_only else query


def phone_writings(term: str) -> list[str]:
    """The ways a French text writes the number ``term`` (empty if ``term`` is not one).

    Text search cuts "06 12 34 56 78" into five numbers and keeps "06.12.34.56.78" or
    "+33612345678" whole, so a number typed one way is found in a description or a mail
    written another way only by searching each writing as a phrase.
    """
    if sum(ch.isdigit() for ch in term) < 9:
        return []
    try:
        e164 = normalize_phone(term)
    except ValidationError:
        return []
    parsed = phonenumbers.parse(e164)
    groups = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL).split()
    international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    country, _, rest = international.partition(" ")
    forms = [" ".join(groups), "".join(groups), ".".join(groups), "-".join(groups), "/".join(groups)]
    forms += [international, e164, "00" + e164[1:], "00" + international[1:]]
    if groups and groups[0].startswith("0"):  # "+33 (0)6 12 34 56 78"
        forms.append(f"{country} (0){rest}")
    return list(dict.fromkeys(forms))


def embedded_identifiers(term: str) -> list[str]:
    """Phone numbers and reference-like tokens inside a term of several words.

    Agents paste what the customer wrote: "ticket n°2505057242", "rappel au 06 12 34 56 78",
    "réf. FT 20250612 ABC". The whole term then matches no identifier and, as full text,
    requires words ("ticket", "rappel") the ticket may not hold. A phone number is found
    by libphonenumber's matcher in any French writing; any other token with at least four
    digits and six characters (a reference, a carrier reference part, a serial) is looked
    up on its own. A term that is a single token needs none of this.
    """
    term = term.strip()
    if not any(ch.isspace() for ch in term) and not any(ch in term for ch in "°#:"):
        return []
    tokens: list[str] = []
    rest = term
    for match in phonenumbers.PhoneNumberMatcher(term, "FR"):
        if match.raw_string.strip() != term:
            tokens.append(match.raw_string)
        rest = rest.replace(match.raw_string, " ")
    for token in _ID_TOKEN.findall(rest):
        token = token.strip("./_-")
        if token != term and len(token) >= 6 and sum(ch.isdigit() for ch in token) >= 4:
            tokens.append(token)
    return list(dict.fromkeys(tokens))[:EMBEDDED_CAP]


@dataclass(frozen=True)
class SearchResult:
    queryset: QuerySet[Ticket]
    #: Exact number of matches, or COUNT_CAP + 1 when there are more.
    capped_count: int

    @property
    def more_than_cap(self) -> bool:
        return self.capped_count > COUNT_CAP


def _phone_phrases(term: str) -> list[str]:
    """Writings of the term as a phone number, or of the phone numbers it contains."""
    forms = phone_writings(term)
    for token in embedded_identifiers(term):
        forms += phone_writings(token)
    return list(dict.fromkeys(forms))


def _identifier_condition(term: str) -> Q:
    """References, carrier references, serials, companies and phone numbers."""
    cond = Q(reference__istartswith=term)
    if len(term) >= 3:
        # "<> ''" lets PostgreSQL use the partial index of the few tickets that have a client reference.
        cond |= Q(carrier_ticket_reference__icontains=term) | (
            Q(client_reference__icontains=term) & ~Q(client_reference="")
        )
        # Accents and case ignored on both sides: « societe generale » finds « Société Générale ».
        companies = Organisation.objects.annotate(folded=Folded("name")).filter(folded__contains=fold_name(term))
        org_ids = list(companies.values_list("pk", flat=True)[:ID_LOOKUP_CAP])
        if org_ids:
            cond |= Q(organisation_id__in=org_ids)
        links = Ticket.services.through.objects
        service_ids = Service.objects.filter(carrier_reference__icontains=term).values_list("pk", flat=True)[
            :ID_LOOKUP_CAP
        ]
        ticket_ids = set(links.filter(service_id__in=list(service_ids)).values_list("ticket_id", flat=True))
        serial_ids = Equipment.objects.filter(serial_number__icontains=term).values_list("pk", flat=True)[
            :ID_LOOKUP_CAP
        ]
        eq_links = Ticket.equipment.through.objects
        ticket_ids |= set(eq_links.filter(equipment_id__in=list(serial_ids)).values_list("ticket_id", flat=True))
        if ticket_ids:
            cond |= Q(pk__in=sorted(ticket_ids)[:ID_LOOKUP_CAP])
    if sum(ch.isdigit() for ch in term) >= 9:
        cond |= _phone_condition(term)
    return cond


def _phone_condition(term: str) -> Q:
    try:
        e164 = normalize_phone(term)
    except ValidationError:
        return Q(pk__in=[])
    if not e164:
        return Q(pk__in=[])
    ranges = NumberRange.objects.filter(first_number__lte=e164, last_number__gte=e164)
    org_ids = set(Contact.objects.filter(Q(phone=e164) | Q(mobile=e164)).values_list("organisation_id", flat=True))
    site_ids = set(ranges.values_list("voice_service__site_id", flat=True))
    site_ids |= set(MobileLine.objects.filter(msisdn=e164).values_list("site_id", flat=True))
    service_ids = set(ranges.values_list("voice_service_id", flat=True))
    service_ids |= set(MobileLine.objects.filter(msisdn=e164).values_list("pk", flat=True))
    links = Ticket.services.through.objects
    ticket_ids = set(links.filter(service_id__in=service_ids).values_list("ticket_id", flat=True))
    return Q(organisation_id__in=sorted(org_ids)) | Q(site_id__in=sorted(site_ids)) | Q(pk__in=sorted(ticket_ids))


def _fulltext(qs: QuerySet[Ticket], term: str, *, header_only: bool) -> tuple[QuerySet[Ticket], Q | None]:
    """Annotate rank and snippet; return the full-text condition (None if the term has no word)."""
    table = Ticket._meta.db_table
    if connection.vendor == "postgresql":
        tsq = pg_tsquery_text(term)
        if not tsq:
            return qs, None
        # The parser, not Python, cuts each writing of a phone number into the tokens the vector holds.
        phones = _phone_phrases(term)
        query = " || ".join([f"to_tsquery('{TS_CONFIG}', %s)"] + [f"phraseto_tsquery('{TS_CONFIG}', %s)"] * len(phones))
        query, params = f"({query})", [tsq, *phones]
        vector = (
            f"to_tsvector('{TS_CONFIG}', {table}.subject || ' ' || {table}.description)"
            if header_only
            else f"{table}.search_vector"
        )
        match = RawSQL(f"{vector} @@ {query}", params, output_field=BooleanField())
        qs = qs.annotate(
            search_rank=RawSQL(f"ts_rank({vector}, {query})", params, output_field=FloatField()),
            search_snippet=RawSQL(
                f"ts_headline('{TS_CONFIG}', {table}.subject || ' — ' || {table}.description, {query}, "
                f"'StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=18, MinWords=6, MaxFragments=2')",
                params,
                output_field=TextField(),
            ),
        )
        return qs, Q(match)
    if connection.vendor == "sqlite":
        fts = fts5_query_text(term, header_only=header_only)
        if not fts:
            return qs, None
        match = RawSQL(
            f"{table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            [fts],
            output_field=BooleanField(),
        )
        qs = qs.annotate(
            # bm25 is lower-is-better: negate it so "higher rank first" holds on both vendors.
            search_rank=RawSQL(
                f"(SELECT -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND rowid = {table}.id)",
                [fts],
                output_field=FloatField(),
            ),
            search_snippet=RawSQL(
                f"(SELECT snippet({FTS_TABLE}, -1, '{MARK_START}', '{MARK_STOP}', '…', 14) FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND rowid = {table}.id)",
                [fts],
                output_field=TextField(),
            ),
        )
        return qs, Q(match)
    return qs, Q(subject__icontains=term) | Q(description__icontains=term)


def filter_tickets(qs: QuerySet[Ticket], term: str, *, header_only: bool = False) -> QuerySet[Ticket]:
    """Tickets of ``qs`` matching ``term``, annotated with ``search_rank`` and ``search_snippet``."""
    term = term.strip()[:200]
    if not term:
        return qs
    qs, text_cond = _fulltext(qs, term, header_only=header_only)
    cond = _identifier_condition(term)
    for token in embedded_identifiers(term):
        cond |= _identifier_condition(token)
    if text_cond is not None:
        cond |= text_cond
    else:
        qs = qs.annotate(search_rank=Value(0.0, output_field=FloatField()), search_snippet=Value(""))
    return qs.filter(cond)


def search(qs: QuerySet[Ticket], term: str, *, header_only: bool = False) -> SearchResult:
    """Matches ranked by relevance, or newest first when there are more than ``COUNT_CAP``.

    Ranking needs the score of every match; past a thousand matches that costs more than
    it helps, and the newest-first order is read straight from the age index.
    """
    matched = filter_tickets(qs, term, header_only=header_only)
    capped = capped_count(matched)
    if capped > COUNT_CAP:
        return SearchResult(matched.order_by("-created_at", "-id"), capped)
    return SearchResult(matched.order_by(F("search_rank").desc(nulls_last=True), "-created_at", "-id"), capped)


def capped_count(qs: QuerySet[Ticket], cap: int = COUNT_CAP) -> int:
    """COUNT over at most ``cap + 1`` rows: exact below the cap, "more than" above."""
    return qs.order_by().values("pk")[: cap + 1].count()


def highlight(snippet: str | None) -> SafeString:
    """Escape a snippet, then turn the database's match markers into ``<mark>``."""
    if not snippet or MARK_START not in snippet:
        return mark_safe("")
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html)  # escaped above: only our markers become tags
