// `pbxmock serve` on a free loopback port for the browser tests: resolves with the child and
// the port once the banner names it.
import {spawn} from "node:child_process";

export function startServer(binary) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["serve", "--host", "127.0.0.1", "--port", "0"], {stdio: ["ignore", "pipe", "pipe"]});
    let out = "";
    const timer = setTimeout(() => reject(new Error("pbxmock serve printed no banner in 20 s:\n" + out)), 20000);
    const read = (chunk) => {
      out += chunk;
      const m = out.match(/serving scenario '[^']*' on http:\/\/[^ ]*:(\d+)\/api/);
      if (m) { clearTimeout(timer); resolve({child, port: Number(m[1])}); }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("error", (e) => { clearTimeout(timer); reject(e); });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`pbxmock serve exited (${code}):\n${out}`)); });
  });
}
