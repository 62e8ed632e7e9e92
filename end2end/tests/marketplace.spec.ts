import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { letterTo, linkIn } from "./mail";
import { signIn } from "./session";

// The marketplace's terms are one for all its vendors: the tests that change them take turns.
test.describe.configure({ mode: "serial" });

/** Runs one SQL statement on the test database as its owner; answers what it printed. */
function sql(statement: string): string {
  const url = process.env.DATABASE_OWNER_URL;
  if (!url) throw new Error("DATABASE_OWNER_URL must name the test database (scripts/test.sh sets it)");
  return execFileSync("psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-Atc", statement], { encoding: "utf8" }).trim();
}

/** An amount as the pages show it ("₦1,234.50", "−₦20.00") in kobo. */
function kobo(text: string): number {
  const negative = /[-−]/.test(text);
  const digits = text.replace(/[^0-9.]/g, "");
  const [naira, fraction = "0"] = digits.split(".");
  const value = Number(naira) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
  return negative ? -value : value;
}

/** A product of the vendor named, on sale with more than two units free of each of its variants:
 * its id. */
function productOf(vendor: string): string {
  return sql(`
    SELECT p.id FROM products p
      JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id AND v.name = '${vendor}'
     WHERE p.on_sale
       AND (SELECT min(free) FROM (SELECT coalesce(sum(s.on_hand - s.reserved), 0) AS free
                                     FROM variants va
                                     LEFT JOIN stock_levels s ON s.tenant_id = va.tenant_id AND s.variant_id = va.id
                                    WHERE va.tenant_id = p.tenant_id AND va.product_id = p.id
                                    GROUP BY va.id) f) > 2
     ORDER BY p.name LIMIT 1`);
}

/** What a vendor may pay out now, as its payouts page shows it, in kobo. */
async function available(page: Page): Promise<number> {
  await page.goto("/vendor/payouts");
  return kobo((await page.getByTestId("available").textContent())!);
}

/** A vendor's staff member sends their part of order `number` to the shopper; answers what the
 * part earns them, in kobo. */
async function sendPart(page: Page, number: string): Promise<number> {
  await page.goto("/vendor");
  await expect(page.getByTestId("desk-to-prepare")).not.toContainText(/^To prepare0$/);
  await page.goto("/vendor/orders?status=paid");
  await page.getByRole("link", { name: new RegExp(`^#${number}-\\d$`) }).click();
  await expect(page.getByTestId("part-detail")).toHaveAttribute("data-status", "paid");
  await waitForHydration(page);
  const earns = kobo((await page.getByTestId("part-earns").textContent())!);
  for (const [label, status] of [["Processing", "processing"], ["Shipped", "shipped"], ["Delivered", "delivered"]]) {
    await page.getByTestId("part-move-to").selectOption({ label });
    await page.getByTestId("move-part").click();
    await expect(page.getByTestId("part-detail")).toHaveAttribute("data-status", status);
  }
  return earns;
}

/** From the cart, checks out to be delivered in Lagos (`where` is "street, town"), paying by
 * bank transfer. */
async function checkOut(shopper: Page, name: string, where: string) {
  const [street, town] = where.split(", ");
  await shopper.getByTestId("to-checkout").click();
  await shopper.getByLabel("Your name").fill(name);
  await shopper.getByLabel("Mobile number").fill("0803 123 4567");
  await shopper.getByLabel("Deliver to me").check();
  await shopper.getByLabel("Address (house number, street, landmark)").fill(street);
  await shopper.getByLabel("Town or area").fill(town);
  await shopper.getByLabel("State").selectOption("Lagos");
  await shopper.getByLabel(/Bank transfer/).check();
  await shopper.getByTestId("place-order").click();
}

/** The marketplace's owner signs in on `owner` and confirms order `number`'s transfer. */
async function confirmTransfer(owner: Page, number: string) {
  await signIn(owner, "owner@gadgetmarket.ng");
  await owner.goto(`/admin/orders?q=${number}`);
  await waitForHydration(owner);
  await owner.getByRole("link", { name: `#${number}` }).click();
  await waitForHydration(owner);
  await owner.getByTestId("confirm-transfer").click();
}

