// What a phone downloads and how long it waits, for one built site served at BASE.
//
//   node bench/phone.mjs <base-url> <server-pid>
//
// For each surface (the storefront, the sign-in page, the till) in a fresh browser:
//   - the first visit's download: every response's bytes on the wire, as gzip (what Chromium asks
//     for over plain http) and as brotli (asked for again, file by file, the way a phone on https
//     gets them);
//   - the time until the page is usable (hydrated: the app marks <body data-hydrated>), on a
//     throttled 3G connection (1.6 Mbit/s down, 750 kbit/s up, 300 ms round trip) with the
//     processor slowed four times, and when its content first showed.
// Then the server's processor time per download of the wasm, asked for with brotli, read from
// /proc for the server's process.
// Prints JSON. Exits non-zero when a page does not answer 200, does not hydrate, or a file is
// answered in another encoding than asked for.
import { readFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import { wireBytes } from "./wire.mjs";

const [base, pidText] = process.argv.slice(2);
const pid = Number(pidText);
if (!base || !pid) {
  console.error("usage: node bench/phone.mjs <base-url> <server-pid>");
  process.exit(2);
}
const fail = (message) => {
  console.error(`bench/phone.mjs: ${message}`);
  process.exit(1);
};

const THREE_G = { offline: false, latency: 300, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});

async function signedIn(email) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/admin/login`);
  await page.locator("body[data-hydrated=true]").waitFor({ timeout: 120_000 });
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("naija-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.includes("/login"), { timeout: 60_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

async function visit(name, path, storageState) {
  // The download, unthrottled: every response's URL and its bytes as gzip and as brotli.
  const context = await browser.newContext({ storageState });
  const page = await context.newPage();
  // Streams of live changes (the storefront's availability) are not downloads: they stay open.
  const urls = [];
  page.on("response", (r) => {
    const streaming = (r.headers()["content-type"] ?? "").startsWith("text/event-stream");
    if (r.url().startsWith(base) && !streaming) urls.push(r.url());
  });
  const first = await page.goto(`${base}${path}`);
  if (first.status() !== 200) fail(`${path} answered ${first.status()}`);
  await page.locator("body[data-hydrated=true]").waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1_000);
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  await context.close();
  const download = { gzip: 0, br: 0, files: 0 };
  for (const url of new Set(urls)) {
    for (const encoding of ["gzip", "br"]) {
      const answer = await wireBytes(url, encoding, cookie);
      if (answer.status !== 200) fail(`${url} answered ${answer.status}`);
      if (/\/pkg\/.*\.(wasm|js|css)$/.test(url) && answer.encoding !== encoding) {
        fail(`${url} came as ${answer.encoding}, asked for ${encoding}`);
      }
      download[encoding] += answer.bytes;
    }
    download.files += 1;
  }

  // Time to usable on 3G with a slow processor, from a cold cache.
  const slow = await browser.newContext({ storageState });
  const phone = await slow.newPage();
  const cdp = await slow.newCDPSession(phone);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", THREE_G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const started = Date.now();
  const answer = await phone.goto(`${base}${path}`, { waitUntil: "commit", timeout: 180_000 });
  if (answer.status() !== 200) fail(`${path} answered ${answer.status()} on 3G`);
  await phone.locator("body[data-hydrated=true]").waitFor({ timeout: 180_000 });
  const usable = (Date.now() - started) / 1000;
  const paint = await phone.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  await slow.close();
  return { surface: name, path, download, usable_s: Number(usable.toFixed(1)), first_paint_s: paint === null ? null : Number((paint / 1000).toFixed(1)) };
}

function cpuSeconds() {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

const surfaces = [];
surfaces.push(await visit("storefront", "/store/ojafresh"));
surfaces.push(await visit("sign-in", "/admin/login"));
surfaces.push(await visit("till", "/pos", await signedIn("cashier@ojafresh.ng")));

// The server's processor time per wasm download, with brotli.
const page = await (await fetch(`${base}/admin/login`)).text();
const wasm = page.match(/\/pkg\/[^"]+\.wasm/)?.[0] ?? fail("the sign-in page names no wasm");
const rounds = 5;
const before = cpuSeconds();
for (let i = 0; i < rounds; i++) {
  const answer = await wireBytes(`${base}${wasm}`, "br");
  if (answer.status !== 200 || answer.encoding !== "br") fail(`${wasm} answered ${answer.status} as ${answer.encoding}`);
}
const cpuPerDownload = (cpuSeconds() - before) / rounds;

await browser.close();
console.log(JSON.stringify({ base, wasm, surfaces, server_cpu_s_per_wasm_download: Number(cpuPerDownload.toFixed(3)) }));
