// The admin page under `pbxmock proxy` (issue 19: a violation is shown on the admin page beside
// the request). The upstream is a real `pbxmock serve` whose scenario has a rule that answers
// GET /api/info?domain=pbx.example.com with a body of the wrong type; the real `pbxmock proxy`
// forwards to it, both on free loopback ports. Debian's chromium (playwright-core) opens the
// proxy's /__admin/ui/: it must say it is a proxy to that upstream, leave out the mock's views
// without asking for them, and show the violating request's rule and pointer under that
// request and nothing under the clean one. The upstream's own page (`serve`) must show none of
// it. Screenshots go to $PBXMOCK_SCREENSHOT_DIR.
//   PBXMOCK_BINARY=build/release/mock/pbxmock node --test tests/browser/proxy_ui.test.mjs
import {test, before, after} from "node:test";
import assert from "node:assert/strict";
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {browserPath, launchChromium} from "./chromium.mjs";
import {startProxy, startServer} from "./serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const binary = process.env.PBXMOCK_BINARY || path.join(root, "build/release/mock/pbxmock");
const shots = process.env.PBXMOCK_SCREENSHOT_DIR || path.join(root, "build/browser-screenshots");
const UPDATE_WITHIN = 3000;  // ms: the page polls every 500 ms; slack for a loaded machine

// enable_ipv6 is a boolean in the spec (SystemMetadata): the response check "schema" fails at
// /body/enable_ipv6. The string also carries markup, which
// must reach the page as text if the checker's message quotes it.
const SCENARIO = `name: proxy-ui-upstream
tenants:
  - name: Example Corp
    domain: pbx.example.com
    users:
      - username: alice
        password: alice-secret
rules:
  - name: ipv6 as a string
    match:
      method: GET
      path: /api/info
      query: {domain: {equals: pbx.example.com}}
    respond:
      status: 200
      body: {web_domain: pbx.example.com, enable_ipv6: "<img id=injected src=x>yes"}
`;
const CLEAN = "/api/info";
const BROKEN = "/api/info?domain=pbx.example.com";

let scratch;
let upstreamServer;
let proxyServer;
let upstream;
let proxy;
let browser;
let page;
const consoleErrors = [];
const asked = [];

async function call(base, method, url) {
  const response = await fetch(base + url, {method});
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return {status: response.status, json, text};
}

// The row of the journal entry whose path cell reads exactly `shown`.
function requestRow(shown) {
  return page.locator("#journal-rows tr[data-id]").filter({
    has: page.locator("td.path", {hasText: new RegExp("^" + shown.replace(/[?.*+^$()[\]{}|\\/]/g, "\\$&") + "(\\d+ violations?)?$")}),
  });
}

before(async () => {
  assert.ok(existsSync(binary), `pbxmock binary not found at ${binary} (set PBXMOCK_BINARY)`);
  assert.ok(existsSync(browserPath), `chromium not found at ${browserPath}: run scripts/setup.sh`);
  mkdirSync(shots, {recursive: true});
  scratch = mkdtempSync(path.join(os.tmpdir(), "pbxmock-proxy-ui-"));
  const scenario = path.join(scratch, "upstream.yaml");
  writeFileSync(scenario, SCENARIO);
  const served = await startServer(binary, ["--scenario", scenario]);
  upstreamServer = served.child;
  upstream = `http://127.0.0.1:${served.port}`;
  const proxied = await startProxy(binary, upstream);
  proxyServer = proxied.child;
  proxy = `http://127.0.0.1:${proxied.port}`;
  browser = await launchChromium();
  const context = await browser.newContext({viewport: {width: 1280, height: 800}});
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  page.on("request", (request) => asked.push(new URL(request.url()).pathname));
  await page.goto(proxy + "/__admin/ui/");
  await page.locator("#status", {hasText: "live"}).waitFor();
});