/** Fills the storefront's "Sell with us" form. */
async function fillApplication(page: Page, name: string, email: string, account: string) {
  await page.getByLabel("Trading name").fill(name);
  await page.getByLabel("Contact person").fill("Emeka Obi");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Mobile number").fill("0803 555 0101");
  await page.getByLabel("State").selectOption("Lagos");
  await page.getByLabel("CAC registration number (optional)").fill("BN 2345678");
  await page.getByLabel("Bank", { exact: true }).selectOption({ label: "First Bank of Nigeria" });
  await page.getByLabel("Account number").fill(account);
  await page.getByLabel("Name on the account").fill(name);
  await page.getByLabel("Choose a password").fill("speakers-and-amps-2026");
}

test("a seller applies, the operator asks for changes and approves, and its moderated product goes on sale once approved", async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const name = `Alaba Sound ${stamp}`;
  const email = `emeka+${stamp}@alabasound.ng`;

  // The storefront's form works as the server sends it: a wrong account number is named
  // beside its field, and what was typed stays.
  const seller = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await seller.goto("/store/gadgetmarket");
  await seller.getByTestId("sell-with-us").click();
  await expect(seller).toHaveURL(/\/store\/gadgetmarket\/sell$/);
  await fillApplication(seller, name, email, "0000014578");
  await seller.getByTestId("apply-to-sell").click();
  const account = seller.locator(".field").filter({ has: seller.getByLabel("Account number") });
  await expect(account).toContainText("not an account number at that bank");
  await expect(seller.getByLabel("Trading name")).toHaveValue(name);
  await fillApplication(seller, name, email, "0000014579");
  await seller.getByTestId("apply-to-sell").click();
  await expect(seller.getByTestId("application-sent")).toBeVisible();

  // The link mailed to the applicant sends the application and signs them in to the portal.
  const letter = await letterTo(email);
  await seller.goto(new URL(linkIn(letter, "/sell/confirm/")).pathname);
  await seller.getByTestId("confirm-application").click();
  await expect(seller).toHaveURL(/\/vendor\/application/);
  await expect(seller.getByTestId("vendor-standing")).toContainText("Waiting for review");
  await expect(seller.getByTestId("vendor-bank")).toContainText("First Bank of Nigeria ····4579");
  // A document, uploaded by a plain form: a page of text is refused, a PDF kept.
  await seller.getByLabel("What it is").selectOption("cac_certificate");
  await seller.getByLabel(/^File/).setInputFiles({ name: "cac.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await seller.getByRole("button", { name: "Upload" }).click();
  await expect(seller.getByText("upload a PDF, or a photo as JPEG or PNG")).toBeVisible();
  await seller.getByLabel(/^File/).setInputFiles({ name: "cac.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4 certificate") });
  await seller.getByRole("button", { name: "Upload" }).click();
  await expect(seller.getByTestId("vendor-documents")).toContainText("cac.pdf");

  // The operator asks for changes; the reason is required, and the vendor reads it.
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, "owner@gadgetmarket.ng");
  await owner.goto("/admin/vendors?status=applied");
  await waitForHydration(owner);
  await owner.getByRole("link", { name }).click();
  await expect(owner.getByRole("heading", { level: 1, name })).toBeVisible();
  await waitForHydration(owner);
  await expect(owner.getByTestId("vendor-documents")).toContainText("cac.pdf");
  await owner.getByRole("button", { name: "Ask for changes" }).click();
  await expect(owner.getByTestId("vendor-review")).toContainText("say why: the vendor reads it");
  await owner.getByLabel("Message to the vendor").fill("Add a photo of your shop front, please.");
  await owner.getByRole("button", { name: "Ask for changes" }).click();
  await expect(owner.getByTestId("vendor-review")).toContainText("Changes requested");

  await seller.goto("/vendor/application");
  await expect(seller.getByTestId("vendor-standing")).toContainText("Add a photo of your shop front, please.");
  await seller.getByLabel("What you changed (optional)").fill("Photo added.");
  await seller.getByTestId("send-for-review").click();
  await expect(seller.getByTestId("vendor-standing")).toContainText("Waiting for review");

  await owner.reload();
  await waitForHydration(owner);
  await owner.getByRole("button", { name: "Approve" }).click();
  await expect(owner.getByTestId("vendor-review")).toContainText("Approved");
  await expect(owner.getByTestId("vendor-history")).toContainText("Photo added.");

  // The vendor lists a product: it waits for approval, off the storefront.
  const vendor = await (await browser.newContext()).newPage();
  await signIn(vendor, email, "speakers-and-amps-2026");
  await expect(vendor).toHaveURL(/\/vendor$/);
  await vendor.getByRole("link", { name: "Products" }).first().click();
  await waitForHydration(vendor);
  await expect(vendor.getByRole("link", { name: "Categories" })).toHaveCount(0);
  await vendor.goto("/admin/products/new");
  await waitForHydration(vendor);
  const product = `Bluetooth Speaker ${stamp}`;
  await vendor.getByLabel("Name", { exact: true }).fill(product);
  await vendor.getByLabel("Status").selectOption("active");
  await vendor.locator("#variants-0-sku").fill(`ALB-${stamp}`);
  await vendor.locator("#variants-0-price").fill("45000");
  await vendor.getByRole("button", { name: "Save product" }).click();
  await expect(vendor).toHaveURL(/\/admin\/products\/[0-9a-f-]{36}$/);
  await expect(vendor.getByTestId("moderation")).toContainText("Waiting for the marketplace's approval");
  const path = new URL(vendor.url()).pathname;
  const id = path.split("/").at(-1);
  const shopper = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  expect((await shopper.goto(`/store/gadgetmarket/p/${id}`))?.status()).toBe(404);

  // The operator approves it; shoppers see it, with its seller.
  await owner.goto("/admin/vendors/products");
  await waitForHydration(owner);
  const waiting = owner.getByTestId("waiting-products").locator("li").filter({ hasText: product });
  await waiting.getByRole("button", { name: "Approve" }).click();
  await expect(owner.getByTestId("waiting-products").locator("li").filter({ hasText: product })).toHaveCount(0);
  await shopper.goto(`/store/gadgetmarket/p/${id}`);
  await expect(shopper.getByRole("heading", { level: 1, name: product })).toBeVisible();
  await expect(shopper.getByTestId("sold-by")).toContainText(name);
  await shopper.getByTestId("sold-by").getByRole("link").click();
  await expect(shopper.getByTestId("seller")).toContainText(name);
  await expect(shopper.getByTestId("shop-item").filter({ hasText: product })).toBeVisible();
});

