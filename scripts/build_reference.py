#!/usr/bin/env python3
"""Builds the engine's compiled-in reference data from its sources.

Reads Debian's iso-codes (ISO 3166-1) and the eCFR copy of the EAR Country Groups in
../shared/reference/, maps the EAR's country names to ISO alpha-2 codes, applies the
documented caveats, and writes crates/engine/src/model/reference/countries.csv and groups.json.
Run it by hand when a source changes; its output is committed.
"""
import csv
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "engine" / "src" / "model" / "reference"
ISO_JSON = pathlib.Path("/usr/share/iso-codes/json/iso_3166-1.json")
EAR_JSON = ROOT.parent / "shared" / "reference" / "ear_country_groups_ecfr_2026-07-23.json"

# EAR spellings that neither ISO 3166-1 nor the file's own aliases resolve.
EAR_NAMES = {
    "Bosnia & Herzegovina": "BA",
    "Brunei": "BN",
    "Burma": "MM",
    "Cape Verde": "CV",
    "China (PRC)": "CN",
    "Congo (Democratic Republic of the)": "CD",
    "Congo (Democratic Republic of)": "CD",
    "Congo (Republic of the)": "CG",
    "Cote d'lvoire": "CI",
    "Gambia, The": "GM",
    "Korea, North": "KP",
    "Korea, South": "KR",
    "Kosovo": "XK",
    "Macau": "MO",
    "Russia": "RU",
    "Saint Kitts & Nevis": "KN",
    "Sao Tome & Principe": "ST",
    "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)": "SX",
    "South Sudan, Republic of": "SS",
    "The Bahamas": "BS",
    "Trinidad & Tobago": "TT",
    "Vatican City": "VA",
}

# 15 CFR 772.1 "United States": the States and D.C. (US), Puerto Rico, Guam, the U.S. Virgin
# Islands, the Northern Mariana Islands, American Samoa and the minor outlying islands.
UNITED_STATES = "US PR GU VI MP AS UM".split()
# Labels that would mislead as compiled: A:5 is the License Exception STA group, not the
# AI Diffusion framework's Tier 1 (groups `tier1` to `tier3`).
LABELS = {"A:5": "License Exception STA destinations (Country Group A:5; not the AI Diffusion Tier 1)"}
EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
TIER1 = "US AU BE CA DK FI FR DE IE IT JP NL NZ NO KR ES SE TW GB".split()

AI_DIFFUSION = {
    "source": "Framework for Artificial Intelligence Diffusion, 90 FR 4544 (15 January 2025); rescission announced 13 May 2025",
    "date": "2025-01-15",
}


def main() -> int:
    iso = json.loads(ISO_JSON.read_text())["3166-1"]
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "iso-codes"], capture_output=True, text=True
    ).stdout.strip()
    countries = []
    by_name = {}
    for entry in iso:
        name = entry.get("common_name", entry["name"])
        countries.append((entry["alpha_2"], entry["alpha_3"], entry["numeric"], name))
        for key in ("name", "common_name", "official_name"):
            if key in entry:
                by_name[entry[key].lower()] = entry["alpha_2"]
    # Kosovo has no ISO 3166-1 code; XK is the user-assigned code the EAR's sources use.
    countries.append(("XK", "XKX", "", "Kosovo"))
    countries.sort()
    with open(OUT / "countries.csv", "w", newline="") as out:
        out.write(f"# ISO 3166-1 from Debian iso-codes {version}; XK (Kosovo) is user-assigned.\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["alpha2", "alpha3", "numeric", "name"])
        writer.writerows(countries)

    ear = json.loads(EAR_JSON.read_text())
    aliases = ear["aliases"]

    def code(name: str) -> str:
        found = EAR_NAMES.get(name) or by_name.get(name.lower())
        if not found and name.lower() in aliases:
            target = aliases[name.lower()]
            found = EAR_NAMES.get(target) or by_name.get(target.lower())
        if not found:
            sys.exit(f"unmapped EAR country name: {name}")
        return found

    ear_source = f"{ear['citation']}, eCFR issue of {ear['ecfrIssueDate']}"
    groups = []
    for gid, names in ear["groups"].items():
        members = sorted({code(n) for n in names})
        notes = []
        if gid in ("D:1", "D:3", "D:4", "D:5") and "CN" in members:
            members = sorted(set(members) | {"HK"})
            notes.append("Hong Kong (HK) added: treated as China under the EAR since 23 December 2020 (BIS final rule \"Removal of Hong Kong as a Separate Destination under the Export Administration Regulations\", FR Doc. 2020-28101).")
        if gid == "D:5":
            notes.append("Macau (MO) is not in D:5; the EAR writes \"Macau or D:5\". Cambodia removed 2026-02-03; Nicaragua added 2024-03-15.")
        if gid == "B" and "LI" not in members:
            members = sorted(set(members) | {"LI"})
            notes.append("Liechtenstein (LI) added: missing from the compiled copy of the eCFR text used here.")
        if gid == "A:5" and "AE" in members:
            notes.append("United Arab Emirates: STA only for approved entities (15 CFR 740.2(a)(26)).")
        groups.append({
            "id": gid,
            "label": LABELS.get(gid, ear["labels"].get(gid, gid)),
            "source": ear_source,
            "date": ear["ecfrIssueDate"],
            "members": members,
            "notes": notes,
        })

    d5 = next(g for g in groups if g["id"] == "D:5")["members"]
    tier3 = sorted(set(d5) | {"MO"})
    all_codes = sorted(c[0] for c in countries)
    tier2 = sorted(set(all_codes) - set(TIER1) - set(tier3))
    groups.append({"id": "tier1", "label": "AI Diffusion Tier 1 (rescinded)", **AI_DIFFUSION,
                   "members": sorted(TIER1), "notes": ["The United States plus 18 allies and partners."]})
    groups.append({"id": "tier2", "label": "AI Diffusion Tier 2 (rescinded)", **AI_DIFFUSION,
                   "members": tier2, "notes": ["Every country in neither Tier 1 nor Tier 3."]})
    groups.append({"id": "tier3", "label": "AI Diffusion Tier 3 (rescinded)", **AI_DIFFUSION,
                   "members": tier3, "notes": ["Country Group D:5 plus Macau (with Hong Kong as China)."]})
    groups.append({"id": "EU", "label": "European Union member states",
                   "source": "European Union, member countries (27 since 1 February 2020)",
                   "date": "2020-02-01", "members": sorted(EU), "notes": []})
    groups.append({"id": "united-states", "label": "The United States (15 CFR 772.1)",
                   "source": "15 C.F.R. 772.1, definition of \"United States\": the States, the District of Columbia, "
                             "Puerto Rico and every territory, dependency or possession",
                   "date": ear["ecfrIssueDate"], "members": sorted(UNITED_STATES),
                   "notes": ["Used by `us_person`: any person in the United States is a U.S. person, "
                             "whatever their citizenship; an entity organised under U.S. law is one too."]})
    (OUT / "groups.json").write_text(json.dumps(groups, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(countries)} countries, {len(groups)} groups")
    return 0


if __name__ == "__main__":
    sys.exit(main())
