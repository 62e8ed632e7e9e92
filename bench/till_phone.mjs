// The till on a phone: what its first load downloads, and how long ringing a sale takes with
// the network off.
//
//   node bench/till_phone.mjs <base-url> <register code>
//
// - first load: every file the page and its service worker ask for on a first visit to /pos (the
//   page, the till's script and wasm, the stylesheet, the manifest and icons, the worker and what
//   it keeps), each asked for again as gzip, summed;
// - ringing: the device enrolled with the code, the cashier signed in with their PIN and a shift
//   opened, the network cut off; then 30 sales, each from the scan of its item (typed into the
//   scan field and Enter, as a scanner does) through Pay, Exact and Complete to its receipt on
//   screen, which shows once the sale is kept in the browser's storage. Driven from inside the
//   page with no pause between steps, once at full speed and once with the processor slowed
//   four times (a cheap Android phone).
// Prints JSON. Exits non-zero when a file does not answer 200, the till does not start, a sale
// is not kept (the count waiting to sync must grow by one each time), or the network is used.
import { chromium } from "@playwright/test";
import { wireBytes } from "./wire.mjs";

const [base, code] = process.argv.slice(2);
if (!base || !code) {
  console.error("usage: node bench/till_phone.mjs <base-url> <register code>");
  process.exit(2);
}
const fail = (message) => {
  console.error(`bench/till_phone.mjs: ${message}`);
  process.exit(1);
};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});

// 1. First load.
const context = await browser.newContext();
const urls = new Set();
context.on("request", (r) => {
  if (r.url().startsWith(base)) urls.add(r.url());
});
const page = await context.newPage();
const answer = await page.goto(`${base}/pos`);
if (answer.status() !== 200) fail(`/pos answered ${answer.status()}`);
await page.locator("body[data-hydrated=true]").waitFor({ timeout: 60_000 });
await page.getByRole("heading", { name: "Enrol this till" }).waitFor({ timeout: 60_000 });
await page.evaluate(async () => navigator.serviceWorker.ready);
await page.waitForTimeout(1_000);
const load = { total: 0, wasm: 0, js: 0, css: 0, html: 0, other: 0, files: 0 };
for (const url of urls) {
  const got = await wireBytes(url, "gzip");
  if (got.status !== 200) fail(`${url} answered ${got.status}`);
  const kind = url.endsWith(".wasm") ? "wasm" : url.endsWith(".js") ? "js" : url.endsWith(".css") ? "css"
    : url.endsWith("/pos") ? "html" : "other";
  load[kind] += got.bytes;
  load.total += got.bytes;
  load.files += 1;
}

// 2. Ringing, offline.
await page.getByLabel("Code").fill(code);
await page.getByRole("button", { name: "Enrol" }).click();
await page.getByRole("button", { name: /Musa Ibrahim/ }).click();
await page.getByTestId("pin").fill("2580");
await page.getByRole("button", { name: "OK" }).click();
await page.getByLabel(/opening float/).fill("0");
await page.getByRole("button", { name: "Open shift" }).click();
await page.getByTestId("scan").waitFor();
await page.waitForTimeout(2_000);
// With the network off the till may try to sync (and fail at once); none of it may arrive.
let usedNetwork = 0;
await context.setOffline(true);
context.on("requestfinished", (r) => {
  if (r.url().includes("/api/")) usedNetwork += 1;
});
const barcode = "6150000000013"; // Mama's Pride Parboiled Rice 5kg in the demo shop

async function ring(times) {
  return page.evaluate(async ({ times, barcode }) => {
    const until = (find) => new Promise((resolve, reject) => {
      const started = performance.now();
      const look = () => {
        const found = find();
        if (found) return resolve(found);
        if (performance.now() - started > 10_000) return reject(new Error("the till did not answer"));
        requestAnimationFrame(look);
      };
      look();
    });
    const button = (text) => [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === text && !b.disabled);
    const waiting = () => Number(document.querySelector("[data-testid=waiting]").textContent.split(" ")[0]);
    const took = [];
    for (let i = 0; i < times; i++) {
      const before = waiting();
      const scan = await until(() => document.querySelector("[data-testid=scan]"));
      const t0 = performance.now();
      scan.value = barcode;
      scan.dispatchEvent(new Event("input", { bubbles: true }));
      scan.form.requestSubmit();
      (await until(() => document.querySelector("[data-testid=pay]:not([disabled])"))).click();
      (await until(() => button("Exact"))).click();
      (await until(() => document.querySelector("[data-testid=complete]:not([disabled])"))).click();
      await until(() => document.querySelector("[data-testid=receipt]")?.textContent.includes("Receipt"));
      took.push(performance.now() - t0);
      await until(() => waiting() === before + 1);
      (await until(() => document.querySelector("[data-testid=new-sale]"))).click();
    }
    return took;
  }, { times, barcode });
}

const summary = (took) => {
  const sorted = [...took].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { sales: took.length, median_ms: Math.round(at(0.5)), p95_ms: Math.round(at(0.95)), max_ms: Math.round(sorted.at(-1)) };
};
await ring(3); // the first sales warm the page up
const full = summary(await ring(30));
const cdp = await context.newCDPSession(page);
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
const slow = summary(await ring(30));
if (usedNetwork > 0) fail(`${usedNetwork} calls of the API were answered while offline`);
await browser.close();
console.log(JSON.stringify({ first_load_gzip: load, ring_offline: full, ring_offline_cpu_x4: slow }));
