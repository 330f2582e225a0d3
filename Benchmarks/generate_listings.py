#!/usr/bin/env python3
"""Generate business listings where neighbours are not duplicates, for glossa dedup's precision test.

    python3 Benchmarks/generate_listings.py --businesses 3000 --seed 1 > listings.csv

Columns: id, entity (ground truth), name, address, city, phone. The trap this file sets is the one
restaurant guides, malls and apartment blocks set: several businesses at one street address (a
hotel's restaurants and cafés, a food court, an office tower), often sharing the building's
switchboard phone or one a few numbers away, with different names, and many of those names sharing
the building's name ("bellagio buffet", "cafe bellagio", "the bellagio steakhouse"). About a third
of the businesses are listed twice, as two guides would list them: words of the name in another order
("ritz-carlton cafe" / "cafe (ritz-carlton)"), "and" / "&", a dropped "the", a typo, street type and
direction abbreviated or spelled out, another phone format or no phone, a neighbouring city name.
Standard library only; seeded, so the same arguments give the same file. Not tuned to any public file.
"""
import argparse
import csv
import random
import string
import sys

CUISINE = """thai italian french chinese mexican greek indian japanese korean spanish cajun creole
vietnamese lebanese turkish moroccan brazilian peruvian cuban ethiopian persian german irish""".split()
KIND = """cafe bistro grill kitchen diner tavern brasserie trattoria steakhouse buffet bar lounge pizzeria
cantina noodle-house oyster-bar bakery deli chophouse rotisserie""".split()
WORDS = """golden blue red silver green olive harbor garden corner lantern copper iron stone rose sun moon star
river lake mountain maple oak cedar pearl jade lotus ruby velvet crown anchor bridge market village
union liberty empire royal grand little old new""".split()
NOUNS = """door table spoon fork plate kettle pot oven hearth flame leaf vine tree house room court yard
mill barn dock pier gate tower square""".split()
BUILDINGS = """bellagio ritz-carlton venetian mirage plaza majestic regency paramount meridian
fairmont ambassador imperial continental metropolitan commodore biltmore palmer drake
carlyle waldorf sheraton westin hyatt hilton marriott omni peninsula mandarin""".split()
STREET = """main broadway market mission valley sunset pacific atlantic ocean park lake hill spring river
union washington lincoln madison jefferson franklin grand central state canal elm oak pine""".split()
TYPES = [("street", "st"), ("avenue", "ave"), ("boulevard", "blvd"), ("road", "rd"), ("drive", "dr"),
         ("place", "pl"), ("way", "wy")]
DIRECTIONS = [("north", "n"), ("south", "s"), ("east", "e"), ("west", "w")]
CITIES = [("las vegas", "north las vegas"), ("los angeles", "hollywood"), ("new york", "new york city"),
          ("san francisco", "sf"), ("atlanta", "decatur"), ("chicago", "evanston"), ("boston", "cambridge"),
          ("miami", "miami beach"), ("seattle", "bellevue"), ("houston", "pasadena")]


def phone_of(rng):
    return [rng.randint(200, 989), rng.randint(200, 999), rng.randint(0, 9999)]


def fmt_phone(rng, p, style=None):
    a, b, c = p
    style = rng.randrange(4) if style is None else style
    return [f"{a}/{b}-{c:04d}", f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"{a}{b}{c:04d}"][style]


def street_of(rng):
    direction = rng.choice(DIRECTIONS)[0] + " " if rng.random() < 0.25 else ""
    return f"{rng.randint(1, 9999)} {direction}{rng.choice(STREET)} {rng.choice(TYPES)[0]}"


def plain_name(rng):
    shape = rng.randrange(4)
    if shape == 0:
        return f"{rng.choice(WORDS)} {rng.choice(NOUNS)}"
    if shape == 1:
        return f"the {rng.choice(WORDS)} {rng.choice(NOUNS)} {rng.choice(KIND)}"
    if shape == 2:
        return f"{rng.choice(WORDS)} {rng.choice(CUISINE)} {rng.choice(KIND)}"
    return f"{rng.choice(WORDS)} {rng.choice(NOUNS)} and {rng.choice(KIND)}"


