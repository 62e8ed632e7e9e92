import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

// The till end to end: a device enrolled as a register sells for a whole shift without a
// connection, keeps everything across a reload and a closed page, and the server books each
// document exactly once when the connection returns, also when the server dies in the middle.

const root = path.join(__dirname, "..", "..");
const RICE_5KG = "6150000000013"; // Mama's Pride Parboiled Rice 5kg, ₦9,800 (zero-rated)
const RICE_10KG = "6150000000020"; // the 10kg bag, ₦19,200

/** Reads the test database as its owner (scripts/test.sh gives the owner's address). */
function sql(query: string): string {
  const url = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_OWNER_URL must name the test database (scripts/test.sh sets it)");
  return execFileSync("psql", [url, "-Atc", query], { encoding: "utf8" }).trim();
}

/** A register added by the manager in the back office; answers the code its device enrols with. */
async function addRegister(browser: Browser, baseURL: string, name: string): Promise<string> {
  const office = await (await browser.newContext({ baseURL })).newPage();
  await signIn(office, "manager@ojafresh.ng");
  await office.goto("/admin/registers");
  await waitForHydration(office);
  await office.getByLabel("Name").fill(name);
  await office.getByRole("button", { name: "Add register" }).click();
  const code = (await office.getByTestId("register-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await office.close();
  return code;
}

/** A device's till at `base`: enrolled with `code`, the cashier signed in with their PIN. */
async function enrolledTill(context: BrowserContext, base: string, code: string): Promise<Page> {
  const till = await context.newPage();
  await till.goto(`${base}/pos`);
  await till.getByLabel("Code").fill(code);
  await till.getByRole("button", { name: "Enrol" }).click();
  await signInCashier(till);
  return till;
}

async function signInCashier(till: Page, name = "Musa Ibrahim", pin = "2580") {
  await till.getByRole("button", { name: new RegExp(name) }).click();
  await till.getByTestId("pin").fill(pin);
  await till.getByRole("button", { name: "OK" }).click();
}

async function openShift(till: Page, float: string) {
  await till.getByLabel(/opening float/).fill(float);
  await till.getByRole("button", { name: "Open shift" }).click();
  await expect(till.getByTestId("scan")).toBeVisible();
}

async function scan(till: Page, code: string) {
  await till.getByTestId("scan").fill(code);
  await till.getByTestId("scan").press("Enter");
}

/** Completes the payment and answers the receipt's number. */
async function complete(till: Page): Promise<string> {
  await till.getByTestId("complete").click();
  return receiptNumber(till);
}

/** The number of the receipt shown; then back to selling. */
async function receiptNumber(till: Page): Promise<string> {
  const receipt = (await till.getByTestId("receipt").textContent()) ?? "";
  const number = receipt.match(/(?:Receipt|Return) ([A-Z0-9]+-\d{6,})/)?.[1] ?? "";
  expect(number, receipt).not.toBe("");
  await till.getByTestId("new-sale").click();
  return number;
}

async function waitingToSync(till: Page, count: number) {
  await expect(till.getByTestId("waiting")).toHaveText(`${count} to sync`, { timeout: 30_000 });
}

test("a till sells offline for a whole shift, and the server books every document once", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const base = baseURL ?? "";
  const code = await addRegister(browser, base, `Till ${Date.now() % 100000}`);
  const device = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
  let till = await enrolledTill(device, base, code);

  // Online: a shift with one sale, closed; everything reaches the server.
  await openShift(till, "5000");
  await scan(till, RICE_5KG);
  await till.getByTestId("pay").click();
  await till.getByRole("button", { name: "Exact" }).click();
  const first = await complete(till);
  await till.getByRole("button", { name: "Report · close" }).click();
  await till.getByRole("button", { name: "Close shift" }).click();
  await waitingToSync(till, 0);
  const register = first.split("-")[0];

  // The service worker keeps the till's files: reloaded, they come from its cache.
  const fromWorker: boolean[] = [];
  till.on("response", (r) => {
    if (/\/pkg\/till-[0-9a-f]{16}_bg\.wasm$/.test(r.url())) fromWorker.push(r.fromServiceWorker());
  });
  await till.evaluate(async () => navigator.serviceWorker.ready);
  await till.reload();
  await expect(till.getByRole("heading", { name: "Open a shift" })).toBeVisible();
  expect(fromWorker).toEqual([true]);

  // Offline: reloaded, the till opens; another cashier signs in with a PIN and opens a shift.
  await device.setOffline(true);
  await till.reload();
  await till.getByTestId("lock").click();
  await signInCashier(till);
  await expect(till.getByTestId("connection")).toHaveText("Offline");
  await openShift(till, "10000");

  // Three documents of money: a cash sale with change, a split tender, a return.
  await scan(till, RICE_5KG);
  await till.getByTestId("pay").click();
  await till.getByRole("button", { name: "₦10,000.00" }).click();
  await expect(till.getByTestId("tenders")).toContainText("change ₦200.00");
  const cashSale = await complete(till);
  await scan(till, RICE_10KG);
  await till.getByTestId("pay").click();
  await till.getByRole("button", { name: "Card", exact: true }).click();
  await till.getByTestId("tender-amount").fill("10000");
  await till.getByTestId("tender-reference").fill("POS 778");
  await till.getByTestId("add-tender").click();
  await till.getByRole("button", { name: "Cash", exact: true }).click();
  await till.getByRole("button", { name: "Exact" }).click();
  const splitSale = await complete(till);
  await till.getByRole("button", { name: "Return" }).click();
  await till.getByTestId("return-receipt").fill(cashSale);
  await till.getByRole("button", { name: "Find" }).click();
  await till.getByLabel(/How many Mama's Pride Parboiled Rice — 5kg come back/).fill("1");
  await till.getByTestId("give-back").click();
  // A cashier takes goods back only with a manager's PIN.
  await till.getByRole("button", { name: "Tunde Bakare" }).click();
  await till.getByTestId("pin").last().fill("2468");
  await till.getByRole("button", { name: "OK" }).last().click();
  const giveBack = await receiptNumber(till);
  expect(giveBack).toMatch(new RegExp(`^${register}-`));
  await waitingToSync(till, 4);

  // Closed and opened again, offline: nothing is lost. The shift is closed with its count.
  await till.close();
  till = await device.newPage();
  await till.goto("/pos");
  await waitingToSync(till, 4);
  await till.getByRole("button", { name: "Report · close" }).click();
  await expect(till.getByTestId("x-report")).toContainText("Sales: 2");
  await till.getByLabel("₦1000 notes or coins").fill("19");
  await till.getByLabel("₦200 notes or coins").fill("1");
  await till.getByLabel("Card counted").fill("10000");
  await till.getByRole("button", { name: "Close shift" }).click();
  await waitingToSync(till, 5);

  // Back online: everything is sent, and the server holds each document once.
  await device.setOffline(false);
  await till.evaluate(() => window.dispatchEvent(new Event("online")));
  await waitingToSync(till, 0);
  const receipts = [first, cashSale, splitSale].map((r) => `'${r}'`).join(",");
  expect(sql(`SELECT count(*) FROM orders WHERE receipt IN (${receipts}) AND channel = 'pos'`)).toBe("3");
  expect(sql(`SELECT count(*) FROM till_returns WHERE receipt = '${giveBack}'`)).toBe("1");
  expect(
    sql(`SELECT sum(quantity) FROM stock_movements WHERE reference LIKE 'receipt ${register}-%' OR reference LIKE 'return ${register}-%'`),
  ).toBe("-2");
  expect(sql(`SELECT string_agg(status, ',') FROM till_documents d JOIN registers r ON r.id = d.register_id
               WHERE r.prefix = '${register}' AND d.status <> 'booked'`)).toBe("");
  // The Z report: 10,000 float + 9,800 + 9,200 cash − 9,800 given back = 19,200, as counted.
  const shift = sql(`SELECT s.id FROM till_shifts s JOIN registers r ON r.id = s.register_id
                     WHERE r.prefix = '${register}' ORDER BY s.opened_at DESC LIMIT 1`);
  const office = await (await browser.newContext({ baseURL: base })).newPage();
  await signIn(office, "manager@ojafresh.ng");
  await office.goto(`/admin/shifts/${shift}`);
  const report = office.getByTestId("z-report");
  await expect(report).toContainText("2 sales · ₦29,000.00");
  await expect(report).toContainText("1 returns · ₦9,800.00");
  const cash = office.getByRole("row", { name: /^Cash/ });
  await expect(cash).toContainText("₦19,200.00");
  await expect(cash.getByRole("cell").last()).toHaveText("₦0.00");
  await expect(office.getByRole("row", { name: /^Card/ }).getByRole("cell").last()).toHaveText("₦0.00");
  // The split sale in the back office: an order of the till, with its tenders.
  await office.goto(`/admin/orders/${sql(`SELECT id FROM orders WHERE receipt = '${splitSale}'`)}`);
  const atTill = office.getByTestId("at-till");
  await expect(atTill).toContainText(`receipt ${splitSale}`);
  await expect(atTill).toContainText("Card · ₦10,000.00 · POS 778");
  await expect(atTill).toContainText("Cash · ₦9,200.00");
});

/** A server of our own on another port, on the same database, to kill and start again. */
function ownServer(port: number): ChildProcess {
  return spawn(path.join(root, "target", "debug", "server"), ["serve", "--bind", `127.0.0.1:${port}`], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
}

async function ready(base: string) {
  await expect
    .poll(async () => {
      try {
        return (await fetch(`${base}/healthz`)).status;
      } catch {
        return 0;
      }
    }, { timeout: 60_000 })
    .toBe(200);
}

test("a server that dies in the middle of a sync loses nothing and books nothing twice", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const port = 30000 + Math.floor(Math.random() * 2000);
  const base = `http://127.0.0.1:${port}`;
  let server = ownServer(port);
  try {
    await ready(base);
    const code = await addRegister(browser, baseURL ?? "", `Till ${Date.now() % 100000}`);
    const device = await browser.newContext();
    const till = await enrolledTill(device, base, code);
    await device.setOffline(true);
    await openShift(till, "0");
    const receipts: string[] = [];
    for (let i = 0; i < 4; i++) {
      await scan(till, RICE_5KG);
      await till.getByTestId("pay").click();
      await till.getByRole("button", { name: "Exact" }).click();
      receipts.push(await complete(till));
    }
    await waitingToSync(till, 5);

    // The server books the batch and is killed before its answer leaves: the till never hears.
    let killed = false;
    await till.route("**/api/v1/pos/transactions", async (route) => {
      if (killed) return route.continue();
      await route.fetch();
      server.kill("SIGKILL");
      killed = true;
      await route.abort("connectionreset");
    });
    await device.setOffline(false);
    await till.evaluate(() => window.dispatchEvent(new Event("online")));
    await expect.poll(() => killed, { timeout: 30_000 }).toBe(true);
    await waitingToSync(till, 5);

    server = ownServer(port);
    await ready(base);
    await till.evaluate(() => window.dispatchEvent(new Event("online")));
    await waitingToSync(till, 0);
    const list = receipts.map((r) => `'${r}'`).join(",");
    expect(sql(`SELECT count(*) FROM orders WHERE receipt IN (${list})`)).toBe("4");
    expect(sql(`SELECT count(*) FROM stock_movements WHERE reference IN (${receipts.map((r) => `'receipt ${r}'`).join(",")})`)).toBe("4");
  } finally {
    server.kill("SIGKILL");
  }
});
