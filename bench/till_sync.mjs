// Queued till sales synced at once: every register sends what it made offline, in the till's
// batches of 100, all registers together; then the same batches again (a full replay).
//
//   node bench/till_sync.mjs <base> <setup.json> <sales per register>
//
// setup.json: { "registers": [{ "credential", "prefix" }], "cashier", "vat": { "rate",
// "prices_include_tax" }, "variants": [{ "id", "name", "sku", "price", "tax_class" }] }
//
// Each sale has one to three lines of the shop's products and is paid in cash; prices include
// VAT, so a sale's total is the sum of its lines at shelf prices (kobo arithmetic, no floats).
// Prints JSON: documents sent, seconds from the first request to the last answer, documents
// per second and the slowest batch, for the sync and for the replay. Exits non-zero unless
// every document of the sync is booked and every one of the replay already booked.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

const [base, setupFile, perRegisterText] = process.argv.slice(2);
const perRegister = Number(perRegisterText);
if (!base || !setupFile || !perRegister) {
  console.error("usage: node bench/till_sync.mjs <base> <setup.json> <sales per register>");
  process.exit(2);
}
const fail = (message) => {
  console.error(`bench/till_sync.mjs: ${message}`);
  process.exit(1);
};
const setup = JSON.parse(readFileSync(setupFile, "utf8"));
const BATCH = 100;

const kobo = (text) => BigInt(Math.round(Number(text) * 100));
const naira = (k) => `${k / 100n}.${String(k % 100n).padStart(2, "0")}`;
const taxClass = { standard: "Standard", zero: "ZeroRated", exempt: "Exempt" };

/** Every batch a register would send: its shift's opening first, then its sales in order. */
function batchesOf(register) {
  const shift = randomUUID();
  const made = new Date().toISOString();
  const docs = [{ kind: "shift_open", id: shift, made_at: made, cashier: setup.cashier, float: "0" }];
  for (let n = 1; n <= perRegister; n++) {
    const count = 1 + (n % 3);
    const picked = new Set();
    while (picked.size < count) picked.add(setup.variants[Math.floor(Math.random() * setup.variants.length)]);
    const lines = [...picked].map((v, i) => ({
      variant: v.id, name: v.name, sku: v.sku, quantity: 1 + (i % 2),
      unit_price: naira(kobo(v.price)), shelf_price: naira(kobo(v.price)), discount: "0",
      tax_class: taxClass[v.tax_class], approved_by: null,
    }));
    const total = lines.reduce((sum, l) => sum + kobo(l.unit_price) * BigInt(l.quantity), 0n);
    docs.push({
      kind: "sale", id: randomUUID(), made_at: made, cashier: setup.cashier, shift,
      receipt: `${register.prefix}-${String(n).padStart(6, "0")}`, customer: null, currency: "NGN",
      vat: setup.vat, lines,
      tenders: [{ tender: "cash", amount: naira(total), tendered: null, reference: "" }],
      total: naira(total),
    });
  }
  const batches = [];
  for (let i = 0; i < docs.length; i += BATCH) batches.push(docs.slice(i, i + BATCH));
  return batches;
}

const work = setup.registers.map((register) => ({ register, batches: batchesOf(register) }));

/** Sends every register's batches, registers at once, each register's in order. */
async function sendAll(expected) {
  const counts = {};
  let slowest = 0;
  let documents = 0;
  const started = performance.now();
  await Promise.all(work.map(async ({ register, batches }) => {
    for (const documents_ of batches) {
      const t = performance.now();
      const answer = await fetch(`${base}/api/v1/pos/transactions`, {
        method: "POST",
        headers: { authorization: `Bearer ${register.credential}`, "content-type": "application/json" },
        body: JSON.stringify({ documents: documents_ }),
      });
      slowest = Math.max(slowest, performance.now() - t);
      const body = await answer.json().catch(() => ({}));
      if (answer.status !== 200) fail(`a batch answered ${answer.status}: ${JSON.stringify(body).slice(0, 300)}`);
      for (const outcome of body.outcomes) {
        counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
        if (outcome.status !== expected) fail(`a document was ${outcome.status}, not ${expected}: ${outcome.problem}`);
      }
      documents += documents_.length;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { documents, seconds: Number(seconds.toFixed(2)), per_second: Math.round(documents / seconds),
           slowest_batch_ms: Math.round(slowest), outcomes: counts };
}

const sync = await sendAll("booked");
const replay = await sendAll("already_booked");
console.log(JSON.stringify({ registers: work.length, sales: work.length * perRegister, sync, replay }));