after(async () => {
  if (browser) await browser.close();
  if (proxyServer) proxyServer.kill("SIGTERM");
  if (upstreamServer) upstreamServer.kill("SIGTERM");
  if (scratch) rmSync(scratch, {recursive: true, force: true});
});

test("the page under the proxy says it forwards to the upstream and leaves out the mock's views", async () => {
  const mode = page.locator("#mode");
  assert.ok(await mode.isVisible(), "the proxy's mode is shown");
  assert.equal((await mode.innerText()).trim(), `proxy to ${upstream}`);
  assert.equal(await page.title(), "pbxmock proxy admin");
  for (const view of ["#inbox", "#scenario", "#clock"]) {
    assert.ok(await page.locator(view).isHidden(), `${view} is hidden under the proxy`);
  }
  for (const name of ["Inbox", "Scenario", "Clock"]) {
    assert.equal(await page.getByRole("link", {name, exact: true}).count(), 0, `no ${name} link under the proxy`);
  }
  assert.ok(await page.locator("#journal").isVisible());
  assert.equal((await page.locator("#violation-count").innerText()).trim(), "0");
  await page.waitForTimeout(1500);  // three rounds of polling
  const mockOnly = asked.filter((p) => /^\/__admin\/(outbox|clock|scenarios)/.test(p));
  assert.deepEqual(mockOnly, [], "the page asked the proxy for views it has not");
  assert.ok(asked.includes("/__admin/requests"), "the page polls the journal");
  assert.deepEqual(consoleErrors, []);
});

test("a violating request shows its rule and pointer beside it; a clean one shows none", async () => {
  const clean = await call(proxy, "GET", CLEAN);
  assert.equal(clean.status, 200, clean.text);
  assert.equal(typeof clean.json.enable_ipv6, "boolean", "the clean answer keeps the spec");
  const broken = await call(proxy, "GET", BROKEN);
  assert.equal(broken.status, 200, broken.text);
  assert.equal(broken.json.enable_ipv6, "<img id=injected src=x>yes", "the proxy forwarded the upstream's broken answer");

  const brokenRow = requestRow(BROKEN);
  const cleanRow = requestRow(CLEAN);
  await brokenRow.waitFor({timeout: UPDATE_WITHIN});
  await cleanRow.waitFor({timeout: UPDATE_WITHIN});
  const brokenId = await brokenRow.getAttribute("data-id");
  const cleanId = await cleanRow.getAttribute("data-id");
  assert.notEqual(brokenId, cleanId);

  // Under its own request, not anywhere on the page.
  const list = page.locator(`#journal-rows tr.violations-row[data-for="${brokenId}"]`);
  await list.waitFor({timeout: UPDATE_WITHIN});
  assert.equal(await brokenRow.evaluate((tr) => tr.nextElementSibling && tr.nextElementSibling.getAttribute("data-for")), brokenId,
               "the violations are the row right under their request");
  const items = list.locator("li.violation");
  assert.equal(await items.count(), 1);
  assert.equal(await items.first().getAttribute("data-direction"), "response");
  assert.equal((await items.first().locator("code.rule").innerText()).trim(), "schema");
  assert.equal((await items.first().locator("code.pointer").innerText()).trim(), "/body/enable_ipv6");
  assert.match(await items.first().innerText(), /^Spec violation in the response: rule schema at \/body\/enable_ipv6: \S/);
  assert.ok(await items.first().isVisible(), "the violation is visible without opening the request");
  assert.match(await brokenRow.locator(".badge").innerText(), /^1 violation$/);
  assert.equal(await brokenRow.getAttribute("class"), "has-violations");

  assert.equal(await page.locator(`#journal-rows tr[data-for="${cleanId}"]`).count(), 0, "the clean request shows no violation");
  assert.equal(await cleanRow.locator(".badge").count(), 0);
  assert.equal(await cleanRow.getAttribute("class"), null);

  await page.locator("#violation-count", {hasText: /^1$/}).waitFor({timeout: UPDATE_WITHIN});

  // The page's pairing agrees with the admin API's: the violation names that journal entry.
  const listed = await call(proxy, "GET", "/__admin/violations");
  assert.equal(listed.json.violations.length, 1, listed.text);
  assert.equal(String(listed.json.violations[0].request_id), brokenId);

  // The keyboard steps from request to request, past the list between them (newest first).
  await brokenRow.focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-id")), cleanId);
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-id")), brokenId);
  await page.keyboard.press("Enter");
  const detail = page.locator("#journal-detail");
  await detail.locator("h3", {hasText: "1 spec violation"}).waitFor({timeout: UPDATE_WITHIN});
  assert.equal((await detail.locator("li.violation code.pointer").innerText()).trim(), "/body/enable_ipv6");
  assert.match(await detail.innerText(), /"enable_ipv6": "<img id=injected src=x>yes"/, "the answer body is shown as text");
  assert.equal(await page.locator("#injected").count(), 0, "text from the server went into the page as markup");
  await page.screenshot({path: path.join(shots, "proxy-admin-page.png")});
  await page.setViewportSize({width: 390, height: 844});
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling at phone width (page is ${width} px wide)`);
  const box = await list.locator("li.violation").boundingBox();
  assert.ok(box && box.x + box.width <= 390, `the violation fits the phone's width (${JSON.stringify(box)})`);
  await page.screenshot({path: path.join(shots, "proxy-phone.png"), fullPage: true});
  await page.setViewportSize({width: 1280, height: 800});

  await page.getByLabel("only requests with violations").check();
  await page.locator(`#journal-rows tr[data-id="${cleanId}"]`).waitFor({state: "detached", timeout: UPDATE_WITHIN});
  assert.equal(await page.locator(`#journal-rows tr[data-id="${brokenId}"]`).count(), 1, "the violating request stays listed");
  await page.getByLabel("only requests with violations").uncheck();
  await page.locator(`#journal-rows tr[data-id="${cleanId}"]`).waitFor({timeout: UPDATE_WITHIN});
  assert.deepEqual(consoleErrors, []);
});

