// Real-browser test of referat-serve's web page: Debian's chromium driven by playwright-core.
// Usage: node browser_test.mjs BASE_URL SCREENSHOT_DIR
// Loads the page, searches "negativ social kontrol", checks the first result and the committee
// facet counts (against the JSON API), narrows by a committee facet, opens an item page, checks
// keyboard access and the search-box suggestions, and saves screenshots (desktop and phone).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";

const [base, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const QUERY = "negativ social kontrol";
const FIRST = "Orientering om Odense Kommunes arbejde med negativ social kontrol";
const BUU = "Børn- og Ungeudvalget";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "da-DK" });
  const page = await context.newPage();
  // Any console error (a CSP violation, a failed asset, a script error) fails the test.
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));

  // 1. Start page, keyboard: the first Tab reaches the skip link, the search box has a label.
  await page.goto(base + "/");
  assert.equal(await page.title(), "Referatsøgning");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
  assert.equal(await page.locator("label[for=q]").textContent(), "Søg i referater");

  // 2. Suggestions: typing fills the datalist from /api/suggest.
  await page.locator("#q").click();
  await page.keyboard.type("negativ social kontr", { delay: 20 });
  await page.waitForFunction(() => document.querySelectorAll("#forslag option").length > 0,
                             null, { timeout: 5000 });
  const options = await page.locator("#forslag option").evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.every((o) => o.startsWith("negativ social kontr")), options.join(", "));

  // 3. Search by typing and pressing Enter (a real form submission).
  await page.locator("#q").fill(QUERY);
  await Promise.all([page.waitForURL(/\?q=/), page.keyboard.press("Enter")]);
  assert.match(page.url(), /[?&]q=negativ\+social\+kontrol/);
  const titles = await page.locator(".hit h3 a").allTextContents();
  assert.ok(titles.length >= 2, "several hits");
  assert.equal(titles[0], FIRST);
  assert.ok((await page.locator(".hit mark").count()) > 0, "highlighted snippets");

  // Facet counts on the page equal the API's exact counts.
  const api = await (await fetch(base + "/api/search?q=" + encodeURIComponent(QUERY))).json();
  const facetLinks = page.locator("section.facet[data-facet=committee] li a");
  const shown = {};
  for (const a of await facetLinks.all()) {
    shown[(await a.locator(".value").textContent()).trim()] =
        Number((await a.locator(".count").textContent()).replace(/\./g, ""));
  }
  for (const v of api.facets.committee) assert.equal(shown[v.value], v.count, v.value);
  assert.ok(shown[BUU] > 0 && shown[BUU] < titles.length, "BUU is a strict subset: " + JSON.stringify(shown));
  await page.screenshot({ path: path.join(shots, "1-search.png"), fullPage: true });

  // 4. Click the committee facet: the list narrows to that committee, the choice is marked.
  await Promise.all([page.waitForURL(/udvalg=/),
                     page.locator("section.facet[data-facet=committee] a", { hasText: BUU }).click()]);
  const narrowed = await page.locator(".hit .meta .committee").allTextContents();
  assert.equal(narrowed.length, shown[BUU]);
  assert.ok(narrowed.every((c) => c === BUU), narrowed.join(", "));
  assert.equal(await page.locator("a.selected[aria-current=true]").count(), 1);
  assert.equal(await page.locator(".chips a").count(), 1);
  await page.screenshot({ path: path.join(shots, "2-facet.png"), fullPage: true });

  // 5. Back to all results and open the first item page (keyboard: focus the link, Enter).
  await page.goto(base + "/?q=" + encodeURIComponent(QUERY));
  await page.locator(".hit h3 a").first().focus();
  await Promise.all([page.waitForURL(/\/punkt\//), page.keyboard.press("Enter")]);
  assert.equal(await page.locator("h1").textContent(), FIRST);
  assert.ok((await page.locator("section.section").count()) >= 2, "item sections");
  assert.equal(await page.locator("#lignende").textContent(), "Lignende punkter");
  assert.ok((await page.locator(".similar li").count()) > 0, "similar items listed");
  await page.screenshot({ path: path.join(shots, "3-item.png"), fullPage: true });

  // 6. Phone width: no horizontal scrolling.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true,
                                           deviceScaleFactor: 2, locale: "da-DK" });
  const mobile = await phone.newPage();
  await mobile.goto(base + "/?q=" + encodeURIComponent(QUERY));
  const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, "page is wider than the phone by " + overflow + "px");
  await mobile.screenshot({ path: path.join(shots, "4-phone.png"), fullPage: false });

  assert.deepEqual(problems, [], "console errors");
  console.log("browser test: ok; screenshots in " + shots);
} finally {
  await browser.close();
}
