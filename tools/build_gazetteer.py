#!/usr/bin/python3
"""Builds the compact gazetteer that reach::analytics::Gazetteer loads.

Reads the GeoNames extracts (cities15000.zip, countryInfo.txt, admin1CodesASCII.txt; CC BY 4.0) and the
Carmen location aliases (carmen_locations.json; BSD-2-Clause) from the shared data folder and writes:

  places.tsv  one row per place: kind, country, admin1, name, lat, lon, population
              kind C = country, A = first-level region (state, province), P = city / populated place,
              R = other area known only to Carmen (county, metro area). The row number (0-based, data
              rows only) is the place id.
  names.tsv   one row per (key, place): key, kind, place id. key is the normalised text (see
              Normalise below, identical to the C++ normaliser); kind n = official or ASCII name,
              a = alternate name or well-known synonym, k = code (ISO 3166 alpha-2/alpha-3, US and
              Canadian postal abbreviations), c = Carmen alias (a profile-location string mined from
              Twitter). Sorted by key.
  SOURCE.md, LICENSE-carmen-BSD2.txt, GEONAMES-ATTRIBUTION.txt

Standard library only. Usage:
  tools/build_gazetteer.py [--data /work/shared/data/gazetteer] [--out data/gazetteer]
"""

import argparse
import io
import json
import os
import shutil
import sys
import unicodedata
import zipfile

# Alternate ASCII names are kept only for cities at least this big (they add exonyms such as
# "Munich"/"Muenchen", "Roma", "Tokio"); non-ASCII alternate names only for the very biggest cities.
MIN_POP_ASCII_ALTERNATES = 100_000
MIN_POP_NON_ASCII_ALTERNATES = 1_000_000

# Generic region names that mean nothing without a qualifier ("Central" is a region in a dozen
# countries); they are not indexed.
GENERIC_NAMES = {
    "central", "western", "eastern", "northern", "southern", "north", "south", "east", "west",
    "capital", "coast", "islands", "island", "centre", "center", "north east", "north west",
    "south east", "south west", "northeast", "northwest", "southeast", "southwest", "lakes",
    "river", "valley", "mountain", "upper", "lower", "middle", "federal district", "distrito federal",
    "city", "state", "province", "region", "district", "home", "earth", "world",
}

# US states and territories use their postal code as the GeoNames admin1 code; Canada's are numeric.
CA_PROVINCE_POSTAL = {
    "AB": "01", "BC": "02", "MB": "03", "NB": "04", "NL": "05", "NS": "07", "ON": "08", "PE": "09",
    "QC": "10", "SK": "11", "YT": "12", "NT": "13", "NU": "14",
}

# Country synonyms and endonyms seen in profile locations (keys are normalised before use).
COUNTRY_SYNONYMS = {
    "US": ["usa", "us", "u s a", "united states of america", "the united states", "the usa",
           "estados unidos", "etats unis", "vereinigte staaten"],
    "GB": ["uk", "u k", "united kingdom", "great britain", "britain", "the uk"],
    "AE": ["uae", "emirates", "united arab emirates", "الإمارات"],
    "SA": ["ksa", "saudi", "saudi arabia", "kingdom of saudi arabia", "السعودية",
           "المملكة العربية السعودية"],
    "DE": ["deutschland", "allemagne", "alemania", "germania"],
    "ES": ["espana", "spanien", "espagne", "spagna", "espanya"],
    "BR": ["brasil", "brazil"],
    "IT": ["italia", "italie", "italien"],
    "FR": ["france", "frankreich", "francia"],
    "MX": ["mexico", "méxico"],
    "NL": ["nederland", "holland", "the netherlands", "netherlands"],
    "BE": ["belgie", "belgique", "belgien", "belgium"],
    "AT": ["osterreich", "österreich", "austria"],
    "CH": ["schweiz", "suisse", "svizzera", "switzerland"],
    "SE": ["sverige"], "NO": ["norge"], "DK": ["danmark"], "FI": ["suomi"], "PL": ["polska"],
    "CZ": ["cesko", "czech republic", "ceska republika"], "HU": ["magyarorszag"],
    "HR": ["hrvatska"], "RS": ["srbija"], "GR": ["ellada", "hellas", "greece"],
    "TR": ["turkiye", "türkiye", "turkey"], "RU": ["россия", "rossiya", "russia"],
    "UA": ["україна", "ukraina", "ukraine"], "JP": ["nippon", "nihon", "日本"],
    "CN": ["中国", "zhongguo"], "KR": ["korea", "south korea", "대한민국", "한국"],
    "IN": ["bharat", "भारत"], "TH": ["ประเทศไทย"], "VN": ["viet nam", "vietnam"],
    "PH": ["pilipinas"], "EG": ["misr", "مصر"], "CI": ["cote d'ivoire", "ivory coast"],
    "IE": ["eire", "éire"], "PT": ["portugal"], "AR": ["argentina"], "CO": ["colombia"],
    "PE": ["peru", "perú"], "ZA": ["south africa", "rsa"], "NG": ["naija"],
}

