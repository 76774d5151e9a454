// Debian's chromium driven by playwright-core (no browser download), started the same way by
// every browser test: headless, nothing fetched from the network by the browser itself.
import {chromium} from "playwright-core";

export const browserPath = process.env.PBXMOCK_CHROMIUM || "/usr/bin/chromium";

export function launchChromium() {
  return chromium.launch({
    executablePath: browserPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