test("the marketplace sets its terms and commissions, and a vendor's owner invites its staff", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, "owner@gadgetmarket.ng");
  await owner.goto("/admin/vendors/terms");
  await waitForHydration(owner);
  const form = owner.getByTestId("terms-form");
  await form.getByLabel("Commission (% of the goods)").fill("120");
  await form.getByRole("button", { name: "Save terms" }).click();
  await expect(form.locator(".field").filter({ has: owner.getByLabel("Commission (% of the goods)") })).toContainText(
    "a percentage from 0 to 100",
  );
  await form.getByLabel("Commission (% of the goods)").fill("10");
  await form.getByLabel("Days after delivery before money may be withdrawn").fill("7");
  await form.getByRole("button", { name: "Save terms" }).click();
  await expect(form.getByText("a percentage from 0 to 100")).toHaveCount(0);
  await owner.reload();
  await waitForHydration(owner);
  await expect(owner.getByTestId("terms-form").getByLabel("Commission (% of the goods)")).toHaveValue("10");

  await owner.getByLabel("For", { exact: true }).selectOption({ label: "Lagos Gadget Outlet" });
  await owner.locator("#rule_percent").fill("6");
  await owner.locator("#rule_flat").fill("50");
  await owner.getByRole("button", { name: "Set commission" }).click();
  const rule = owner.getByTestId("commission-rules").locator("li").filter({ hasText: "Lagos Gadget Outlet" });
  await expect(rule).toContainText("6% + ₦50 an item");
  await rule.getByRole("button", { name: "Remove" }).click();
  await expect(owner.getByTestId("commission-rules").locator("li").filter({ hasText: "Lagos Gadget Outlet" })).toHaveCount(0);

  const vendor = await (await browser.newContext()).newPage();
  await signIn(vendor, "vendor@gadgetmarket.ng");
  await vendor.getByRole("link", { name: "Staff" }).click();
  await expect(vendor).toHaveURL(/\/vendor\/team$/);
  await waitForHydration(vendor);
  await expect(vendor.getByTestId("vendor-team")).toContainText("Owner");
  await vendor.getByLabel("Email").fill(`kemi+${stamp}@slotphones.ng`);
  await vendor.getByRole("button", { name: "Send invitation" }).click();
  await expect(vendor.getByTestId("invitation-link")).toHaveValue(/\/admin\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(vendor.getByTestId("vendor-team")).toContainText(`kemi+${stamp}@slotphones.ng`);
});