# Regional nicknames that name no city but are certain about the region.
REGION_SYNONYMS = {
    "US.CA": ["sf bay area", "bay area", "the bay area", "sf bay", "silicon valley", "socal", "so cal",
              "norcal", "nor cal", "southern california", "northern california"],
    "US.DC": ["washington dc", "washington d c", "dmv"],
    "US.NY": ["upstate ny", "upstate new york", "long island"],
    "GB.ENG": ["north east england", "south east england", "north west england"],
}

JOKE_OR_NON_PLACES = [
    "everywhere", "earth", "planet earth", "the earth", "the moon", "moon", "mars", "in your heart",
    "your heart", "worldwide", "world wide", "world", "the world", "internet", "the internet",
    "online", "global", "globe", "universe", "the universe", "somewhere", "nowhere", "here", "there",
    "home", "heaven", "hell", "cloud", "the cloud", "cyberspace", "metaverse", "wherever",
    "anywhere", "in your dreams", "behind you", "outer space", "space", "milky way", "galaxy",
    "narnia", "hogwarts", "middle earth", "the fortress of solitude", "neverland", "wakanda",
    "gotham", "gotham city", "atlantis", "utopia", "paradise", "matrix", "the matrix", "web",
    "twitter", "instagram", "youtube", "on the road", "on the move", "travelling", "traveling",
    "here and there", "all over", "all over the world", "around the world", "worldwide web",
    "your mom's house", "ur mom's house", "bed", "my bed", "my room", "mind", "my mind", "dreams",
    "dreamland", "n a", "na", "none", "unknown", "null", "undisclosed", "secret", "private",
]


# ------------------------------------------------------------------------------------------------
# Normalisation, kept byte-for-byte identical to gazetteer.cc (the C++ test checks that every key is
# a fixed point of the C++ normaliser).

SPECIAL_FOLDS = {
    0x00DF: "ss", 0x00E6: "ae", 0x00C6: "ae", 0x00F8: "o", 0x00D8: "o", 0x0111: "d", 0x0110: "d",
    0x00F0: "d", 0x00D0: "d", 0x00FE: "th", 0x00DE: "th", 0x0142: "l", 0x0141: "l", 0x0153: "oe",
    0x0152: "oe", 0x0131: "i", 0x0127: "h", 0x0126: "h", 0x0167: "t", 0x0166: "t", 0x0138: "k",
    0x0140: "l", 0x013F: "l", 0x0149: "n", 0x014B: "n", 0x014A: "n", 0x0133: "ij", 0x0132: "ij",
    0x017F: "s", 0x0180: "b", 0x0197: "i", 0x01B6: "z", 0x01B5: "z", 0x0248: "j", 0x0249: "j",
    0x024C: "r", 0x024D: "r", 0x024E: "y", 0x024F: "y", 0x1E9E: "ss",
}

FOLD_RANGES = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)]


