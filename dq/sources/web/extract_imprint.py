"""Company facts from Impressum text: the § 5 DDG details as German, Austrian and English sites
write them.

The page is turned into lines (block elements and ``<br>`` break lines, a label alone on a line is
joined with its value), the Impressum section is located by its heading, and each fact is read by
a labelled pattern: legal name and form, address, phone, fax, email (``mailto:``, Cloudflare's
``data-cfemail`` and "info [at] firma [dot] de" obfuscations), register court and number, VAT ID,
managing directors / Vorstand / Inhaber and the person responsible under § 18 MStV (both personal
data), and social-profile links.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from dq.sources.web.extracted import Extracted, Method
from dq.sources.web.links import same_site
from dq.sources.web.textparse import (
    clean,
    country_code,
    legal_form_of,
    parse_postcode_city,
    social_profile,
    split_street,
)
from dq.sources.web.vocab import IMPRINT_LABELS, TLD_COUNTRIES

__all__ = [
    "decode_cfemail",
    "deobfuscate_emails",
    "extract_imprint",
    "find_emails",
    "has_imprint_heading",
    "page_lines",
    "social_links",
]

_BLOCK = {
    "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "address",
    "section", "article", "footer", "header", "main", "dt", "dd", "dl", "blockquote", "aside",
    "form", "fieldset", "nav", "pre", "hr",
}  # fmt: skip
_DROP = {"script", "style", "noscript", "template", "svg", "iframe", "head", "button", "select"}

_MARK = "@@dq-imprint-section@@"
_HEADING_RE = re.compile(
    r"^(?:impressum|imprint|legal notice|site notice|legal information|anbieterkennzeichnung"
    r"|offenlegung\b.*|mentions l[ée]gales|note legali|aviso legal|colofon|rechtliche hinweise"
    r"|rechtliche angaben|rechtliches|pflichtangaben|angaben gem(?:ä|ae)(?:ss|ß) ?§ ?5\b.*"
    r"|information (?:according|pursuant) to ?§ ?5\b.*"
    r"|impressum und .*|impressum / .*|impressum & .*)$",
    re.I,
)
# A label alone on its line takes the next line as its value ("Telefon:" / "030 1234").
_LABEL_ONLY_RE = re.compile(
    r"^(?:tel(?:efon|\.)?|phone|telephone|fon|fax|telefax|e-?mail|mail|internet|web"
    r"|registergericht|register court|registernummer|register number|handelsregister"
    r"|ust-?id(?:nr)?\.?|ust\.?-?id\.?-?nr\.?|umsatzsteuer-?id(?:entifikationsnummer)?"
    r"|vat(?: id| no\.?| number)?|uid(?:-nr\.?)?|sitz(?: der gesellschaft)?)\s*[:.]?$",
    re.I,
)

# --- emails ---------------------------------------------------------------------------------
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_AT = r"(?:\s*[\[\(\{<]\s*(?:at|ät|@)\s*[\]\)\}>]\s*|\s+(?:at|ät)\s+|\s*\(a\)\s*)"
_DOT = r"(?:\s*[\[\(\{<]\s*(?:dot|punkt|\.)\s*[\]\)\}>]\s*|\s+(?:dot|punkt)\s+|\.)"
_OBFUSCATED_RE = re.compile(
    rf"(?P<user>[A-Za-z0-9._%+-]+){_AT}(?P<domain>[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)+)", re.I
)
_DOT_RE = re.compile(_DOT, re.I)

# --- phones ---------------------------------------------------------------------------------
_NUMBER = r"(?P<num>\+?\(?\d[\d \t()/.\-–]{4,24}\d)"
_FAX_RE = re.compile(
    rf"(?<![a-zäöü])(?:(?:tele)?fax(?:nummer)?|f(?=\s+\+?\d))\s*\.?\s*(?:\([^)]*\))?\s*[:.]?\s*{_NUMBER}",
    re.I,
)
_PHONE_RE = re.compile(
    rf"(?<![a-zäöü])(?:telefon(?:nummer)?|tel|phone|telephone|fon|t)\s*\.?\s*(?:\([^)]*\))?\s*[:.]?\s*{_NUMBER}",
    re.I,
)

# --- register and VAT -----------------------------------------------------------------------
# "HRB 12345", "HRB12345", "HRB-Nr. 12345", "HR B 1234", "HRB: 4711", "VR 4711 (Amtsgericht …)"
_REGNO_RE = re.compile(
    r"(?<![A-Za-z])(?P<kind>HR\s?A|HR\s?B|GnR|GsR|VR|PR)(?![A-Za-z])"
    r"\s*(?:-?\s*Nr\.?|-?\s*Nummer)?\s*[:.\-]?\s*(?P<no>\d{1,6}(?:\s?[A-Z]{1,2}\b)?)"
)
_FN_RE = re.compile(r"\b(?:FN|Firmenbuchnummer:?)\s*(?P<no>\d{1,6}\s?[a-z])\b")
_CITY = (
    r"[A-ZÄÖÜ][\wäöüß.\-]*(?:\s*\((?:[A-ZÄÖÜ][\wäöüß.\- ]*)\)"
    r"|\s+(?:am|an der|im|in der)\s+[A-ZÄÖÜ][\wäöüß.\-]*)?"
)
_COURT_RE = re.compile(
    rf"\b(?:Amtsgericht(?:e?s)?|AG|Local court(?: of)?|District court(?: of)?)\s+(?P<city>{_CITY})"
)
_REGCOURT_RE = re.compile(rf"\bRegistergericht(?:e?s)?\s*[:.]?\s*(?P<city>{_CITY})")
_AT_COURT_RE = re.compile(
    rf"\b(?P<court>Handelsgericht|Landesgericht|Landesgerichts?)\s+(?P<city>{_CITY})"
)
_VAT_LABEL = (
    r"(?:USt\.?\s?-?\s?Id(?:ent)?(?:\.|-|\s)*(?:Nr|Nummer)?\.?"
    r"|Umsatzsteuer-?\s?Identifikationsnummer|Umsatzsteuer-?\s?ID"
    r"|VAT(?:\s?(?:ID|No|Reg)\.?(?:\s?No\.?)?|\s?number|\s?identification number)?"
    r"|UID(?:-Nr\.?|-Nummer)?|MwSt\.?-?Nr\.?)"
)
_VAT_LABELLED_RE = re.compile(
    r"\b"
    + _VAT_LABEL
    + r"[^A-Z\d]{0,40}?(?P<vat>[A-Z]{2,3}[\s.-]?[0-9A-Z][0-9A-Z\s.]{6,16}[0-9A-Z])",
    re.I,
)
_VAT_BARE_RE = re.compile(
    r"\b(?:DE\s?\d{3}\s?\d{3}\s?\d{3}|ATU\s?\d{8}|CHE[-\s]?\d{3}\.?\d{3}\.?\d{3})\b"
)

# --- persons --------------------------------------------------------------------------------
_DIRECTOR_RE = re.compile(
    r"^(?:vertretungsberechtigte[rn]?\s+|gesetzlich vertreten durch\s*(?:den|die)?\s*)?"
    r"(?:geschäftsführer(?:in|innen)?|geschaeftsfuehrer(?:in)?|geschäftsführung"
    r"|(?:geschäftsführende[rn]?\s+)?gesellschafter(?:in|innen)?"
    r"|vorstand(?:svorsitzende[rn]?)?"
    r"|vorsitzende[rn]? des vorstand(?:e?s)?|inhaber(?:in)?|vertreten durch(?: (?:den|die|das))?"
    r"(?: geschäftsführer(?:in)?| vorstand)?|vertretungsberechtigt|managing directors?|directors?"
    r"|ceo|represented by|owner|proprietor|komplementär(?:in)?"
    r"|partner(?:in|innen)?)"
    r"\s*(?:\([^)]*\))?\s*[:\-–]?\s*(?P<rest>.*)$",
    re.I,
)
_RESPONSIBLE_RE = re.compile(
    r"^(?:inhaltlich\s+)?verantwortlich(?:e[rn]?)?\b[^:]*?(?:mstv|rstv|tmg|ddg|inhalt|redaktion)"
    r"[^:]*:\s*(?P<rest>.*)$|^responsible for (?:the )?content[^:]*:\s*(?P<rest2>.*)$",
    re.I,
)
_PERSON_PREFIX = re.compile(
    r"^(?:(?:diese|dieser|deren|welche)\s+(?:vertreten|vertr\.)\s+durch|vertreten durch"
    r"|represented by|den|die|der|herrn?|frau|mr\.?|mrs\.?|ms\.?)\s+",
    re.I,
)
_PERSON_WORD = re.compile(
    r"^(?:[A-ZÄÖÜ][\wäöüßé'’.-]*|von|van|de|zu|der|den|vom|zur|dr\.|prof\.|med\.|dent\.|rer\."
    r"|nat\.|pol\.|jur\.|oec\.|vet\.)$"
)
# Words that never occur in a person's name but do in what follows a label on the same line.
_NOT_PERSON_WORDS = frozenset(
    {"sitz", "amtsgericht", "registergericht", "handelsregister", "anschrift", "adresse",
     "telefon", "team", "gesellschaft", "geschäftsführung", "vorstand", "aufsichtsrat", "und"}
)  # fmt: skip
_SPLIT_PERSONS = re.compile(r"\s*(?:,|;|\s+und\s+|\s+and\s+|\s+&\s+|\s+/\s+)\s*")

_SEGMENTS_RE = re.compile(r"\s*(?:,|·|•|\||\s–\s)\s*")
_LABEL_PREFIX_RE = re.compile(r"^[A-Za-zÄÖÜäöüß .-]{2,30}:\s*")
# labels in front of the legal name, and lines that only introduce it (data/imprint_labels.yaml)
_NAME_LABEL_RE = re.compile(
    r"^(?:" + "|".join(re.escape(label) for label in IMPRINT_LABELS.name_labels) + r")"
    r"\s*[:\-–]\s*",
    re.I,
)
_INTRO_RE = re.compile(r"^(?:" + "|".join(IMPRINT_LABELS.intro_lines) + r")", re.I)
_NOT_NAME_RE = re.compile(
    r"(?:§|gem(?:ä|ae)ß|according to|registergericht|amtsgericht|handelsregister|\bsitz\b|"
    r"geschäftsführ|vertreten|vorstand|inhaber|komplementär|persönlich haftend|\bust\b|\bvat\b|"
    r"telefon|\btel\b|\bfax\b|e-?mail|@|www\.|http|aufsichtsrat|register|steuer-?(?:nummer|nr|id\b|ident)|verantwortlich|"
    r"kontakt|contact|impressum|imprint|legal notice|offenlegung|anschrift|address|adresse"
    r"|^(?:herausgeber|anbieter|diensteanbieter|betreiber|firma|kanzlei|unternehmen|company"
    r"|publisher|provider|angaben|name)\s*:?$)",
    re.I,
)


def decode_cfemail(hexed: str) -> str | None:
    """Decode Cloudflare's ``data-cfemail`` (first byte is the XOR key)."""
    try:
        data = bytes.fromhex(hexed)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    return bytes(b ^ data[0] for b in data[1:]).decode("utf-8", "replace")


