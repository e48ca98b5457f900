"""A small corpus written for the fault tests: incidents told by several sources with
different figures (groups, conflicts), a denial, a statement reprinted by another
outlet (copies), and a later version of a report. Every sentence is made up here."""
from __future__ import annotations

import json
from pathlib import Path

TOWNS = [("Gusau", "Nigeria", "Zamfara"), ("Funtua", "Nigeria", "Katsina"),
         ("Baidoa", "Somalia", "Bay"), ("Kunduz", "Afghanistan", "Kunduz"),
         ("Mopti", "Mali", "Mopti"), ("Djibo", "Burkina Faso", "Soum")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
NAMES = ["Yusuf Bello", "Amina Warsame", "Karim Nadiri", "Oumar Traore", "Salif Ouedraogo",
         "Musa Danladi"]

TEMPLATES = {
    "police": ("{town}, {country} — Gunmen killed {n} villagers near {town} on {day}, police "
               "spokesman {name} said. He said {w} others were wounded when the attackers "
               "opened fire on the cattle market."),
    "official": ("A local official in {town} said {n2} villagers died when armed men stormed "
                 "the cattle market on {day}. Residents said the attackers left on motorcycles "
                 "before soldiers arrived."),
    "group": ("The armed group denied killing any villagers near {town}, saying its fighters "
              "had attacked only an army post on {day}. It said {m} soldiers were killed in "
              "that fight."),
    "wire": ("Armed men raided the crowded cattle market outside {town} in {region} on {day} "
             "and killed at least {n} traders and herders, the regional governor's office said "
             "in a statement issued that evening."),
    "reprint": ("Reprinted from a wire service. Armed men raided the crowded cattle market "
                "outside {town} in {region} on {day} and killed at least {n} traders and "
                "herders, the regional governor's office said in a statement issued that "
                "evening."),
}


def documents(incidents: range = range(6), revised: bool = False) -> list[dict]:
    """One row per report; `revised`: the police report of each incident gives a higher
    toll, as a later version of the same document would."""
    rows = []
    for i in incidents:
        town, country, region = TOWNS[i % len(TOWNS)]
        n = 7 + 3 * i + (4 if revised else 0)
        values = dict(town=town, country=country, region=region, day=DAYS[i % len(DAYS)],
                      name=NAMES[i % len(NAMES)], n=n, n2=n + 5, w=2 * i + 3, m=i + 2)
        for source, template in TEMPLATES.items():
            if revised and source != "police":
                continue
            rows.append({"id": f"inc{i}-{source}", "text": template.format(**values),
                         "date": f"2024-03-{10 + i:02d}" if source != "reprint"
                         else f"2024-03-{11 + i:02d}",
                         "source": f"{source.title()} Desk"})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path
