#!/usr/bin/env python3
"""Regenerate content/employers/*.yaml for the example site.

The example employers are invented; each is described by a few parameters (size, working-class
share, response rate, outcome rates) chosen so the demo shows every label the scorecard can give.
Deterministic: the same script writes the same files. Run from the repository root.
"""
import random

PRACTICES = {
    "data": ["ask_right_question", "explain_why", "use_to_inform_change"],
    "culture": ["understand_current", "conversations_listen", "coldspots"],
    "outreach": ["start_early", "offer_to_all_staff", "address_barriers", "partners"],
    "hiring": ["inclusive_apprenticeship", "remove_qualifications", "encouraging_language", "support_applicants"],
    "progression": ["pathways", "next_steps_talks", "support_learning"],
    "advocacy": ["take_people_with_you", "tell_story", "share_levy"],
}

NOTES = {
    "ask_right_question": "We ask the key question at application and each year in the staff survey.",
    "explain_why": "Our application form explains why we ask and how answers stay anonymous.",
    "use_to_inform_change": "We review applicants, starts, levels and completion by background every quarter.",
    "understand_current": "We ran listening groups with apprentices about the unwritten rules of the workplace.",
    "conversations_listen": "Apprentices meet the executive team twice a year.",
    "coldspots": "New apprenticeships are placed at our sites outside the big cities.",
    "start_early": "We work with local secondary schools from Year 9.",
    "offer_to_all_staff": "Existing frontline staff can apply, including for part-time routes.",
    "address_barriers": "Open days run after school hours and travel is paid in advance.",
    "partners": "We co-design outreach with a local college and a youth charity.",
    "inclusive_apprenticeship": "We pay the voluntary living wage and offer flexible hours.",
    "remove_qualifications": "No GCSE grades are required to apply for level 2 and 3 roles.",
    "encouraging_language": "Adverts were rewritten in plain language with current apprentices.",
    "support_applicants": "We cover travel and childcare for interviews and lend laptops.",
    "pathways": "Every apprentice has a mapped route to a level 4 programme or a permanent role.",
    "next_steps_talks": "Line managers hold a career conversation every three months.",
    "support_learning": "Off-the-job time is protected in rotas and extra study leave is given before assessment.",
    "take_people_with_you": "Our chief executive talks about this at every all-staff meeting.",
    "tell_story": "We publish our figures and lessons each year.",
    "share_levy": "We transferred a share of unspent levy to small suppliers.",
}

# slug, name, sector, region, size, levy, years, scale, wc share, response, outcome wc/prof rates, practices level
EMPLOYERS = [
    ("northgate-rail", "Northgate Rail Engineering", "Engineering and manufacturing", "North East", "large", True, 3, 1.0, 0.30, 0.85, (0.60, 0.80), 0.8),
    ("harbourside-care", "Harbourside Care Group", "Health and social care", "South West", "large", True, 3, 1.2, 0.55, 0.90, (0.78, 0.80), 0.7),
    ("brightwater-digital", "Brightwater Digital", "Digital and technology", "London", "medium", False, 2, 0.35, 0.20, 0.80, (0.75, 0.85), 0.4),
    ("pennine-build", "Pennine Build Partnership", "Construction", "Yorkshire and The Humber", "large", True, 3, 0.6, 0.41, 0.78, (0.65, 0.72), 0.6),
    ("castlegate-legal", "Castlegate Legal", "Legal and professional services", "London", "medium", False, 2, 0.4, 0.28, 0.45, (0.80, 0.85), 0.3),
    ("fenland-foods", "Fenland Foods", "Food and drink manufacturing", "East of England", "large", True, 2, 0.9, 0.52, 0.88, (0.86, 0.70), 0.9),
    ("tyne-street-bakery", "Tyne Street Bakery", "Hospitality and catering", "North East", "small", False, 2, 0.02, 0.50, 0.90, None, 0.5),
    ("llanberis-outdoor", "Llanberis Outdoor Centre", "Sport and leisure", "Wales", "small", False, 2, 0.03, 0.45, 0.85, None, 0.4),
    ("clydeside-energy", "Clydeside Energy Networks", "Energy and utilities", "Scotland", "large", True, 3, 0.8, 0.38, 0.82, (0.74, 0.76), 0.75),
    ("midshire-council", "Midshire County Council", "Public sector", "West Midlands", "large", True, 2, 0.7, 0.44, 0.70, (0.70, 0.74), 0.65),
    ("lagan-financial", "Lagan Financial Services", "Financial and professional services", "Northern Ireland", "large", True, 2, 0.7, 0.22, 0.92, (0.82, 0.88), 0.5),
    ("solent-marine", "Solent Marine Systems", "Engineering and manufacturing", "South East", "medium", False, 2, 0.18, 0.36, 0.75, (0.70, 0.80), 0.55),
    ("trent-valley-logistics", "Trent Valley Logistics", "Transport and logistics", "East Midlands", "large", True, 3, 0.75, 0.48, 0.80, (0.62, 0.66), 0.6),
    ("mersey-retail", "Mersey Retail Co-operative", "Retail", "North West", "large", True, 2, 1.1, 0.46, 0.74, (0.72, 0.73), 0.85),
]

LATEST = 2025