def deobfuscate_emails(text: str) -> str:
    """Rewrite "info [at] firma [dot] de", "info(at)firma.de" … as plain addresses."""

    def fix(match: re.Match[str]) -> str:
        domain = _DOT_RE.sub(".", match.group("domain"))
        return f"{match.group('user')}@{domain}"

    return _OBFUSCATED_RE.sub(fix, text)


def find_emails(text: str) -> list[str]:
    """Email addresses in ``text``, obfuscated ones included, in order of appearance."""
    found: list[str] = []
    for match in _EMAIL_RE.finditer(deobfuscate_emails(text)):
        email = match.group(0).strip(".").lower()
        if email not in found and not email.endswith((".png", ".jpg", ".gif", ".svg", ".webp")):
            found.append(email)
    return found


def _render(node: Tag, out: list[str], mark: Tag | None) -> None:
    """Append the visible text under ``node``: block elements and ``<br>`` break lines.

    Iterative (an explicit stack), so deeply nested markup cannot exhaust the recursion limit.
    """
    stack: list[object] = list(reversed(list(node.children)))
    while stack:
        child = stack.pop()
        if isinstance(child, str) and not isinstance(child, NavigableString):
            out.append(child)  # a separator pushed below
            continue
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, CDATA or doctype
                out.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _DROP:
            continue
        if child is mark:
            out.append(f"\n{_MARK}\n")
        if child.has_attr("data-cfemail"):  # Cloudflare email protection
            out.append(decode_cfemail(str(child["data-cfemail"])) or "")
            continue
        if child.name == "br":
            out.append("\n")
            continue
        block = child.name in _BLOCK
        if block:
            out.append("\n")
            stack.append("\n")
        elif child.name in ("td", "th"):
            stack.append(" ")
        stack.extend(reversed(list(child.children)))


