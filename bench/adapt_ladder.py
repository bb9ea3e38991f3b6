#!/usr/bin/env python3
"""Lay a benchmark corpus (../shared/bench/gen_corpus.py) out as a ladder site, so ladder and Hugo
build the same articles.

  adapt_ladder.py CORPUS SITE

- every article becomes a story: its title, date and body unchanged; `employer` kept; the first
  sentence becomes the summary; tags that name a toolkit chapter become themes;
- every employer record becomes an employer file with three reporting years of aggregate counts
  (stages, level bands, outcomes, an extra question) and a full set of practices, derived
  deterministically from the slug, at realistic scale for its headcount;
- site.yaml and the default benchmark set are added.
Deterministic: the same corpus gives the same site.
"""
import hashlib
import os
import random
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGIONS = {
    "north-east": "North East", "north-west": "North West", "yorkshire": "Yorkshire and The Humber",
    "midlands": "West Midlands", "east-anglia": "East of England", "london": "London",
    "south-east": "South East", "south-west": "South West", "wales": "Wales", "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
CHAPTERS = {"progression": "progression", "recruitment": "hiring", "training": "progression",
            "apprenticeships": "outreach", "diversity": "culture", "leadership": "culture",
            "feedback": "data", "engagement": "advocacy"}
PRACTICES = [
    "data.ask_right_question", "data.explain_why", "data.use_to_inform_change", "culture.understand_current",
    "culture.conversations_listen", "culture.coldspots", "outreach.start_early", "outreach.offer_to_all_staff",
    "outreach.address_barriers", "outreach.partners", "hiring.inclusive_apprenticeship",
    "hiring.remove_qualifications", "hiring.encouraging_language", "hiring.support_applicants",
    "progression.pathways", "progression.next_steps_talks", "progression.support_learning",
    "advocacy.take_people_with_you", "advocacy.tell_story", "advocacy.share_levy",
]


def read_fields(path):
    fields = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if ":" in line and not line.startswith(" "):
                k, v = line.split(":", 1)
                fields[k.strip()] = v.strip().strip('"')
    return fields


def answers(rng, asked, wc):
    answered = round(asked * rng.uniform(0.7, 0.95))
    other = round(answered * 0.04)
    pnts = round(answered * 0.03)
    classified = answered - other - pnts
    w = round(classified * wc)
    p = round((classified - w) * 0.6)
    return "{asked: %d, professional: %d, intermediate: %d, working_class: %d, other: %d, prefer_not_to_say: %d}" % (
        asked, p, classified - w - p, w, other, pnts)


def sector(fields):
    return fields["sector"].replace("-", " ").capitalize().replace('"', '')


def employer(fields):
    slug = fields["slug"]
    rng = random.Random(int(hashlib.sha256(slug.encode()).hexdigest()[:12], 16))
    staff = int(fields.get("employees", "100"))
    size = "small" if staff < 10 else ("medium" if staff < 250 else "large")
    scale = max(staff / 40, 4)
    wc = rng.uniform(0.2, 0.55)
    out = [
        "name: \"%s\"" % fields["name"].replace('"', ''),
        "sector: \"%s\"" % sector(fields),
        "region: %s" % REGIONS[fields["region"]],
        "size: %s" % size,
        "levy_payer: %s" % ("true" if size == "large" else "false"),
        "website: %s" % fields["website"],
        "commitment: \"%s\"" % fields.get("description", "")[:300].replace('"', ''),
        "years:",
    ]
    for year in (2022, 2023, 2024):
        apps = int(scale * rng.uniform(8, 12))
        starts = max(int(apps * 0.1), 3)
        cohort = max(starts * 3, 5)
        out += [
            "  - year: %d" % year,
            "    key_question:",
            "      applicants: " + answers(rng, apps, wc),
            "      starts: " + answers(rng, starts, wc - 0.03),
            "      cohort: " + answers(rng, cohort, wc),
            "      levels:",
            "        \"2\": " + answers(rng, max(int(cohort * 0.4), 1), wc + 0.08),
            "        \"3\": " + answers(rng, max(int(cohort * 0.45), 1), wc),
            "        \"4-5\": " + answers(rng, max(int(cohort * 0.15), 1), wc - 0.1),
            "    outcomes:",
        ]
        due = max(int(cohort * 0.3), 2)
        fs = [round(due * r) for r in (0.85, 0.82, 0.79)]
        done = [round(due * r) for r in (0.7, 0.67, 0.64)]
        groups = "{professional: {due: %d, achieved: %d}, intermediate: {due: %d, achieved: %d}, working_class: {due: %d, achieved: %d}}"
        out.append("      functional_skills: " + groups % (due, fs[0], due, fs[1], due, fs[2]))
        out.append("      completion: " + groups % (due, done[0], due, done[1], due, done[2]))
        prog = [round(d * r) for d, r in zip(done, (0.5, 0.45, 0.4))]
        out.append("      progression: " + groups % (done[0], prog[0], done[1], prog[1], done[2], prog[2]))
        out.append("    extra_questions:")
        yes = round(cohort * 0.05)
        out.append("      independent_school: {asked: %d, yes: %d, no: %d}" % (cohort, yes, int(cohort * 0.8) - yes))
        out.append("    practices:")
        for pid in PRACTICES:
            if pid == "advocacy.share_levy" and size != "large":
                out.append("      %s: {status: not_applicable}" % pid)
            elif rng.random() < 0.5:
                out.append("      %s: {status: in_place, note: \"Done across the organisation.\"}" % pid)
            else:
                out.append("      %s: {status: %s}" % (pid, rng.choice(["partial", "not_started"])))
    return "\n".join(out) + "\n"


def story(text):
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    fm, body = text[4:end].split("\n"), text[end + 5:]
    keep, tags = [], []
    for line in fm:
        if line.startswith("  - "):
            tags.append(line[4:].strip())
        elif line.split(":", 1)[0] in ("title", "date", "employer"):
            keep.append(line)
    first = body.strip().split(". ")[0].replace('"', "").replace("*", "")[:160]
    themes = sorted({CHAPTERS[t] for t in tags if t in CHAPTERS})
    keep.append('summary: "%s."' % first)
    keep.append("themes: [%s]" % ", ".join(themes))
    return "---\n" + "\n".join(keep) + "\n---\n" + body


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    corpus, site = sys.argv[1:]
    if os.path.exists(site):
        shutil.rmtree(site)
    for d in ("stories", "employers", "benchmarks"):
        os.makedirs(os.path.join(site, "content", d))
    shutil.copyfile(os.path.join(REPO, "content/benchmarks/smc-apprenticeships-2021.yaml"),
                    os.path.join(site, "content/benchmarks/smc-apprenticeships-2021.yaml"))
    sectors = set()
    for name in sorted(os.listdir(os.path.join(corpus, "employers"))):
        fields = read_fields(os.path.join(corpus, "employers", name))
        with open(os.path.join(site, "content/employers", name), "w", encoding="utf-8") as f:
            f.write(employer(fields))
        sectors.add(sector(fields))
    with open(os.path.join(site, "site.yaml"), "w") as f:
        # 100 per page, as in the reference Hugo site; the corpus's own sectors.
        f.write("title: Bench site\nbase_url: https://example.org/\nlanguage: en\nstories_per_page: 100\n")
        f.write("sectors:\n" + "".join("  - \"%s\"\n" % s for s in sorted(sectors)))
    for name in sorted(os.listdir(os.path.join(corpus, "articles"))):
        with open(os.path.join(corpus, "articles", name), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(site, "content/stories", name), "w", encoding="utf-8", newline="\n") as f:
            f.write(story(text))


if __name__ == "__main__":
    main()