def building_name(rng, building, used):
    """A business inside `building`, often named after it (names unique within the building)."""
    for _ in range(50):
        shape = rng.randrange(5)
        if shape == 0:
            name = f"{building} {rng.choice(KIND)}"
        elif shape == 1:
            name = f"{rng.choice(KIND)} {building}"
        elif shape == 2:
            name = f"the {building} {rng.choice(CUISINE)} {rng.choice(KIND)}"
        else:
            name = plain_name(rng)
        if name not in used:
            used.add(name)
            return name
    return plain_name(rng) + f" {len(used)}"


def typo(rng, text):
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:] if i + 1 < len(text) else text


def reorder(rng, name):
    """'ritz-carlton cafe' -> 'cafe (ritz-carlton)' or 'cafe, ritz-carlton'."""
    words = name.split()
    if words and words[0] == "the":
        words = words[1:]
    if len(words) < 2:
        return name
    cut = rng.randrange(1, len(words))
    head, tail = " ".join(words[:cut]), " ".join(words[cut:])
    return rng.choice([f"{tail} ({head})", f"{tail}, {head}", f"{tail} {head}"])


def relist(rng, record, phone):
    """The same business as a second guide lists it: 1-3 changes."""
    name, street, city, phone_text = record
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(7)
        if kind == 0:
            name = reorder(rng, name)
        elif kind == 1:
            name = name.replace(" and ", " & ") if " and " in name else name.replace("the ", "", 1)
        elif kind == 2:
            name = typo(rng, name)
        elif kind == 3:
            for full, short in TYPES + DIRECTIONS:
                if f" {full}" in street:
                    street = street.replace(f" {full}", f" {short}" + ("." if rng.random() < 0.5 else ""), 1)
        elif kind == 4:
            phone_text = fmt_phone(rng, phone) if rng.random() < 0.8 else ""
        elif kind == 5:
            city = next((alias for main, alias in CITIES if main == city), city) if rng.random() < 0.5 else city
        else:
            street = typo(rng, street)
    if rng.random() < 0.3:
        name = name.title()
    return [name, street, city, phone_text]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--businesses", type=int, default=3000)
    parser.add_argument("--shared-share", type=float, default=0.5, help="share of businesses in multi-business buildings")
    parser.add_argument("--duplicate-share", type=float, default=0.35, help="share of businesses listed twice")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    businesses = []  # (name, street, city, phone digits)
    while len(businesses) < args.businesses:
        city = rng.choice(CITIES)[0]
        street = street_of(rng)
        if rng.random() < args.shared_share:
            building = rng.choice(BUILDINGS)
            switchboard = phone_of(rng)
            used = set()
            for _ in range(rng.randint(2, 8)):
                phone = list(switchboard)
                r = rng.random()
                if r < 0.35:
                    phone = phone_of(rng)  # its own line
                elif r < 0.7:
                    phone[2] = (phone[2] + rng.randint(1, 5)) % 10000  # the next extension
                businesses.append((building_name(rng, building, used), street, city, phone))
        else:
            businesses.append((plain_name(rng), street, city, phone_of(rng)))
    businesses = businesses[:args.businesses]
    rows = []
    for e, (name, street, city, phone) in enumerate(businesses):
        record = [name, street, city, fmt_phone(rng, phone, style=0)]
        rows.append((e, record))
        if rng.random() < args.duplicate_share:
            rows.append((e, relist(rng, record, phone)))
    rng.shuffle(rows)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["id", "entity", "name", "address", "city", "phone"])
    for i, (e, record) in enumerate(rows):
        writer.writerow([i, e] + record)


if __name__ == "__main__":
    main()