def page_lines(soup: BeautifulSoup | Tag, mark: Tag | None = None) -> list[str]:
    """The visible text of a page as lines, the way a reader sees them.

    A label alone on its line is joined with the next line (``Telefon`` / ``030 1``). The tree is
    read, never changed, so one parsed page serves every extractor.
    """
    parts: list[str] = []
    _render(soup, parts, mark)
    raw = [clean(line) for line in "".join(parts).split("\n")]
    lines = [line for line in raw if line]
    merged: list[str] = []
    for line in lines:
        if merged and _LABEL_ONLY_RE.match(merged[-1]):
            merged[-1] = f"{merged[-1].rstrip(':')}: {line}"
        else:
            merged.append(line)
    return merged


def _section(lines: list[str]) -> list[str] | None:
    for i, line in enumerate(lines):
        if _HEADING_RE.match(line.rstrip(":")):
            return lines[i:]
    return None


def has_imprint_heading(soup: BeautifulSoup) -> bool:
    """Whether a page has an "Impressum" heading (a one-page site carrying its Impressum)."""
    return any(
        _HEADING_RE.match(clean(h.get_text(" ")).rstrip(":"))
        for h in soup.find_all(["h1", "h2", "h3", "h4"])
    )


def _heading_section(soup: BeautifulSoup) -> list[str] | None:
    """On a page that is not an Impressum page: the part under an "Impressum" heading, if any."""
    for heading in soup.find_all(["h1", "h2", "h3", "h4"]):
        if _HEADING_RE.match(clean(heading.get_text(" ")).rstrip(":")):
            lines = page_lines(soup, mark=heading)
            start = lines.index(_MARK) if _MARK in lines else -1
            return lines[start + 1 :]
    return None


