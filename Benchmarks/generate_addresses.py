#!/usr/bin/env python3
"""Generate a synthetic address list with injected duplicates, for glossa dedup's scale test.

    python3 Benchmarks/generate_addresses.py --rows 1000000 --seed 1 > addresses-1m.csv

Columns: id, entity (ground truth), given_name, surname, street, unit, city, state, zip, phone.
About 80% of the rows are distinct entities; the rest are duplicates of them with 1-3 corruptions
each: a typo (insert, delete, substitute or swap letters), an abbreviation or its expansion
(street <-> st, north <-> n, apartment <-> apt), swapped fields (given name and surname; street and
unit), a missing field, or a different phone format. Standard library only; seeded, so the same
arguments give the same file.

By default the corruptions never touch zip or state (the file the README's first figures came from;
a tool that blocks on zip then sees every true pair for free). With --corrupt-all every field can be
corrupted: a digit typo in zip, phone or street number, a wrong or missing state, a missing zip,
besides the corruptions above (issues 14 and 15 use this):

    python3 Benchmarks/generate_addresses.py --rows 1000000 --seed 1 --corrupt-all > addresses-1m-all.csv
"""
import argparse
import csv
import random
import string
import sys

GIVEN = """james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan joseph
jessica thomas sarah charles karen christopher nancy daniel lisa matthew betty anthony margaret mark sandra donald
ashley steven kimberly paul emily andrew donna joshua michelle kenneth dorothy kevin carol brian amanda george melissa
edward deborah ronald stephanie timothy rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy nicholas
shirley eric angela jonathan helen stephen anna larry brenda justin pamela scott nicole brandon emma benjamin samantha
samuel katherine gregory christine frank debra alexander rachel raymond catherine patrick carolyn jack janet dennis ruth
jerry maria tyler heather aaron diane jose virginia adam julie henry joyce nathan victoria douglas olivia zachary kelly
peter christina kyle lauren walter joan ethan evelyn jeremy judith harold megan keith cheryl christian andrea roger hannah
noah martha gerald jacqueline carl frances terry gloria sean ann austin teresa arthur kathryn lawrence sara jesse janice
dylan jean bryan alice joe madison jordan doris billy abigail bruce julia albert judy willie grace gabriel denise logan
amber alan marilyn juan beverly wayne danielle roy theresa ralph sophia randy marie eugene diana vincent brittany russell
natalie elijah isabella louis charlotte bobby rose philip alexis johnny kayla""".split()
SUR = """smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson
thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen
king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez
phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz
morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray
mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez powell jenkins perry russell
sullivan bell coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton
graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford
castro marshall owens harrison fernandez mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker
guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes
palmer wagner black robertson boyd rose stone salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols
stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos hart
bradley knight elliott cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry perkins
hoffman johnston matthews pena richards contreras willis carpenter lawrence sandoval""".split()
STREET = """main oak pine maple cedar elm washington lake hill park view sunset lincoln jackson church river spring
ridge highland forest meadow willow franklin jefferson madison adams center mill north south east west union chestnut
walnut cherry poplar hickory birch dogwood magnolia laurel holly sycamore locust aspen spruce juniper cypress valley
prospect grove summit market water bridge broad academy college school front high green orchard garden harbor bay
ocean beach shore bluff canyon mesa desert prairie field farm ranch creek brook pond island point harrison grant
monroe wilson taylor hamilton clinton jackson pierce polk tyler fillmore buchanan hayes garfield arthur cleveland
mckinley roosevelt kennedy""".split()
TYPES = [("street", "st"), ("road", "rd"), ("avenue", "ave"), ("drive", "dr"), ("lane", "ln"), ("court", "ct"),
         ("place", "pl"), ("boulevard", "blvd"), ("terrace", "ter"), ("circle", "cir"), ("parkway", "pkwy"), ("highway", "hwy")]
DIRECTIONS = [("north", "n"), ("south", "s"), ("east", "e"), ("west", "w")]
CITIES = """springfield riverside franklin greenville bristol clinton fairview salem madison georgetown arlington ashland
burlington manchester milton newport oxford centerville dayton dover hudson jackson kingston lebanon marion monroe
mount vernon oakland princeton richmond shelbyville troy union washington winchester auburn bedford belmont cambridge
canton chester columbia concord danville dublin easton fulton glendale hamilton hanover harrison lexington lincoln
lodi marshall milford newark norwood plymouth portland quincy raleigh rochester shelby smyrna somerset sterling sumner
trenton vienna warren waverly woodstock""".split()
STATES = "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy".split()


