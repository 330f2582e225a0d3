/// Standard postal abbreviations and their expansions (street types, directions, unit designators),
/// after USPS Publication 28 and Australia Post's list. Keys and values are lower-case ASCII.
public enum AbbreviationTable {
    /// Street types: "st" → "street", "rd" → "road", "ave" → "avenue", ...
    public static let streetTypes: [String: String] = [
        "st": "street", "str": "street", "strt": "street", "rd": "road", "ave": "avenue", "av": "avenue",
        "avn": "avenue", "aven": "avenue", "blvd": "boulevard", "boul": "boulevard", "bvd": "boulevard",
        "dr": "drive", "drv": "drive", "ln": "lane", "ct": "court", "crt": "court", "pl": "place",
        "sq": "square", "ter": "terrace", "terr": "terrace", "tce": "terrace", "cres": "crescent",
        "cr": "crescent", "crs": "crescent", "cct": "circuit", "cir": "circle", "circ": "circle",
        "hwy": "highway", "hway": "highway", "pde": "parade", "cl": "close", "pkwy": "parkway",
        "pky": "parkway", "esp": "esplanade", "gr": "grove", "gve": "grove", "hts": "heights",
        "mt": "mount", "ft": "fort", "expy": "expressway", "fwy": "freeway", "pt": "point",
        "sqr": "square", "wy": "way", "aly": "alley", "bch": "beach", "ctr": "center", "cntr": "center",
        "cv": "cove", "gdns": "gardens", "grn": "green", "jct": "junction", "mnr": "manor",
        "pk": "park", "plz": "plaza", "rdg": "ridge", "rte": "route", "trl": "trail", "vw": "view",
        "vlg": "village", "xing": "crossing", "cswy": "causeway", "arc": "arcade", "bwy": "broadway",
        "strasse": "street",
    ]

    /// Compass directions: "n" → "north", "sw" → "southwest", ...
    public static let directions: [String: String] = [
        "n": "north", "s": "south", "e": "east", "w": "west", "ne": "northeast", "nw": "northwest",
        "se": "southeast", "sw": "southwest", "nth": "north", "sth": "south", "nrth": "north",
    ]

    /// Unit designators and building words: "apt" → "apartment", "ste" → "suite", ...
    public static let units: [String: String] = [
        "apt": "apartment", "appt": "apartment", "apmt": "apartment", "ste": "suite", "rm": "room",
        "fl": "floor", "flr": "floor", "bldg": "building", "dept": "department", "lvl": "level",
        "lot": "lot", "po": "po", "bx": "box", "nr": "number",
    ]

    /// "st" in front of a name ("st james", "st kilda") means "saint".
    public static let saint = "saint"
}