def _name_text(line: str) -> str | None:
    """The part of a line that may be the company name: labels removed, intro lines skipped.

    ``"Unternehmensname: Muster GmbH"`` → ``"Muster GmbH"``; ``"Anbieter dieses
    Internetauftritts ist:"`` → ``None``; ``"… betrieben von: Muster GmbH"`` → ``"Muster GmbH"``.
    """
    unlabelled = _NAME_LABEL_RE.sub("", line)
    if unlabelled != line:
        return clean(unlabelled) or None
    if _INTRO_RE.match(line):
        after = line.split(":", 1)[1] if ":" in line else ""
        return clean(after) or None
    return line


def _company(lines: list[str], fallback: bool) -> tuple[str | None, str | None]:
    """The first line within the section's head that carries a legal form, else a fallback."""
    head = lines[1:16] if lines and _HEADING_RE.match(lines[0].rstrip(":")) else lines[:15]
    for line in head:
        for whole in [line, *_SEGMENTS_RE.split(line)[:1]]:  # "Muster GmbH · Hauptstr. 1 · …"
            text = _name_text(whole)
            if text is None or len(text) > 90:
                continue
            if _NOT_NAME_RE.search(text) or parse_postcode_city(text):
                continue
            form = legal_form_of(text)
            if form:
                return clean(text), form
    if fallback:
        for line in head:  # a name under an explicit label ("Firma: …") beats the first line
            text = _name_text(line) if _NAME_LABEL_RE.match(line) else None
            if text is not None and len(text) <= 60 and not _NOT_NAME_RE.search(text):
                return clean(text), None
        for line in head[:6]:
            if line.endswith(("!", "?")):  # a sentence, not a name
                continue
            text = _name_text(line)
            if text is None or len(text) > 60:
                continue
            if _NOT_NAME_RE.search(text) or any(ch.isdigit() for ch in text):
                continue
            if split_street(text) or parse_postcode_city(text):
                continue
            return clean(text), None
    return None, None


