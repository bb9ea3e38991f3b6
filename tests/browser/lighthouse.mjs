// Lighthouse on one page of every page type of the built example site: performance,
// accessibility, best practices and SEO, each at least 95 (of 100), with Lighthouse's default
// mobile settings (a mid-range phone on a slow 4G connection, simulated).
// Run by scripts/browser-test.sh after the browser tests, which sets BASE_URL (the served site)
// and CHROMIUM (the browser). One Chromium per page, one page at a time, so the pages do not
// compete for the machine. A page whose only shortfall is performance is run once more, as
// simulated throttling on a busy machine can cost a few points; the second run decides.
// Prints a table of every score; on a shortfall, names the page, the category and the audits
// that lost points, writes that run's full report to $LIGHTHOUSE_REPORTS (when set) and exits 1.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { PAGES as ALL_PAGES } from "./pages.mjs";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8080/";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const REPORTS = process.env.LIGHTHOUSE_REPORTS;
const MINIMUM = 0.95;

// The second employer page is the scorecard's page type again.
const { "small-employer": _sameType, ...PAGES } = ALL_PAGES;
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const TITLES = { performance: "Performance", accessibility: "Accessibility", "best-practices": "Best practices", seo: "SEO" };

/** One Lighthouse run of one URL in a fresh Chromium. */
async function run(url) {
  const flags = ["--headless=new", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"];
  // Chromium's sandbox does not start as root (in a container, say); as any other user it stays on.
  if (process.getuid?.() === 0) flags.push("--no-sandbox");
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: flags, logLevel: "silent" });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      onlyCategories: CATEGORIES,
      output: "html",
      logLevel: "error",
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    return result;
  } finally {
    await chrome.kill();
  }
}

/** The audits that lost points in a category: title, score and what Lighthouse measured. */
function shortfalls(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a.score !== null && a.score < 1)
    .map((a) => `${a.title} (${Math.round(a.score * 100)}${a.displayValue ? `, ${a.displayValue}` : ""})`);
}

const score = (lhr, c) => lhr.categories[c].score;
const failing = (lhr) => CATEGORIES.filter((c) => score(lhr, c) === null || score(lhr, c) < MINIMUM);
const pct = (s) => (s === null ? "–" : String(Math.round(s * 100)));

const rows = [];
const problems = [];
const reports = [];
for (const [name, path] of Object.entries(PAGES)) {
  const url = BASE + path;
  let lhr, report;
  let note = "";
  try {
    ({ lhr, report } = await run(url));
    const first = failing(lhr);
    if (first.length === 1 && first[0] === "performance" && !lhr.runtimeError) {
      const before = pct(score(lhr, "performance"));
      ({ lhr, report } = await run(url));
      note = `performance ${before} on the first run, run again`;
    }
  } catch (e) {
    problems.push(`${name} (${url}): Lighthouse could not run: ${e.message}`);
    rows.push([name, ...CATEGORIES.map(() => "–"), "could not run"]);
    continue;
  }
  if (lhr.runtimeError) problems.push(`${name} (${url}): Lighthouse could not test the page: ${lhr.runtimeError.message}`);
  for (const w of lhr.runWarnings ?? []) note += `${note ? "; " : ""}${w}`;
  rows.push([name, ...CATEGORIES.map((c) => pct(score(lhr, c))), note]);
  const low = failing(lhr);
  for (const c of low) {
    const audits = shortfalls(lhr, c);
    problems.push(`${name} (${url}): ${TITLES[c]} ${pct(score(lhr, c))}, under ${MINIMUM * 100}` +
      (audits.length ? `; audits that lost points: ${audits.join("; ")}` : ""));
  }
  if (low.length && REPORTS) {
    mkdirSync(REPORTS, { recursive: true });
    const file = join(REPORTS, `${name}.html`);
    writeFileSync(file, report);
    reports.push(file);
  }
}

const header = ["page", ...CATEGORIES.map((c) => TITLES[c]), "note"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((cell, i) => (i === 0 || i === r.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd();
console.log(`Lighthouse ${rows.length} pages, default mobile settings, at least ${MINIMUM * 100} in every category:`);
console.log(line(header));
for (const r of rows) console.log(line(r));
if (problems.length) {
  console.error(`\nLighthouse: ${problems.length} problem(s), every score must be at least ${MINIMUM * 100}:`);
  for (const p of problems) console.error(`- ${p}`);
  if (reports.length) console.error(`Full reports: ${reports.join(", ")}`);
  process.exit(1);
}
console.log(`Lighthouse: every page scores at least ${MINIMUM * 100} in all four categories.`);