def fold_of(cp):
    """ASCII fold of a Latin letter in the folded ranges, '' if it is no letter, None if not folded."""
    if not any(lo <= cp <= hi for lo, hi in FOLD_RANGES):
        return None
    if cp in SPECIAL_FOLDS:
        return SPECIAL_FOLDS[cp]
    ch = chr(cp)
    if not unicodedata.category(ch).startswith("L"):
        return ""
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 0x80)
    base = base.lower()
    if base.isalpha() and base.isascii():
        return base
    return ""


def fold_table():
    """(code point, fold) for every folded code point: the C++ table is generated from this."""
    out = []
    for lo, hi in FOLD_RANGES:
        for cp in range(lo, hi + 1):
            out.append((cp, fold_of(cp)))
    return out


_FOLD = dict(fold_table())


def is_kept_script(cp):
    """Letters of non-Latin scripts are kept verbatim (no case folding)."""
    return (0x0370 <= cp <= 0x03FF or 0x0400 <= cp <= 0x052F or 0x0590 <= cp <= 0x05FF
            or (0x0620 <= cp <= 0x064A) or 0x0660 <= cp <= 0x06FF or 0x0900 <= cp <= 0x0DFF
            or 0x0E00 <= cp <= 0x0E7F or 0x1100 <= cp <= 0x11FF or 0x3040 <= cp <= 0x30FF
            or 0x3400 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF)


def classify(cp):
    """Returns the replacement text for one code point: letters, ' ', ',', '|' or ''."""
    if cp < 0x80:
        c = chr(cp)
        if c.isalnum():
            return c.lower()
        if c in "'`.":
            return ""
        if c == ",":
            return ","
        if c == "&":
            return " and "
        if c in "/|;+":
            return "|"
        return " "
    if cp in (0x060C, 0xFF0C, 0x3001):  # Arabic, fullwidth and ideographic commas
        return ","
    if cp in (0x2019, 0x2018, 0x02BC, 0x02BB, 0x200D, 0xFE0F, 0xFE0E, 0x200B, 0x0640):
        return ""
    if 0x064B <= cp <= 0x065F:  # Arabic vowel marks
        return ""
    if cp <= 0x00BF or 0x2000 <= cp <= 0x206F or cp == 0x3000:
        if cp in (0x00B7, 0x2022):  # middle dot, bullet
            return "|"
        return " "
    f = _FOLD.get(cp)
    if f is not None:
        return f if f else " "
    if is_kept_script(cp):
        return chr(cp)
    if 0x0300 <= cp <= 0x036F:  # combining marks (decomposed accents)
        return ""
    return "|"  # emoji, symbols, arrows, flags: they separate alternatives


def normalise(text):
    """Returns a list of alternatives, each a list of parts (most specific first)."""
    out = "".join(classify(ord(ch)) for ch in text)
    alternatives = []
    for alt in out.split("|"):
        parts = [" ".join(p.split()) for p in alt.split(",")]
        parts = [p for p in parts if p]
        if parts:
            alternatives.append(parts)
    return alternatives


def key_of(text):
    """Key of a name: its normalised form if it is a single alternative, else None."""
    alts = normalise(text)
    if len(alts) != 1:
        return None
    return ", ".join(alts[0])


# ------------------------------------------------------------------------------------------------


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


class Builder:
    def __init__(self):
        self.places = []  # [kind, cc, admin1, name, lat, lon, pop]
        self.names = set()  # (key, kind, place id)
        self.country_place = {}
        self.admin1_place = {}  # "CC.X" -> id

    def add_place(self, kind, cc, admin1, name, lat, lon, pop):
        self.places.append([kind, cc, admin1, name, lat, lon, pop])
        return len(self.places) - 1

    def add_name(self, text, kind, pid):
        k = key_of(text)
        if not k or k in GENERIC_NAMES:
            return
        if kind != "k" and len(k) < 2:
            return
        self.names.add((k, kind, pid))