test("a shopper buys from two vendors in one checkout, each vendor sends its part, and a payout leaves its balance at zero", async ({
  browser,
}) => {
  // Money delivered may be withdrawn at once, for this test.
  sql("UPDATE tenants SET payout_hold_days = 0 WHERE slug = 'gadgetmarket'");
  const phones = await (await browser.newContext()).newPage();
  await signIn(phones, "vendor@gadgetmarket.ng");
  const accessories = await (await browser.newContext()).newPage();
  await signIn(accessories, "accessories@gadgetmarket.ng");
  const before = [await available(phones), await available(accessories)];

  // One cart, one checkout, one payment, without a script.
  const shopper = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  for (const vendor of ["Slot Phones Hub", "Ikeja Accessories Plaza"]) {
    await shopper.goto(`/store/gadgetmarket/p/${productOf(vendor)}`);
    await expect(shopper.getByTestId("sold-by")).toContainText(vendor);
    await shopper.getByTestId("add-to-cart").click();
    await expect(shopper).toHaveURL(/\/cart$/);
  }
  await expect(shopper.getByTestId("cart-line")).toHaveCount(2);
  await checkOut(shopper, "Ada Obi", "12 Allen Avenue, Ikeja");
  const parts = shopper.getByTestId("shopper-part");
  await expect(parts).toHaveCount(2);
  await expect(parts.first()).toContainText("Slot Phones Hub");
  await expect(parts.nth(1)).toContainText("Ikeja Accessories Plaza");
  const number = /#(\d+)-1/.exec((await parts.first().textContent())!)![1];
  const total = kobo((await shopper.getByTestId("order-total").textContent())!);
  const partTotals = await Promise.all([0, 1].map(async (i) => kobo((await parts.nth(i).locator(".tabular-nums").textContent())!)));
  expect(partTotals[0] + partTotals[1]).toBe(total);

  // The marketplace confirms the transfer: every part is paid.
  const owner = await (await browser.newContext()).newPage();
  await confirmTransfer(owner, number);
  await expect(owner.getByTestId("order-part")).toHaveCount(2);
  await expect(owner.getByTestId("order-part").filter({ hasText: "Paid" })).toHaveCount(2);

  // Each vendor sends its own part, and sees none of the other's.
  const earned = [await sendPart(phones, number), await sendPart(accessories, number)];
  await expect(phones.getByTestId("part-timeline")).toContainText("Shipped → Delivered");
  await phones.goto("/vendor/orders");
  await expect(phones.getByTestId("vendor-orders")).not.toContainText(`#${number}-2`);
  await owner.reload();
  await expect(owner.getByTestId("admin-order-status")).toHaveText("Delivered");
  await shopper.reload();
  await expect(shopper.getByTestId("shopper-part").filter({ hasText: "Delivered" })).toHaveCount(2);

  // What each may withdraw grew by what its part earned, to the kobo.
  expect(await available(phones)).toBe(before[0] + earned[0]);
  expect(await available(accessories)).toBe(before[1] + earned[1]);
  const ledger = phones.getByTestId("ledger-row").filter({ hasText: `#${number}-1` });
  await expect(ledger.filter({ hasText: "Sale" })).toHaveCount(1);
  await expect(ledger.filter({ hasText: "Commission" })).toHaveCount(1);
  const download = phones.waitForEvent("download");
  await phones.getByRole("button", { name: "Download statement (CSV)" }).click();
  const statement = readFileSync((await (await download).path())!, "utf8");
  expect(statement).toContain(`#${number}-1`);
  expect(statement).toContain("Closing balance");

  // The vendor's owner adds its bank account and asks for all of it; the marketplace pays it
  // by hand, and the balance is nothing.
  await phones.goto("/vendor/application");
  await waitForHydration(phones);
  await phones.getByText("Change bank account").click();
  await phones.getByLabel("Bank", { exact: true }).selectOption({ label: "First Bank of Nigeria" });
  await phones.getByLabel("Account number").fill("0000014579");
  await phones.getByLabel("Name on the account").fill("SLOT PHONES HUB");
  await phones.getByRole("button", { name: "Save bank account" }).click();
  await expect(phones.getByTestId("vendor-bank")).toContainText("····4579");
  await phones.goto("/vendor/payouts");
  await waitForHydration(phones);
  await phones.getByTestId("request-payout").click();
  await expect(phones.getByTestId("payout-row").first()).toHaveAttribute("data-status", "requested");
  await expect(phones.getByTestId("available")).toHaveText("₦0.00");
  await expect(phones.getByTestId("balance")).toHaveText("₦0.00");

  await owner.goto("/admin/vendors/payouts");
  await waitForHydration(owner);
  const payout = owner.getByTestId("admin-payout").filter({ hasText: "Slot Phones Hub" });
  await payout.getByLabel("Bank reference").fill(`FBN-${number}`);
  await payout.getByTestId("mark-paid").click();
  await expect(owner.getByTestId("admin-payout").filter({ hasText: "Slot Phones Hub" })).toHaveCount(0);
  await phones.reload();
  await expect(phones.getByTestId("payout-row").first()).toHaveAttribute("data-status", "paid");
  await expect(phones.getByTestId("payout-row").first()).toContainText(`FBN-${number}`);
  await expect(phones.getByTestId("balance")).toHaveText("₦0.00");
  sql("UPDATE tenants SET payout_hold_days = 7 WHERE slug = 'gadgetmarket'");
});

