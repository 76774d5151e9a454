// Browser tests of the admin page (issue 13): the real `pbxmock serve` on a free loopback
// port, Debian's chromium driven by playwright-core. Nothing is skipped: a missing chromium or
// playwright-core fails the run. A screenshot of each view goes to $PBXMOCK_SCREENSHOT_DIR.
//   PBXMOCK_BINARY=build/release/mock/pbxmock node --test tests/browser/
import {test, before, after} from "node:test";
import assert from "node:assert/strict";
import {existsSync, mkdirSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {browserPath, launchChromium} from "./chromium.mjs";
import {startServer} from "./serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const binary = process.env.PBXMOCK_BINARY || path.join(root, "build/release/mock/pbxmock");
const shots = process.env.PBXMOCK_SCREENSHOT_DIR || path.join(root, "build/browser-screenshots");
const UPDATE_WITHIN = 1500;  // ms: the page polls every 500 ms; "within a second" plus slack for a loaded machine

let server;
let base;
let browser;
let page;

async function call(method, url, body, headers = {}) {
  const init = {method, headers: {...headers}};
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(base + url, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return {status: response.status, json, text, headers: response.headers};
}

async function useScenario(name) {
  assert.equal((await call("POST", "/__admin/reset")).status, 200);
  assert.equal((await call("PUT", "/__admin/scenarios/active", {name})).status, 200);
}

async function shoot(name, selector) {
  const target = selector ? page.locator(selector) : page;
  await target.screenshot({path: path.join(shots, name + ".png")});
}

before(async () => {
  assert.ok(existsSync(binary), `pbxmock binary not found at ${binary} (set PBXMOCK_BINARY)`);
  assert.ok(existsSync(browserPath), `chromium not found at ${browserPath}: run scripts/setup.sh`);
  mkdirSync(shots, {recursive: true});
  const started = await startServer(binary);
  server = started.child;
  base = `http://127.0.0.1:${started.port}`;
  browser = await launchChromium();
  const context = await browser.newContext({viewport: {width: 1280, height: 800}});
  page = await context.newPage();
  await page.goto(base + "/__admin/ui/");
  await page.locator("#status", {hasText: "live"}).waitFor();
  // Set once: if the page were reloaded, this mark would be gone.
  await page.evaluate(() => { window.notReloaded = true; });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill("SIGTERM");
});

test("GET / answers HTML to browsers and JSON to JSON clients", async () => {
  const json = await call("GET", "/", undefined, {Accept: "application/json"});
  assert.equal(json.status, 200);
  assert.equal(json.json.api_base_url, "/api");
  assert.equal(json.json.admin_ui, "/__admin/ui/");
  assert.ok(json.json.users.some((u) => u.username === "alice" && u.password === "alice-secret"),
            "loopback: the scenario's passwords are listed");
  const home = await page.context().newPage();
  await home.goto(base + "/");
  assert.match(await home.locator("h1").innerText(), /pbxmock/);
  await home.getByRole("link", {name: "Admin page"}).click();
  await home.waitForURL(base + "/__admin/ui/");
  await home.close();
});

test("a two-factor code appears in the inbox without a reload and finishes the sign-in", async () => {
  await useScenario("two_factor");
  const signIn = await call("POST", "/api/auth/sign_in", {username: "grace", password: "grace-secret", domain: "secure.example.com"});
  assert.equal(signIn.status, 200, signIn.text);
  assert.equal(signIn.json.two_factor_enabled, true);
  assert.equal((await call("POST", "/api/auth/send_otp", {token: signIn.json.token})).status, 200);

  const code = page.locator("#messages li[data-kind=otp] .code").first();
  await code.waitFor({timeout: UPDATE_WITHIN});
  const shown = (await code.innerText()).trim();
  assert.match(shown, /^\d{6}$/);
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
  await shoot("inbox", "#inbox");
  await page.screenshot({path: path.join(shots, "admin-page.png")});

  const verify = await call("POST", "/api/auth/verify_otp", {token: signIn.json.token, code: shown});
  assert.equal(verify.status, 200, verify.text);
  assert.ok(verify.json.access_token, "the code from the page finishes the sign-in");
});

test("the reset link in the inbox opens and its token resets the password", async () => {
  await useScenario("default");
  const callback = base + "/reset-password";
  const asked = await call("POST", "/api/auth/forget_password", {domain: "pbx.example.com", username: "alice", callback_url: callback});
  assert.equal(asked.status, 200, asked.text);
  const link = page.locator("#messages li[data-kind=password_reset] a.reset-link").first();
  await link.waitFor({timeout: UPDATE_WITHIN});
  const [opened] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
  await opened.waitForLoadState();
  const url = new URL(opened.url());
  assert.equal(url.origin + url.pathname, callback);
  const token = url.searchParams.get("token");
  assert.ok(token, "the opened link carries the reset token");
  await opened.close();
  const reset = await call("POST", "/api/auth/reset_password", {token, new_password: "n3w-Secret-pass"});
  assert.equal(reset.status, 200, reset.text);
  const again = await call("POST", "/api/auth/sign_in", {username: "alice", password: "n3w-Secret-pass", domain: "pbx.example.com"});
  assert.equal(again.status, 200, again.text);
});

test("a built-in scenario is switched from the page", async () => {
  await useScenario("default");
  await page.locator("#scenario-active", {hasText: "default"}).waitFor({timeout: 3000});
  await page.getByLabel("Built-in scenario").selectOption("microsoft365");
  await page.getByRole("button", {name: "Switch"}).click();
  await page.locator("#scenario-active", {hasText: "microsoft365"}).waitFor({timeout: UPDATE_WITHIN});
  assert.equal((await call("GET", "/__admin/scenarios/active")).json.active, "microsoft365");
  await shoot("scenario", "#scenario");
});

test("moving the clock from the page expires a token", async () => {
  await useScenario("default");
  const signIn = await call("POST", "/api/auth/sign_in", {username: "alice", password: "alice-secret", domain: "pbx.example.com"});
  assert.equal(signIn.status, 200, signIn.text);
  const bearer = {Authorization: "Bearer " + signIn.json.access_token};
  assert.equal((await call("GET", "/api/auth/user", undefined, bearer)).status, 200);
  await page.locator("#clock-offset", {hasText: "real time"}).waitFor({timeout: UPDATE_WITHIN});
  await page.getByRole("button", {name: "+1 day"}).click();
  await page.locator("#clock-offset", {hasText: "86400"}).waitFor({timeout: UPDATE_WITHIN});
  assert.equal((await call("GET", "/api/auth/user", undefined, bearer)).status, 401, "the token expired");
  await shoot("clock", "#clock");
  await page.getByRole("button", {name: "Reset everything"}).click();
  await page.locator("#clock-offset", {hasText: "real time"}).waitFor({timeout: UPDATE_WITHIN});
});

test("a broken scenario upload shows its error with line and column and keeps the running one", async () => {
  await useScenario("default");
  await page.locator("#scenario-active", {hasText: "default"}).waitFor({timeout: 3000});
  await page.getByLabel("Scenario file (YAML or JSON)").setInputFiles({
    name: "broken.yaml", mimeType: "application/yaml", buffer: Buffer.from("name: broken\ntenants: [\n  {name: x\n"),
  });
  await page.getByRole("button", {name: "Upload"}).click();
  const errors = page.locator("#scenario-errors li").first();
  await errors.waitFor({timeout: UPDATE_WITHIN});
  assert.match(await errors.innerText(), /^broken\.yaml:\d+:\d+: \S/);
  assert.equal((await call("GET", "/__admin/scenarios/active")).json.active, "default", "the running scenario is kept");
  await shoot("scenario-error", "#scenario");
});

test("the journal shows a failed request and opens its answer, with the password masked", async () => {
  await useScenario("default");
  const failed = await call("POST", "/api/auth/sign_in", {username: "alice", password: "wrong-password", domain: "pbx.example.com"});
  assert.equal(failed.status, 400);
  const row = page.locator("#journal-rows tr", {hasText: "/api/auth/sign_in"}).filter({hasText: "400"}).first();
  await row.waitFor({timeout: UPDATE_WITHIN});
  // The keyboard opens it: focus the row and press Enter.
  await row.focus();
  await page.keyboard.press("Enter");
  const detail = page.locator("#journal-detail");
  await detail.locator("h3", {hasText: "Answer body"}).waitFor();
  const text = await detail.innerText();
  assert.match(text, /UNAUTHORIZED/, "the answer's error code is shown");
  assert.match(text, /"password": "\*\*\*"/, "the password sent is masked");
  assert.doesNotMatch(text, /wrong-password/);
  assert.doesNotMatch(text, /REMOTE_ADDR/, "httplib's own entries are not shown as headers");
  await shoot("journal", "#journal");
});

test("the page is usable at phone width", async () => {
  await page.setViewportSize({width: 390, height: 844});
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling at phone width (page is ${width} px wide)`);
  await page.screenshot({path: path.join(shots, "phone.png"), fullPage: true});
  await page.setViewportSize({width: 1280, height: 800});
});