def _address(lines: list[str], out: Extracted, tld_country: str | None) -> None:
    segments = [clean(s) for line in lines for s in _SEGMENTS_RE.split(line)]
    segments = [_LABEL_PREFIX_RE.sub("", s) for s in segments if s]
    for i, segment in enumerate(segments):
        place = parse_postcode_city(segment)
        if place is None:
            continue
        street = None
        for j in (i - 1, i - 2):
            if j >= 0 and (street := split_street(segments[j])):
                break
        if street is None:
            continue
        out.set("street", street[0])
        out.set("house_number", street[1])
        out.set("postcode", place[0])
        out.set("city", place[1])
        country = place[2]
        if country is None and i + 1 < len(segments):
            after = segments[i + 1]
            country = country_code(after) if len(after) > 2 else None
        if country is None and len(place[0]) == 4 and tld_country in ("AT", "CH", "LI", "LU"):
            country = tld_country
        out.set("country", country)
        return


def _phones(lines: list[str], out: Extracted) -> None:
    for line in lines:
        fax = _FAX_RE.search(line)
        if fax:
            out.set("fax", clean(fax.group("num")))
        text = _FAX_RE.sub(" ", line)
        phone = _PHONE_RE.search(text)
        if phone:
            out.set("phone", clean(phone.group("num")))


def _register(lines: list[str], out: Extracted) -> None:
    for line in lines:
        regno = _REGNO_RE.search(line)
        if regno:
            kind = re.sub(r"\s", "", regno.group("kind"))
            out.set("register_number", f"{kind} {clean(regno.group('no'))}")
        fn = _FN_RE.search(line)
        if fn:
            out.set("register_number", f"FN {fn.group('no').replace(' ', '')}")
        register_context = bool(regno or fn) or re.search(
            r"regist|handelsreg|firmenbuch", line, re.I
        )
        court = _COURT_RE.search(line)
        if court and (register_context or not court.group(0).startswith("AG")):
            out.set("register_court", f"Amtsgericht {clean(court.group('city'))}")
        elif (bare := _REGCOURT_RE.search(line)) and not bare.group("city").endswith("gericht"):
            out.set("register_court", f"Amtsgericht {clean(bare.group('city'))}")
        at_court = _AT_COURT_RE.search(line)
        if at_court:
            kind = (
                "Landesgericht"
                if at_court.group("court").startswith("Landes")
                else "Handelsgericht"
            )
            out.set("register_court", f"{kind} {clean(at_court.group('city'))}")


def _vat(lines: list[str], out: Extracted) -> None:
    for line in lines:
        labelled = _VAT_LABELLED_RE.search(line)
        if labelled and re.match(r"^[A-Z]{2}", labelled.group("vat")):
            vat = re.sub(r"[\s.-]", "", labelled.group("vat")).upper()
            out.set("vat_id", re.sub(r"(?<=\d)(?:MWST|TVA|IVA)$", "", vat))
            return
    for line in lines:
        bare = _VAT_BARE_RE.search(line)
        if bare:
            out.set("vat_id", re.sub(r"[\s.-]", "", bare.group(0)).upper())
            return


def _persons(text: str) -> list[str]:
    people: list[str] = []
    text = re.sub(r"\([^)]*\)", " ", text)
    for part in _SPLIT_PERSONS.split(text):
        name = clean(part)
        for _ in range(2):
            name = _PERSON_PREFIX.sub("", name)
        if not name or legal_form_of(name) or "@" in name or any(ch.isdigit() for ch in name):
            continue
        words = name.split()
        if any(w.lower() in _NOT_PERSON_WORDS for w in words):
            continue
        if 2 <= len(words) <= 6 and all(_PERSON_WORD.match(w) for w in words):
            people.append(name)
    return people


