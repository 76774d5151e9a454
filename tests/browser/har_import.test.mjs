// A HAR recorded by a real browser, imported and replayed (issue 19): Debian's chromium, driven
// by playwright-core with recordHar, loads the mock's home page and, from the page, reads
// GET /api/info, signs alice in, reads GET /api/auth/user and signs out. `pbxmock import` turns
// the HAR into contracts (no secret written, the page itself listed as not the API's), and
// `pbxmock check` runs them against the same mock: they pass.
//   PBXMOCK_BINARY=build/release/mock/pbxmock node --test tests/browser/har_import.test.mjs
import {test, before, after} from "node:test";
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {browserPath, launchChromium} from "./chromium.mjs";
import {startServer} from "./serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const binary = process.env.PBXMOCK_BINARY || path.join(root, "build/release/mock/pbxmock");

let server;
let base;
let scratch;

function pbxmock(args, env = {}) {
  return spawnSync(binary, args, {encoding: "utf8", timeout: 60000, env: {...process.env, ...env}});
}

before(async () => {
  assert.ok(existsSync(binary), `pbxmock binary not found at ${binary} (set PBXMOCK_BINARY)`);
  assert.ok(existsSync(browserPath), `chromium not found at ${browserPath}: run scripts/setup.sh`);
  scratch = mkdtempSync(path.join(os.tmpdir(), "pbxmock-har-"));
  const started = await startServer(binary);
  server = started.child;
  base = `http://127.0.0.1:${started.port}`;
});

after(() => {
  if (server) server.kill("SIGTERM");
  if (scratch) rmSync(scratch, {recursive: true, force: true});
});

test("a HAR recorded in chromium imports into contracts that pass against the mock", async () => {
  const har = path.join(scratch, "session.har");
  const browser = await launchChromium();
  let seen;
  try {
    const context = await browser.newContext({recordHar: {path: har, content: "embed"}});
    const page = await context.newPage();
    await page.goto(base + "/");
    // What a front end does: fetch calls from the page, on the page's own origin.
    seen = await page.evaluate(async () => {
      const json = {"Content-Type": "application/json"};
      const info = await fetch("/api/info");
      const signIn = await fetch("/api/auth/sign_in", {method: "POST", headers: json,
        body: JSON.stringify({username: "alice", password: "alice-secret", domain: "pbx.example.com"})});
      const tokens = await signIn.json();
      const auth = {Authorization: "Bearer " + tokens.access_token};
      const user = await fetch("/api/auth/user", {headers: auth});
      const signOut = await fetch("/api/auth/sign_out", {method: "POST", headers: auth});
      await info.json();  // a body the page never reads may be missing from the HAR
      return {info: info.status, signIn: signIn.status, user: (await user.json()).role, signOut: signOut.status,
              access: tokens.access_token, refresh: tokens.refresh_token};
    });
    await context.close();  // writes the HAR
  } finally {
    await browser.close();
  }
  assert.deepEqual({info: seen.info, signIn: seen.signIn, user: seen.user, signOut: seen.signOut},
                   {info: 200, signIn: 200, user: "Admin", signOut: 200});
  assert.ok(existsSync(har), "recordHar wrote no file");

  const out = path.join(scratch, "recorded");
  const imported = pbxmock(["import", har, "--out", out]);
  assert.equal(imported.status, 0, imported.stdout + imported.stderr);  // the mock breaks no rule of the spec
  assert.match(imported.stdout, /not the API's: entry \d+ GET http:\/\/127\.0\.0\.1:\d+\/\n/);
  assert.match(imported.stdout, /: 4 the API's \(http:\/\/127\.0\.0\.1:\d+\), \d+ not; 0 violation\(s\)\n/);
  assert.match(imported.stdout, /set them before pbxmock check\): PBX_PASSWORD\n/);

  const contracts = path.join(out, "contracts");
  const files = readdirSync(contracts);
  assert.deepEqual(files, ["session-1.yaml"]);
  const text = readFileSync(path.join(contracts, files[0]), "utf8");
  for (const secret of ["alice-secret", seen.access, seen.refresh]) {
    assert.ok(!text.includes(secret), `a secret was written into the contract:\n${text}`);
  }
  assert.match(text, /Bearer \$\{access_token\}/);

  const check = pbxmock(["check", "--target", base, contracts], {PBX_PASSWORD: "alice-secret"});
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /\n4 passed, 0 failed\n$/);
});