test("clearing the journal and violations from the page empties both", async () => {
  await page.getByRole("button", {name: "Clear journal and violations"}).click();
  await page.locator("#violation-count", {hasText: /^0$/}).waitFor({timeout: UPDATE_WITHIN});
  await page.locator("#journal-rows td.empty", {hasText: "No requests yet."}).waitFor({timeout: UPDATE_WITHIN});
  assert.equal(await page.locator("#journal-rows tr.violations-row").count(), 0);
  assert.equal((await call(proxy, "GET", "/__admin/violations")).json.total, 0);
  assert.deepEqual(consoleErrors, []);
});

test("the upstream's own page (pbxmock serve) shows no proxy and no violations", async () => {
  const served = await page.context().newPage();
  const errors = [];
  served.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  served.on("pageerror", (error) => errors.push(String(error)));
  await served.goto(upstream + "/__admin/ui/");
  await served.locator("#status", {hasText: "live"}).waitFor();
  await served.locator("#scenario-active", {hasText: "proxy-ui-upstream"}).waitFor({timeout: UPDATE_WITHIN});
  assert.ok(await served.locator("#mode").isHidden());
  assert.equal(await served.title(), "pbxmock admin");
  for (const view of ["#inbox", "#scenario", "#clock"]) assert.ok(await served.locator(view).isVisible(), `${view} is shown`);
  for (const hidden of ["#violation-summary", "#reset-proxy", "#only-violations-label"]) {
    assert.ok(await served.locator(hidden).isHidden(), `${hidden} is the proxy's only`);
  }
  // The upstream answered the broken body too, but `serve` checks nothing: no marks.
  await served.locator("#journal-rows tr[data-id]", {hasText: "/api/info?domain="}).first().waitFor({timeout: UPDATE_WITHIN});
  assert.equal(await served.locator("#journal-rows tr.violations-row, #journal-rows .badge").count(), 0);
  await served.close();
  assert.deepEqual(errors, []);
});