def build(data_dir, out_dir):
    b = Builder()
    geonames = os.path.join(data_dir, "geonames")
    with zipfile.ZipFile(os.path.join(geonames, "cities15000.zip")) as z:
        cities_text = z.read("cities15000.txt").decode("utf-8")
    cities = [line.split("\t") for line in cities_text.splitlines() if line]

    # The copies carry a header row ("ISO ...", "code ..."); skip it.
    countries = [r for r in read_lines(os.path.join(geonames, "countryInfo.txt")) if r[0] != "ISO"]
    admin1 = [r for r in read_lines(os.path.join(geonames, "admin1CodesASCII.txt")) if r[0] != "code"]

    # Weighted centroids and population sums for countries and regions (for lat/lon and the dominance
    # rule: a region's population is the sum of its cities >= 15,000).
    agg = {}
    for c in cities:
        lat, lon, pop = float(c[4]), float(c[5]), int(c[14] or 0)
        for key in (c[8], c[8] + "." + c[10]):
            a = agg.setdefault(key, [0.0, 0.0, 0])
            w = max(pop, 1)
            a[0] += lat * w
            a[1] += lon * w
            a[2] += w

    def centroid(key):
        a = agg.get(key)
        if not a:
            return 0.0, 0.0, 0
        return a[0] / a[2], a[1] / a[2], a[2]

    for row in countries:
        iso, iso3, name, pop = row[0], row[1], row[4], int(row[7] or 0)
        lat, lon, _ = centroid(iso)
        pid = b.add_place("C", iso, "", name, lat, lon, pop)
        b.country_place[iso] = pid
        b.add_name(name, "n", pid)
        b.add_name(iso, "k", pid)
        b.add_name(iso3, "k", pid)
    for iso, syns in COUNTRY_SYNONYMS.items():
        for s in syns:
            b.add_name(s, "a", b.country_place[iso])

    for row in admin1:
        code, name, ascii_name = row[0], row[1], row[2]
        cc, sub = code.split(".", 1)
        if cc not in b.country_place:
            continue
        lat, lon, pop = centroid(code)
        pid = b.add_place("A", cc, sub, ascii_name or name, lat, lon, pop)
        b.admin1_place[code] = pid
        b.add_name(name, "n", pid)
        b.add_name(ascii_name, "n", pid)
        if cc == "US" and len(sub) == 2 and sub.isalpha():
            b.add_name(sub, "k", pid)
    for postal, num in CA_PROVINCE_POSTAL.items():
        b.add_name(postal, "k", b.admin1_place["CA." + num])
    for code, syns in REGION_SYNONYMS.items():
        for syn in syns:
            b.add_name(syn, "a", b.admin1_place[code])

    city_by_key_cc = {}
    for c in cities:
        name, ascii_name, alternates = c[1], c[2], c[3]
        cc, adm, pop = c[8], c[10], int(c[14] or 0)
        if cc not in b.country_place:
            continue
        pid = b.add_place("P", cc, adm, name, float(c[4]), float(c[5]), pop)
        keys = {key_of(name), key_of(ascii_name)}
        for k in keys:
            if k:
                b.add_name(k, "n", pid)
                city_by_key_cc.setdefault((k, cc), pid)
        if pop >= MIN_POP_ASCII_ALTERNATES and alternates:
            for alt in alternates.split(","):
                alt = alt.strip()
                if not alt or any(ch.isdigit() for ch in alt):
                    continue
                if alt.isascii():
                    # Upper-case short strings are airport / abbreviation codes.
                    if len(alt) < 4 or alt.isupper():
                        continue
                elif pop < MIN_POP_NON_ASCII_ALTERNATES:
                    continue
                k = key_of(alt)
                if k and k not in keys:
                    b.add_name(k, "a", pid)

    # Index of gazetteer names (not codes, not Carmen) for the Carmen filter.
    # Codes count too: "ca" or "in" alone must stay ambiguous (California/Canada, Indiana/India).
    gaz = {}
    for k, kind, pid in b.names:
        gaz.setdefault(k, set()).add(b.places[pid][1])

    carmen_path = os.path.join(data_dir, "carmen", "carmen_locations.json")
    carmen_kept, carmen_dropped = 0, 0
    alias_targets = {}  # key -> set of (cc, place id)
    with open(carmen_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            aliases = d.get("aliases") or []
            cc = d.get("countrycode") or ""
            if cc not in b.country_place or not aliases:
                continue
            pid = carmen_place(b, d, cc, city_by_key_cc)
            fields = [d.get(x) or "" for x in ("city", "county", "state", "country", "statecode")]
            for alias in aliases:
                k = key_of(alias)
                if not k or k in JOKE_OR_NON_PLACES or k in GENERIC_NAMES:
                    carmen_dropped += 1
                    continue
                if carmen_alias_ok(k, cc, fields, gaz):
                    alias_targets.setdefault(k, set()).add((cc, pid))
                else:
                    carmen_dropped += 1
    for k, targets in alias_targets.items():
        if len({cc for cc, _ in targets}) != 1:
            carmen_dropped += len(targets)
            continue  # the same alias for places in different countries: ambiguous
        # Prefer the most specific, biggest place among the targets.
        order = {"P": 0, "R": 1, "A": 2, "C": 3}
        best = min(targets, key=lambda t: (order[b.places[t[1]][0]], -b.places[t[1]][6]))
        b.names.add((k, "c", best[1]))
        carmen_kept += 1

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "places.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Reach gazetteer places (see SOURCE.md). kind\tcountry\tadmin1\tname\tlat\tlon\t"
                "population; row number = place id\n")
        for kind, cc, adm, name, lat, lon, pop in b.places:
            name = name.replace("\t", " ")
            f.write(f"{kind}\t{cc}\t{adm}\t{name}\t{lat:.4f}\t{lon:.4f}\t{pop}\n")
    with open(os.path.join(out_dir, "names.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Reach gazetteer names (see SOURCE.md). key\tkind\tplace id; sorted by key\n")
        for k, kind, pid in sorted(b.names):
            f.write(f"{k}\t{kind}\t{pid}\n")
    with open(os.path.join(out_dir, "non_places.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Profile locations that name no place (jokes, the internet): resolve to unknown.\n")
        for k in sorted({key_of(x) for x in JOKE_OR_NON_PLACES if key_of(x)}):
            f.write(k + "\n")

    shutil.copyfile(os.path.join(data_dir, "carmen", "LICENSE-carmen-BSD2.txt"),
                    os.path.join(out_dir, "LICENSE-carmen-BSD2.txt"))
    with open(os.path.join(out_dir, "GEONAMES-ATTRIBUTION.txt"), "w", encoding="utf-8") as f:
        f.write(GEONAMES_ATTRIBUTION)
    with open(os.path.join(out_dir, "SOURCE.md"), "w", encoding="utf-8") as f:
        f.write(SOURCE_MD.format(places=len(b.places), names=len(b.names), carmen=carmen_kept,
                                 carmen_dropped=carmen_dropped))
    print(f"places={len(b.places)} names={len(b.names)} carmen_kept={carmen_kept} "
          f"carmen_dropped={carmen_dropped}", file=sys.stderr)


def carmen_place(b, d, cc, city_by_key_cc):
    """Place id for a Carmen location: an existing GeoNames city/region/country when the names agree."""
    city, county, state = d.get("city") or "", d.get("county") or "", d.get("state") or ""
    lat = float(d.get("latitude") or 0)
    lon = float(d.get("longitude") or 0)
    admin = ""
    if cc == "US" and d.get("statecode"):
        admin = d["statecode"]
    elif state:
        sk = key_of(state)
        for code, pid in b.admin1_place.items():
            if code.startswith(cc + ".") and key_of(b.places[pid][3]) == sk:
                admin = code.split(".", 1)[1]
                break
    if city:
        pid = city_by_key_cc.get((key_of(city), cc))
        if pid is not None:
            return pid
        return b.add_place("P", cc, admin, city, lat, lon, 0)
    if county:
        return b.add_place("R", cc, admin, county, lat, lon, 0)
    if state:
        if admin and (cc + "." + admin) in b.admin1_place:
            return b.admin1_place[cc + "." + admin]
        return b.add_place("R", cc, admin, state, lat, lon, 0)
    return b.country_place[cc]


def initials(text):
    return "".join(w[0] for w in text.split() if w)


def carmen_alias_ok(k, cc, fields, gaz):
    """Carmen's aliases are mined from profiles and partly noisy (e.g. "kota kinabalu" listed under
    Depok, Indonesia). An alias is kept only if the gazetteer does not know it as a name or code (the
    gazetteer's own ambiguity rules then apply), its first part is not a place of another country,
    and it visibly refers to its location: a word shared with, a 3-letter common prefix with, or the
    initials of the location's city, county, state or country."""
    if k in gaz:
        return False
    parts = k.split(", ")
    first = parts[0]
    if len(parts) > 1 and first in gaz and cc not in gaz[first]:
        return False
    words = set()
    inits = set()
    for fld in fields:
        fk = key_of(fld) if fld else None
        if not fk:
            continue
        words.update(fk.replace(",", " ").split())
        if len(fk.split()) >= 2:
            ini = initials(fk)
            inits.add(ini)
            inits.add(ini + "c")  # "nyc": New York City
    for tok in k.replace(",", " ").split():
        if tok in words or tok in inits:
            return True
        if len(tok) >= 3 and any(len(w) >= 3 and w[:3] == tok[:3] for w in words):
            return True
    if k.replace(" ", "") in inits:  # "l a" style spelling of initials
        return True
    return False


GEONAMES_ATTRIBUTION = """\
This product includes data from GeoNames (https://www.geonames.org/), licensed under the
Creative Commons Attribution 4.0 License (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/).
Files used: cities15000.txt (dated 2021-07-22), countryInfo.txt, admin1CodesASCII.txt.
The data was transformed (columns selected, alternate names filtered, names normalised) into
places.tsv and names.tsv by tools/build_gazetteer.py. GeoNames provides the data "as is"
without warranty.
"""

SOURCE_MD = """\
# Gazetteer

Compact gazetteer loaded by `reach::analytics::Gazetteer` (src/analytics/gazetteer.h). Generated by
`tools/build_gazetteer.py` from `/work/shared/data/gazetteer/`; regenerate with

    /usr/bin/python3 tools/build_gazetteer.py --data ../shared/data/gazetteer --out data/gazetteer

## Files
- `places.tsv` ({places} places): `kind country admin1 name lat lon population`; kind C country,
  A first-level region, P city, R other area (Carmen county/metro area). The data row number is the
  place id. Country and region coordinates are population-weighted centroids of their cities, and a
  region's population is the sum of its cities of 15,000 or more (used only by the ambiguity rule).
- `names.tsv` ({names} rows): `key kind place_id`, sorted by key. Keys are normalised text (lower
  case, Latin accents folded to ASCII, punctuation removed, spaces collapsed, comma-separated parts
  joined by ", "). kind n = name, a = alternate name / synonym / endonym, k = code (ISO alpha-2 and
  alpha-3, US and Canadian postal abbreviations), c = Carmen alias ({carmen} kept, {carmen_dropped}
  dropped by the noise filter in build_gazetteer.py).
- `non_places.txt`: profile locations that name no place ("everywhere", "worldwide", "in your heart").

## Sources and licences
- GeoNames (https://www.geonames.org/): cities15000 (cities with population >= 15,000, 2021-07-22),
  countryInfo, admin1CodesASCII. Licence CC BY 4.0; see `GEONAMES-ATTRIBUTION.txt`. Alternate names are
  kept only when ASCII for cities >= 100,000 people and non-ASCII for cities >= 1,000,000.
- Carmen (Dredze et al., "Carmen: A Twitter Geolocation System with Applications to Public Health",
  AAAI HIAI workshop 2013; github.com/mdredze/carmen-python, data/locations.json at
  662dea4346d5ee07f458755c402f9475b84984bb). Licence BSD-2-Clause; see `LICENSE-carmen-BSD2.txt`.
"""


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "gazetteer"))
    p.add_argument("--out", default=os.path.join(root, "data", "gazetteer"))
    p.add_argument("--print-fold-table", action="store_true",
                   help="print the C++ fold table for gazetteer.cc and exit")
    args = p.parse_args()
    if args.print_fold_table:
        for cp, f in fold_table():
            print(f"0x{cp:04X} {f}")
        return 0
    build(args.data, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