test("a shopper disputes a delivered part with a photo, the seller answers, and the marketplace gives part back through the seller's ledger", async ({
  browser,
}) => {
  sql("UPDATE tenants SET payout_hold_days = 0 WHERE slug = 'gadgetmarket'");
  const phones = await (await browser.newContext()).newPage();
  await signIn(phones, "vendor@gadgetmarket.ng");

  // Bought without a script, paid by transfer, sent and delivered by the seller.
  const shopper = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await shopper.goto(`/store/gadgetmarket/p/${productOf("Slot Phones Hub")}`);
  await shopper.getByTestId("add-to-cart").click();
  await checkOut(shopper, "Bola Ade", "3 Awolowo Road, Ikoyi");
  const number = /#(\d+)-1/.exec((await shopper.getByTestId("shopper-part").first().textContent())!)![1];
  const orderPage = shopper.url();
  const owner = await (await browser.newContext()).newPage();
  await confirmTransfer(owner, number);
  await expect(owner.getByTestId("order-part").filter({ hasText: "Paid" })).toHaveCount(1);
  const earned = await sendPart(phones, number);
  const delivered = await available(phones);

  // The shopper reports the problem with a photo; the part's money is held from payouts.
  await shopper.goto(orderPage);
  await shopper.getByText("A problem with your order?").click();
  await shopper.getByLabel("What is wrong").selectOption({ label: "It came damaged" });
  await shopper.getByLabel(/What you ask back/).fill("5000");
  await shopper.getByLabel("What happened").fill("The screen came cracked in the box.");
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  );
  await shopper.getByLabel(/Photos/).setInputFiles({ name: "cracked.png", mimeType: "image/png", buffer: png });
  await shopper.getByTestId("open-dispute-send").click();
  await expect(shopper).toHaveURL(/dispute=opened/);
  const thread = shopper.getByTestId("dispute");
  await expect(thread.getByTestId("dispute-status")).toHaveAttribute("data-status", "open");
  await expect(thread.locator("img")).toHaveCount(1);
  expect(await available(phones)).toBe(delivered - earned);

  // The seller reads it, sees the photo, and answers in the same thread.
  await phones.goto("/vendor/disputes");
  await phones.getByRole("link", { name: `#${number}-1` }).click();
  await expect(phones.getByTestId("dispute-messages")).toContainText("The screen came cracked in the box.");
  const photo = await phones.getByTestId("dispute").locator("img").getAttribute("src");
  expect((await phones.request.get(photo!)).status()).toBe(200);
  await phones.getByLabel("Your message").fill("It left our shop whole; we packed it in foam.");
  await phones.getByRole("button", { name: "Send" }).click();
  await expect(phones).toHaveURL(/dispute=sent/);
  await expect(phones.getByTestId("dispute-messages").locator("li")).toHaveCount(2);

  // The marketplace decides: ₦3,000 back. The thread, the shopper and the seller's ledger say so.
  await owner.goto("/admin/vendors/disputes");
  await owner.getByRole("link", { name: `#${number}-1` }).click();
  await waitForHydration(owner);
  await expect(owner.getByTestId("dispute-messages")).toContainText("we packed it in foam");
  await owner.getByLabel(/How much/).fill("3000");
  await owner.getByLabel(/Why/).fill("Cracked in transit: half the asked, the courier's share.");
  await owner.getByRole("button", { name: "Decide" }).click();
  await expect(owner.getByTestId("dispute-status")).toHaveAttribute("data-status", "refunded");
  await expect(owner.getByTestId("dispute-refunded")).toHaveText("₦3,000.00");
  await shopper.reload();
  await expect(shopper.getByTestId("dispute-status")).toHaveAttribute("data-status", "refunded");
  await expect(shopper.getByTestId("dispute-messages")).toContainText("give back ₦3,000.00");
  const back = kobo(sql(`SELECT amount FROM vendor_ledger WHERE kind = 'commission' AND note = 'Dispute on order #${number}-1'`));
  expect(back).toBeGreaterThan(0);
  expect(await available(phones)).toBe(delivered - 300000 + back);
  const ledger = phones.getByTestId("ledger-row").filter({ hasText: `Dispute on order #${number}-1` });
  await expect(ledger.filter({ hasText: "Refund" })).toHaveCount(1);
  await expect(ledger.filter({ hasText: "Commission" })).toHaveCount(1);
  sql("UPDATE tenants SET payout_hold_days = 7 WHERE slug = 'gadgetmarket'");
});