def _directors(lines: list[str], out: Extracted) -> None:
    for i, line in enumerate(lines):
        responsible = _RESPONSIBLE_RE.match(line)
        if responsible:
            rest = responsible.group("rest") or responsible.group("rest2") or ""
            if not rest and i + 1 < len(lines):
                rest = lines[i + 1]
            for person in _persons(rest.split(",")[0]):
                if person not in out.content_responsible:
                    out.content_responsible.append(person)
            continue
        match = _DIRECTOR_RE.match(line)
        if not match:
            continue
        rest = match.group("rest")
        if ":" in rest:  # "Geschäftsführer der Komplementärin: Dr. Hans Müller"
            rest = rest.split(":", 1)[1].strip()
        following = [rest] if rest else []
        if not rest:  # names on the next lines, until the next label
            for nxt in lines[i + 1 : i + 5]:
                if ":" in nxt or _DIRECTOR_RE.match(nxt) or not _persons(nxt):
                    break
                following.append(nxt)
        for chunk in following:
            for person in _persons(chunk):
                if person not in out.managing_directors:
                    out.managing_directors.append(person)


def social_links(soup: BeautifulSoup) -> list[str]:
    """Social-network profile links on a page (share buttons excluded), canonical and unique."""
    found: list[str] = []
    for anchor in soup.find_all("a", href=True):
        profile = social_profile(str(anchor["href"]))
        if profile and profile not in found:
            found.append(profile)
    return found


def _mailtos(soup: BeautifulSoup) -> list[str]:
    found: list[str] = []
    for anchor in soup.find_all("a", href=True):
        href = str(anchor["href"]).strip()
        if href.lower().startswith("mailto:"):
            address = unquote(href[7:].split("?", 1)[0]).strip().lower()
            if _EMAIL_RE.fullmatch(address) and address not in found:
                found.append(address)
        elif "/cdn-cgi/l/email-protection#" in href:
            decoded = decode_cfemail(href.rsplit("#", 1)[1])
            if decoded and decoded.lower() not in found:
                found.append(decoded.lower())
    return found


def _pick_email(candidates: list[str], site_url: str) -> str | None:
    for email in candidates:
        if same_site("http://" + email.rsplit("@", 1)[1], site_url):
            return email
    return candidates[0] if candidates else None


def extract_imprint(
    soup: BeautifulSoup, page_url: str, *, is_imprint_page: bool, method: Method = "imprint"
) -> Extracted:
    """Facts in a page's Impressum text.

    On an Impressum page the section starts at its heading (or the top); on other pages only a
    part under an "Impressum" heading counts as Impressum, the rest yields contact facts only.
    """
    # a heading element beats a line of text: menus repeat "Impressum" above the real heading
    section = _heading_section(soup)
    scope = section
    if scope is None:
        lines = page_lines(soup)
        section = _section(lines) if is_imprint_page else None
        scope = section if section is not None else lines
    in_imprint = section is not None or is_imprint_page
    out = Extracted(method if in_imprint else "text")
    host = urlsplit(page_url).hostname or ""
    tld_country = TLD_COUNTRIES.get(host.rsplit(".", 1)[-1])

    name, form = _company(scope, fallback=in_imprint)
    out.set("company_name", name)
    out.set("legal_form", form)
    _address(scope, out, tld_country)
    _phones(scope, out)
    labelled = [
        e for line in scope if re.search(r"e-?mail|mail:", line, re.I) for e in find_emails(line)
    ]
    text_emails = [e for line in scope for e in find_emails(line)]
    out.set("email", _pick_email(labelled + _mailtos(soup) + text_emails, page_url))
    _register(scope, out)
    _vat(scope, out)
    if in_imprint:
        _directors(scope, out)
    out.social_profiles = social_links(soup)
    return out
