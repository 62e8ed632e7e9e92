import { expect, test, type Page } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { letterTo, linkIn } from "./mail";
import { signIn } from "./session";

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
