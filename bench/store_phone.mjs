// What a shopper's phone downloads from the storefront and how long it waits.
//
//   node bench/store_phone.mjs <base-url> <slug> <product id>
//
// - a first visit to the store's home: every response's bytes on the wire as gzip (asked for
//   again file by file, the way phone.mjs does), pictures included;
// - a product page: its HTML and stylesheet as gzip (no wasm: the storefront has none), and the
//   storefront's script;
// - on throttled 3G (1.6 Mbit/s down, 750 kbit/s up, 300 ms round trip) with the processor
//   slowed four times and a cold cache: the time from asking for the product page until its
//   "Add to cart" button can be pressed (shown and enabled: the form posts without any script),
//   until the page's script is in place, and until the cart shows the item after the press.
// Prints JSON. Exits non-zero when a page does not answer 200, a file comes in another encoding
// than asked for, wasm is downloaded, or the cart does not show the item.
import { chromium } from "@playwright/test";
import { wireBytes } from "./wire.mjs";

const [base, slug, product] = process.argv.slice(2);
if (!base || !slug || !product) {
  console.error("usage: node bench/store_phone.mjs <base-url> <slug> <product id>");
  process.exit(2);
}
const fail = (message) => {
  console.error(`bench/store_phone.mjs: ${message}`);
  process.exit(1);
};

const THREE_G = { offline: false, latency: 300, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});

// Every file a first visit to `path` downloads, as gzip.
async function firstVisit(path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const urls = [];
  page.on("response", (r) => {
    const streaming = (r.headers()["content-type"] ?? "").startsWith("text/event-stream");
    if (r.url().startsWith(base) && !streaming) urls.push(r.url());
  });
  const answer = await page.goto(`${base}${path}`);
  if (answer.status() !== 200) fail(`${path} answered ${answer.status()}`);
  await page.locator("body[data-hydrated=true]").waitFor({ timeout: 60_000 });
  // Pictures further down load as they come into view: the whole page is looked at.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(1_000);
  await context.close();
  const files = { total: 0, html: 0, css: 0, js: 0, wasm: 0, pictures: 0, count: 0 };
  for (const url of new Set(urls)) {
    const got = await wireBytes(url, "gzip");
    if (got.status !== 200) fail(`${url} answered ${got.status}`);
    if (/\.(css|js)$/.test(url) && got.encoding !== "gzip") fail(`${url} came as ${got.encoding}, asked for gzip`);
    const kind = url.endsWith(".wasm") ? "wasm" : url.endsWith(".css") ? "css" : url.endsWith(".js") ? "js"
      : got.type.startsWith("image/") ? "pictures" : "html";
    files[kind] += got.bytes;
    files.total += got.bytes;
    files.count += 1;
  }
  return files;
}

const home = await firstVisit(`/store/${slug}`);
const productPage = await firstVisit(`/store/${slug}/p/${product}`);
if (home.wasm > 0 || productPage.wasm > 0) fail("the storefront downloaded wasm");

// On 3G with a slow processor, from a cold cache.
const context = await browser.newContext();
const phone = await context.newPage();
const cdp = await context.newCDPSession(phone);
await cdp.send("Network.enable");
await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
await cdp.send("Network.emulateNetworkConditions", THREE_G);
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
const started = Date.now();
const answer = await phone.goto(`${base}/store/${slug}/p/${product}`, { waitUntil: "commit", timeout: 120_000 });
if (answer.status() !== 200) fail(`the product page answered ${answer.status()} on 3G`);
const button = phone.getByTestId("add-to-cart");
await button.waitFor({ state: "visible", timeout: 120_000 });
await phone.waitForFunction(() => {
  const b = document.querySelector("[data-testid=add-to-cart]");
  return b && !b.disabled;
}, null, { timeout: 120_000, polling: 50 });
const canAdd = (Date.now() - started) / 1000;
await phone.locator("body[data-hydrated=true]").waitFor({ timeout: 120_000 });
const scripted = (Date.now() - started) / 1000;
const pressed = Date.now();
await button.click();
await phone.waitForURL(/\/cart$/, { timeout: 120_000 });
await phone.getByTestId("cart-line").first().waitFor({ timeout: 120_000 });
const added = (Date.now() - pressed) / 1000;
await browser.close();

console.log(JSON.stringify({
  home,
  product: productPage,
  three_g: { can_add_s: Number(canAdd.toFixed(2)), script_ready_s: Number(scripted.toFixed(2)), add_to_cart_shown_s: Number(added.toFixed(2)) },
}));
