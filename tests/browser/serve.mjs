// `pbxmock serve` (or `pbxmock proxy`) on a free loopback port for the browser tests: resolves
// with the child and the port once the banner names it.
import {spawn} from "node:child_process";

function start(binary, args, banner, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {stdio: ["ignore", "pipe", "pipe"]});
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${what} printed no banner in 20 s:\n` + out)), 20000);
    const read = (chunk) => {
      out += chunk;
      const m = out.match(banner);
      if (m) { clearTimeout(timer); resolve({child, port: Number(m[1])}); }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("error", (e) => { clearTimeout(timer); reject(e); });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}):\n${out}`)); });
  });
}

// More arguments (e.g. ["--scenario", file]) go after the address.
export function startServer(binary, more = []) {
  return start(binary, ["serve", "--host", "127.0.0.1", "--port", "0", ...more],
               /serving scenario '[^']*' on http:\/\/[^ ]*:(\d+)\/api/, "pbxmock serve");
}

export function startProxy(binary, upstream, more = []) {
  return start(binary, ["proxy", "--upstream", upstream, "--host", "127.0.0.1", "--port", "0", ...more],
               /proxying http:\/\/[^ ]*:(\d+) to /, "pbxmock proxy");
}