test("a verified buyer reviews a product and its seller, an unverified one cannot, the seller answers and the marketplace hides abuse", async ({
  browser,
}) => {
  // Each run's words are its own, so a run again on the same database finds its reviews alone.
  const stamp = Date.now().toString(36);
  const said = `Battery lasts two days (${stamp}).`;
  const praise = `Answered my calls, sent it the same day (${stamp}).`;
  const product = productOf("Slot Phones Hub");
  const seller = sql("SELECT slug FROM vendors WHERE name = 'Slot Phones Hub'");
  const phones = await (await browser.newContext()).newPage();
  await signIn(phones, "vendor@gadgetmarket.ng");

  // Two shoppers buy the same phone; the first one's part is delivered, the second's is not.
  const buyer = await (await browser.newContext()).newPage();
  await buyer.goto(`/store/gadgetmarket/p/${product}`);
  await waitForHydration(buyer);
  await buyer.getByTestId("add-to-cart").click();
  await expect(buyer).toHaveURL(/\/cart/);
  await checkOut(buyer, "Ngozi Eze", "5 Adeola Odeku Street, Victoria Island");
  await expect(buyer.getByTestId("shopper-part")).toHaveCount(1);
  const number = /#(\d+)-1/.exec((await buyer.getByTestId("shopper-part").first().textContent())!)![1];
  const owner = await (await browser.newContext()).newPage();
  await confirmTransfer(owner, number);
  await expect(owner.getByTestId("order-part").filter({ hasText: "Paid" })).toHaveCount(1);
  await sendPart(phones, number);

  const waiting = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await waiting.goto(`/store/gadgetmarket/p/${product}`);
  await waiting.getByTestId("add-to-cart").click();
  await checkOut(waiting, "Femi Bello", "9 Allen Avenue, Ikeja");
  const waitingKey = /\/order\/([0-9a-f-]{36})/.exec(waiting.url())![1];

  // The shopper whose goods have not come sees why they cannot review yet, and no form; a form
  // sent anyway is refused and writes nothing. Nor does the product's page offer one.
  const notYet = waiting.getByTestId("review-item").filter({ hasText: "once it has reached you" });
  await expect(notYet).toHaveCount(2);
  await expect(waiting.getByRole("button", { name: "Post your review" })).toHaveCount(0);
  const forged = await waiting.request.post("/rpc/write_review", {
    form: { slug: "gadgetmarket", key: waitingKey, product, seller: "", rating: "1", title: "", body: "Never came" },
    headers: { Accept: "text/html", Referer: waiting.url() },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(303);
  expect(forged.headers()["location"]).toContain("__err");
  expect(sql(`SELECT count(*) FROM reviews r JOIN orders o ON o.id = r.order_id WHERE o.view_key = '${waitingKey}'`)).toBe("0");
  await waiting.goto(`/store/gadgetmarket/p/${product}`);
  await expect(waiting.getByTestId("store-reviews")).toContainText("Only shoppers who received their order review it");
  await expect(waiting.getByRole("button", { name: /review/ })).toHaveCount(0);

  // The verified buyer: a review without stars is refused beside the stars; then the phone
  // gets four stars and the seller five.
  await buyer.reload();
  await waitForHydration(buyer);
  const phoneForm = buyer.getByTestId("review-item").filter({ hasNotText: "Seller:" });
  await phoneForm.getByLabel("Your review (optional)").fill(said);
  await phoneForm.getByRole("button", { name: "Post your review" }).click();
  await expect(phoneForm.getByRole("alert").filter({ hasText: "choose from 1 to 5 stars" })).toBeVisible();
  await phoneForm.getByLabel("4 stars", { exact: true }).check();
  await phoneForm.getByLabel("Headline (optional)").fill("Good value");
  await phoneForm.getByRole("button", { name: "Post your review" }).click();
  await expect(buyer.getByText("Thank you! Your review is posted.")).toBeVisible();
  await expect(phoneForm.getByTestId("my-rating")).toHaveText("★★★★☆");
  const sellerForm = buyer.getByTestId("review-item").filter({ hasText: "Seller: Slot Phones Hub" });
  await sellerForm.getByLabel("5 stars", { exact: true }).check();
  await sellerForm.getByLabel("Your review (optional)").fill(praise);
  await sellerForm.getByRole("button", { name: "Post your review" }).click();
  await expect(sellerForm.getByTestId("my-rating")).toHaveText("★★★★★");

  // The store shows both, as a verified purchase with the shopper's first name and initial.
  await waiting.goto(`/store/gadgetmarket/p/${product}`);
  const onProduct = waiting.getByTestId("review").filter({ hasText: said });
  await expect(onProduct).toContainText("Ngozi E.");
  await expect(onProduct).toContainText("Verified purchase");
  await expect(onProduct).not.toContainText("Eze");

  // The seller answers in public from its portal; its desk shows its rating.
  await phones.goto("/vendor/reviews?show=unanswered");
  await waitForHydration(phones);
  const toAnswer = phones.getByTestId("staff-review").filter({ hasText: said });
  await toAnswer.getByLabel("Your public answer").fill("Thank you, Ngozi. Bring it in for a free camera check.");
  await toAnswer.getByRole("button", { name: "Answer" }).click();
  await expect(phones.getByTestId("staff-review").filter({ hasText: said })).toHaveCount(0);
  await waiting.reload();
  await expect(onProduct.getByTestId("review-reply")).toContainText("Answer from Slot Phones Hub");
  await phones.goto("/vendor");
  const rating = sql(`SELECT round(avg(rating), 1) || ' out of 5 (' || count(*) || CASE count(*) WHEN 1 THEN ' review)' ELSE ' reviews)' END
                        FROM reviews r JOIN vendors v ON v.id = r.vendor_id
                       WHERE v.name = 'Slot Phones Hub' AND r.product_id IS NULL AND r.hidden_at IS NULL`);
  await expect(phones.getByTestId("desk-rating")).toContainText(rating);

  // The marketplace hides the seller's review; it leaves the seller's page and its rating, and
  // its writer reads why.
  await owner.goto("/admin/reviews");
  await waitForHydration(owner);
  const abusive = owner.getByTestId("staff-review").filter({ hasText: praise });
  await abusive.getByLabel("Why you hide it").fill("Test of the rules: hidden on purpose.");
  await abusive.getByRole("button", { name: "Hide" }).click();
  await expect(owner.getByTestId("staff-review").filter({ hasText: praise })).toHaveAttribute("data-hidden", "true");
  await waiting.goto(`/store/gadgetmarket/sellers/${seller}`);
  await expect(waiting.getByTestId("review").filter({ hasText: praise })).toHaveCount(0);
  await buyer.reload();
  await expect(buyer.getByText("Your review is hidden from the store: Test of the rules: hidden on purpose.")).toBeVisible();
});