def entity(rng):
    direction = rng.choice(DIRECTIONS)[0] + " " if rng.random() < 0.2 else ""
    kind = rng.choice(TYPES)[0]
    street = f"{rng.randint(1, 9999)} {direction}{rng.choice(STREET)} {kind}"
    unit = f"apartment {rng.randint(1, 400)}" if rng.random() < 0.25 else ""
    phone = f"{rng.randint(200, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
    return [rng.choice(GIVEN), rng.choice(SUR), street, unit, rng.choice(CITIES), rng.choice(STATES),
            f"{rng.randint(1000, 99999):05d}", phone]


def typo(rng, text):
    if len(text) < 2:
        return text
    i = rng.randrange(len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    if kind == 2:
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def abbreviate(rng, record):
    street, unit = record[2], record[3]
    for full, short in TYPES + DIRECTIONS:
        if f" {full}" in street and rng.random() < 0.7:
            street = street.replace(f" {full}", f" {short}" + ("." if rng.random() < 0.3 else ""), 1)
        elif f" {short}" in street.split(" ")[-1:] and rng.random() < 0.7:
            street = street.replace(f" {short}", f" {full}", 1)
    unit = unit.replace("apartment", rng.choice(["apt", "apt.", "#", "unit"]))
    record[2], record[3] = street, unit


def digit_typo(rng, text):
    """One digit of `text` replaced, deleted or swapped with its neighbour."""
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    if not positions:
        return text
    i = rng.choice(positions)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + str(rng.randrange(10)) + text[i + 1:]
    if kind == 1 and len(positions) > 1:
        return text[:i] + text[i + 1:]
    if i + 1 < len(text) and text[i + 1].isdigit():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + str(rng.randrange(10)) + text[i + 1:]


def corrupt_any_field(rng, record):
    """--corrupt-all's extra corruptions: zip, state, phone and street number."""
    kind = rng.randrange(5)
    if kind == 0:
        record[6] = digit_typo(rng, record[6])
    elif kind == 1:
        record[5] = rng.choice(["", rng.choice(STATES)])
    elif kind == 2:
        record[6] = ""
    elif kind == 3:
        record[7] = digit_typo(rng, record[7])
    else:
        number, _, rest = record[2].partition(" ")
        if number.isdigit():
            record[2] = digit_typo(rng, number) + " " + rest


def corrupt(rng, record, every_field=False):
    record = list(record)
    for _ in range(rng.randint(1, 3)):
        if every_field and rng.random() < 0.4:
            corrupt_any_field(rng, record)
            continue
        kind = rng.randrange(6)
        if kind == 0:
            field = rng.choice([0, 1, 2, 4])
            record[field] = typo(rng, record[field])
        elif kind == 1:
            abbreviate(rng, record)
        elif kind == 2:
            record[0], record[1] = record[1], record[0]
        elif kind == 3:
            record[2], record[3] = record[3], record[2]
        elif kind == 4:
            record[rng.choice([0, 3, 4, 7])] = ""
        else:
            p = record[7]
            if len(p) == 10:
                record[7] = rng.choice([f"({p[:3]}) {p[3:6]}-{p[6:]}", f"{p[:3]}-{p[3:6]}-{p[6:]}", f"+1 {p[:3]} {p[3:6]} {p[6:]}"])
    if rng.random() < 0.3:
        record = [value.upper() if rng.random() < 0.5 else value.title() for value in record]
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--duplicate-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corrupt-all", action="store_true",
                        help="corrupt every field, zip, state and phone digits included (default: as the first published figures)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    originals = int(args.rows * (1 - args.duplicate_share))
    rows = []
    bases = []
    for e in range(originals):
        record = entity(rng)
        bases.append(record)
        rows.append((e, record))
    while len(rows) < args.rows:
        e = rng.randrange(originals)
        rows.append((e, corrupt(rng, bases[e], args.corrupt_all)))
    rng.shuffle(rows)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["id", "entity", "given_name", "surname", "street", "unit", "city", "state", "zip", "phone"])
    for i, (e, record) in enumerate(rows):
        writer.writerow([i, e] + record)


if __name__ == "__main__":
    main()