def split(rng, n, wc, response):
    """Split n people asked into answer counts with the given working-class share."""
    answered = round(n * response)
    other = round(answered * rng.uniform(0.03, 0.07))
    pnts = round(answered * rng.uniform(0.02, 0.06))
    classified = max(answered - other - pnts, 0)
    w = round(classified * min(max(wc + rng.uniform(-0.02, 0.02), 0), 1))
    p = round((classified - w) * rng.uniform(0.55, 0.65))
    i = classified - w - p
    return {"asked": n, "professional": p, "intermediate": i, "working_class": w, "other": other, "prefer_not_to_say": pnts}


def flow(d):
    return "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"


def outcome(rng, due, rate):
    due = max(due, 0)
    return {"due": due, "achieved": min(due, round(due * min(max(rate + rng.uniform(-0.03, 0.03), 0), 1)))}


def year_block(rng, e, year, idx):
    slug, _, _, _, size, levy, _, scale, wc, resp, rates, level = e
    drift = 0.02 * idx
    lines = [f"  - year: {year}", "    key_question:"]
    apps = max(int(900 * scale * rng.uniform(0.9, 1.1)), 6)
    starts = max(int(apps * 0.09), 4)
    cohort = max(int(starts * 2.8), 5)
    lines.append(f"      applicants: {flow(split(rng, apps, wc + drift, resp))}")
    lines.append(f"      starts:     {flow(split(rng, starts, wc + drift - 0.02, resp))}")
    coh = split(rng, cohort, wc + drift, resp)
    lines.append(f"      cohort:     {flow(coh)}")
    if size != "small":
        lines.append("      levels:")
        shares = {"2": 0.35, "3": 0.45, "4-5": 0.15, "6-7": 0.05}
        for band, sh in shares.items():
            band_wc = wc + 0.08 if band in ("2", "3") else wc - 0.12
            lines.append(f'        "{band}": {flow(split(rng, max(int(cohort * sh), 1), band_wc, resp))}')
    if rates:
        wc_rate, pr_rate = rates
        lines.append("    outcomes:")
        n = max(int(cohort * 0.45), 3)
        groups = {"professional": (coh["professional"] / max(coh["asked"], 1), pr_rate),
                  "intermediate": (coh["intermediate"] / max(coh["asked"], 1), (wc_rate + pr_rate) / 2),
                  "working_class": (coh["working_class"] / max(coh["asked"], 1), wc_rate)}
        completed = {}
        for measure, bump in (("functional_skills", 0.08), ("completion", 0.0), ("progression", -0.25)):
            parts = {}
            for g, (share, r) in groups.items():
                # Progression is counted among those who completed.
                due = completed[g] if measure == "progression" else round(n * share * 1.6)
                o = outcome(rng, due, min(r + bump, 0.97))
                if measure == "completion":
                    completed[g] = o["achieved"]
                parts[g] = flow(o)
            lines.append(f"      {measure}: {{" + ", ".join(f"{g}: {v}" for g, v in parts.items()) + "}")
    if size == "large" and idx == 0:
        asked = cohort
        yes = round(asked * resp * 0.06)
        no = round(asked * resp) - yes
        lines.append("    extra_questions:")
        lines.append(f"      independent_school: {flow({'asked': asked, 'yes': yes, 'no': no})}")
        fsm_yes = round(asked * resp * (0.12 + wc / 3))
        lines.append(f"      free_school_meals: {flow({'asked': asked, 'yes': fsm_yes, 'no': round(asked * resp) - fsm_yes})}")
    lines.append("    practices:")
    for chapter, ids in PRACTICES.items():
        for pid in ids:
            if pid == "share_levy" and not levy:
                lines.append(f"      {chapter}.{pid}: {{status: not_applicable}}")
                continue
            roll = rng.random() + 0.1 * idx
            if roll < level * 0.8:
                ev = f', evidence: "https://example.org/{slug}/{pid.replace("_", "-")}"' if rng.random() < 0.4 else ""
                lines.append(f'      {chapter}.{pid}: {{status: in_place, note: "{NOTES[pid]}"{ev}}}')
            elif roll < level:
                lines.append(f'      {chapter}.{pid}: {{status: partial, note: "Started this year; not yet everywhere."}}')
            else:
                lines.append(f"      {chapter}.{pid}: {{status: not_started}}")
    return lines


def main():
    for e in EMPLOYERS:
        slug, name, sector, region, size, levy, years, *_ = e
        rng = random.Random(slug)
        out = [
            f"# Example employer (invented). Aggregate counts only: never individuals.",
            f"name: {name}",
            f"sector: {sector}",
            f"region: {region}",
            f"size: {size}",
            f"levy_payer: {'true' if levy else 'false'}",
            f"website: https://example.org/{slug}",
            "commitment: |",
            f"  At {name} we want our apprenticeships to be open to anyone with the potential to do the job,",
            "  whatever their parents did for a living. We publish our figures every year, the good and the",
            "  less good, so that we can be held to what we say.",
            "pledges:",
            f"  social_mobility_pledge: {'true' if rng.random() < 0.6 else 'false'}",
            f"  employer_index_entrant: {'true' if size == 'large' and rng.random() < 0.5 else 'false'}",
            f"  levy_transfer: {'true' if levy and rng.random() < 0.5 else 'false'}",
            f"  voluntary_living_wage: {'true' if rng.random() < 0.7 else 'false'}",
            f"  protects_off_the_job_time: true",
            "years:",
        ]
        for idx, year in enumerate(range(LATEST - years + 1, LATEST + 1)):
            out += year_block(rng, e, year, idx)
        with open(f"content/employers/{slug}.yaml", "w") as f:
            f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
