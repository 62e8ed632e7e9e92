import { execFileSync } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { letterTo, linkIn } from "./mail";
import { signIn } from "./session";

const STORE = "/store/ojafresh";

/** Opens the first product on the shelf that can be bought, and answers its address. */
async function openAProductInStock(page: Page): Promise<string> {
  await page.goto(STORE);
  const card = page.getByTestId("shop-item").filter({ has: page.getByTestId("availability").filter({ hasText: "In stock" }) }).first();
  const link = card.getByRole("link");
  const href = (await link.getAttribute("href"))!;
  await page.goto(href);
  await expect(page.getByTestId("product-stock")).toHaveText("In stock");
  return href;
}

/** Puts the product on `page` in the cart and goes through checkout to the order's page, paying
 * by the method labelled `paying`; answers the order's number. */
async function buy(page: Page, paying: RegExp, email = "ada@example.com"): Promise<string> {
  await fillCheckout(page, paying, email);
  await page.getByTestId("place-order").click();
  await expect(page.getByText(/^Order #\d+$/).or(page.getByTestId("test-gateway"))).toBeVisible();
  const text = await page.getByText(/#\d{4,}/).first().textContent();
  return /#(\d{4,})/.exec(text!)![1];
}

/** Puts the product on `page` in the cart and fills checkout in, paying by the method labelled
 * `paying`, up to the press of "Place order". */
async function fillCheckout(page: Page, paying: RegExp, email = "ada@example.com") {
  await page.getByTestId("add-to-cart").click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  await page.getByTestId("to-checkout").click();
  await expect(page).toHaveURL(/\/checkout$/);
  await page.getByLabel("Your name").fill("Ada Obi");
  await page.getByLabel("Mobile number").fill("0803 123 4567");
  await page.getByLabel("Email (optional)").fill(email);
  await page.getByLabel("Deliver to me").check();
  await page.getByLabel("Address (house number, street, landmark)").fill("12 Allen Avenue");
  await page.getByLabel("Town or area").fill("Ikeja");
  await page.getByLabel("State").selectOption("Lagos");
  await page.getByLabel(paying).check();
}

/** Runs one SQL statement on the test database as its owner, for what a test cannot wait for
 * (time running out); answers what it printed. */
function sql(statement: string): string {
  const url = process.env.DATABASE_OWNER_URL;
  if (!url) throw new Error("DATABASE_OWNER_URL must name the test database (scripts/test.sh sets it)");
  return execFileSync("psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-Atc", statement], { encoding: "utf8" }).trim();
}

/** A product of Oja Fresh with one variant and more than five units free at its best-stocked
 * shop, which holds `all of it` or leaves `some elsewhere`: its id and those units (a line is
 * held at one shop). The last such by name, away from the products other tests buy. */
function bestShopStock(where: "all of it" | "some elsewhere"): [string, string] {
  const [product, units] = sql(`
    SELECT p.id || ' ' || s.free FROM products p
      JOIN tenants t ON t.id = p.tenant_id AND t.slug = 'ojafresh'
      JOIN variants v ON v.tenant_id = p.tenant_id AND v.product_id = p.id
     CROSS JOIN LATERAL (SELECT max(on_hand - reserved) AS free, sum(greatest(on_hand - reserved, 0)) AS total
                           FROM stock_levels WHERE tenant_id = v.tenant_id AND variant_id = v.id) s
     WHERE p.status = 'active' AND s.free > 5 AND s.total ${where === "all of it" ? "=" : ">"} s.free
       AND (SELECT count(*) FROM variants w WHERE w.tenant_id = p.tenant_id AND w.product_id = p.id) = 1
     ORDER BY p.name DESC LIMIT 1`).split(" ");
  return [product, units];
}

/** The merchant opens the order numbered `number` from the orders list. */
async function openOrder(page: Page, number: string) {
  await page.goto(`/admin/orders?q=${number}`);
  await waitForHydration(page);
  await page.getByRole("link", { name: `#${number}` }).click();
  await expect(page.getByTestId("order-detail")).toBeVisible();
  await waitForHydration(page);
}

async function merchant(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ javaScriptEnabled: true });
  await signIn(page, "manager@ojafresh.ng");
  return page;
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a shopper buys paying on delivery, and the merchant works the order to completed", async ({ page, browser }) => {
    await openAProductInStock(page);
    const number = await buy(page, /Pay on delivery/);
    await expect(page.getByTestId("order-headline")).toHaveText("Thank you! Your order is placed");
    await expect(page.getByTestId("order-status")).toHaveText("Awaiting payment");

    const shop = await merchant(browser);
    await openOrder(shop, number);
    for (const step of ["Processing", "Shipped", "Delivered", "Completed"]) {
      await shop.getByTestId("move-to").selectOption({ label: step });
      await shop.getByTestId("move-order").click();
      await expect(shop.getByTestId("admin-order-status")).toHaveText(step);
    }
    await expect(shop.getByText("Paid", { exact: true })).toBeVisible();
    // The shopper's page follows.
    await page.reload();
    await expect(page.getByTestId("order-status")).toHaveText("Completed");
  });

  test("a wrong phone number is named beside its field and nothing is ordered", async ({ page }) => {
    await openAProductInStock(page);
    await page.getByTestId("add-to-cart").click();
    await page.getByTestId("to-checkout").click();
    await page.getByLabel("Your name").fill("Ada Obi");
    await page.getByLabel("Mobile number").fill("12345");
    await page.getByLabel("Pay on delivery").check();
    await page.getByTestId("place-order").click();
    await expect(page).toHaveURL(/\/checkout/);
    await expect(page.locator("#phone-error")).toContainText("Nigerian mobile number");
    // What was typed is still there, and the cart still holds its line.
    await expect(page.getByLabel("Your name")).toHaveValue("Ada Obi");
    await page.goto(`${STORE}/cart`);
    await expect(page.getByTestId("cart-line")).toHaveCount(1);
  });
});

test("a shopper pays by bank transfer and the merchant confirms the money arrived", async ({ page, browser }) => {
  await openAProductInStock(page);
  await waitForHydration(page);
  const number = await buy(page, /Bank transfer/);
  await expect(page.getByTestId("transfer-details")).toContainText("GTBank");
  await expect(page.getByTestId("transfer-reference")).toHaveText(new RegExp(`OJAFRESH-${number}-1`));

  const shop = await merchant(browser);
  await openOrder(shop, number);
  await shop.getByTestId("confirm-transfer").click();
  await expect(shop.getByTestId("admin-order-status")).toHaveText("Paid");
  await page.reload();
  await expect(page.getByTestId("order-status")).toHaveText("Paid");
  await expect(page.getByTestId("transfer-details")).toHaveCount(0);
});

test("the test gateway declines, then approves on a second try", async ({ page }) => {
  await openAProductInStock(page);
  await waitForHydration(page);
  await buy(page, /Test payment/);
  await expect(page.getByTestId("test-gateway")).toBeVisible();
  await waitForHydration(page);
  await page.getByTestId("decline").click();
  await expect(page.getByTestId("declined")).toBeVisible();
  await page.getByTestId("approve").click();
  await expect(page.getByTestId("order-status")).toHaveText("Paid");
});

test("an order is found by its number and phone, and not by its number alone", async ({ page }) => {
  await openAProductInStock(page);
  await waitForHydration(page);
  const number = await buy(page, /Pay on delivery/);
  const context = await page.context().browser()!.newContext();
  const stranger = await context.newPage();
  await stranger.goto(`${STORE}/track`);
  await waitForHydration(stranger);
  await stranger.getByLabel("Order number").fill(number);
  await stranger.getByLabel("Phone number or email").fill("0803 999 0000");
  await stranger.getByRole("button", { name: "Find my order" }).click();
  await expect(stranger.getByRole("alert").filter({ hasText: "not found" })).toBeVisible();
  await stranger.getByLabel("Phone number or email").fill("08031234567");
  await stranger.getByRole("button", { name: "Find my order" }).click();
  await expect(stranger.getByTestId("order-page")).toBeVisible();
  await context.close();
});

test("a draft order's payment link is paid in another browser, and the customer shows in the back office", async ({ page, browser }) => {
  await openAProductInStock(page);
  const code = (await page.locator("input[name=variant]:checked").getAttribute("data-sku"))!;
  const shop = await merchant(browser);
  await shop.goto("/admin/orders/new");
  await waitForHydration(shop);
  await shop.getByLabel("Name", { exact: true }).fill("Kemi Adebayo");
  await shop.getByLabel("Mobile number").fill("0905 111 2222");
  await shop.getByLabel("Items").fill(`${code} 1`);
  await shop.getByLabel("Address").fill("7 Adeola Odeku");
  await shop.getByLabel("Town or area").fill("Victoria Island");
  await shop.getByTestId("draft-payment").selectOption("test_gateway");
  await shop.getByTestId("make-order").click();
  const link = (await shop.getByTestId("payment-link").getAttribute("href"))!;
  expect(link).toMatch(/\/store\/ojafresh\/pay\//);

  const customer = await browser.newContext();
  const paying = await customer.newPage();
  await paying.goto(link);
  await waitForHydration(paying);
  await paying.getByTestId("approve").click();
  await expect(paying.getByTestId("order-status")).toHaveText("Paid");
  await customer.close();

  await shop.goto("/admin/customers?q=Kemi");
  await shop.getByRole("link", { name: "Kemi Adebayo" }).click();
  await expect(shop.getByTestId("customer-detail")).toContainText("0905 111 2222");
  await expect(shop.getByTestId("customer-detail")).toContainText("1 orders");
});

test("the merchant sets where the store delivers, and checkout follows", async ({ browser }) => {
  const shop = await merchant(browser);
  await shop.goto("/admin/selling");
  await waitForHydration(shop);
  await shop.getByLabel("Zone name").fill("Rivers and Delta");
  await shop.getByLabel("Rivers").check();
  await shop.getByLabel("Delta").check();
  await shop.getByLabel("Delivery charge (₦)").fill("4,500");
  await shop.getByTestId("add-zone").click();
  await expect(shop.getByTestId("zones")).toContainText("Rivers and Delta");
  // A state already in a zone is refused, named.
  await shop.getByLabel("Zone name").fill("Again");
  await shop.getByLabel("Lagos").check();
  await shop.getByLabel("Delivery charge (₦)").fill("100");
  await shop.getByTestId("add-zone").click();
  await expect(shop.getByText("Lagos is already in the zone Lagos")).toBeVisible();
});

test("the merchant confirms several transfers at once and prints an order", async ({ browser }) => {
  const numbers: string[] = [];
  for (const _ of [1, 2]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openAProductInStock(page);
    await waitForHydration(page);
    numbers.push(await buy(page, /Bank transfer/));
    await context.close();
  }
  const shop = await merchant(browser);
  await shop.goto("/admin/orders?status=awaiting_payment");
  await waitForHydration(shop);
  for (const number of numbers) await shop.getByLabel(`Transfer for #${number} arrived`).check();
  await shop.getByTestId("confirm-transfers").click();
  await expect(shop.getByText("2 transfers confirmed; those orders are paid.")).toBeVisible();
  await openOrder(shop, numbers[0]);
  await expect(shop.getByTestId("admin-order-status")).toHaveText("Paid");
  await shop.getByTestId("print-order").click();
  await expect(shop.getByTestId("packing-slip")).toContainText(`Packing slip · #${numbers[0]}`);
  await expect(shop.getByTestId("order-summary")).toContainText("Total");
});

test("a signed-in shopper is greeted by name and finds their order in their account", async ({ page }) => {
  const email = `shopper.${Date.now()}@example.com`;
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
  await page.goto(`${STORE}/account`);
  await waitForHydration(page);
  await page.getByLabel("Your name").fill("Chioma Eze");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Phone (for deliveries)").fill("0816 222 3333");
  await page.getByLabel("Choose a password").fill("a-long-shopper-password");
  await page.getByRole("button", { name: "Open my account" }).click();
  await expect(page.getByText("Welcome, Chioma Eze")).toBeVisible();
  await openAProductInStock(page);
  await expect(page.getByTestId("account-link")).toHaveText("Hi, Chioma Eze");
  await waitForHydration(page);
  const number = await buy(page, /Pay on delivery/);
  await page.goto(`${STORE}/account`);
  await expect(page.getByTestId("my-orders")).toContainText(`#${number}`);
  // The address is kept, and offered at the next checkout; the order is bought again from its page.
  await expect(page.getByTestId("my-addresses")).toContainText("12 Allen Avenue, Ikeja, Lagos");
  await page.getByTestId("my-orders").getByRole("link", { name: new RegExp(`#${number}`) }).click();
  await page.getByTestId("buy-again").click();
  await expect(page.getByTestId("bought-again")).toContainText("1 item from your order is in your cart.");
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  await page.getByTestId("to-checkout").click();
  await expect(page.getByLabel("Address (house number, street, landmark)")).toHaveValue("12 Allen Avenue");
  await expect(page.getByLabel("State")).toHaveValue("Lagos");
  // Only Lagos's areas are offered once the page's script runs; one of them is taken.
  await waitForHydration(page);
  await expect(page.locator("#lga optgroup:not([hidden])")).toHaveCount(1);
  await page.getByLabel("Local government area (optional)").selectOption("Ikeja");
  await page.getByLabel("Your name").fill("Chioma Eze");
  await page.getByLabel("Mobile number").fill("0816 222 3333");
  await page.getByLabel(/Pay on delivery/).check();
  await page.getByTestId("place-order").click();
  await expect(page.getByText(/^Order #\d+$/)).toBeVisible();
  await expect(page.getByText("Delivery to 12 Allen Avenue, Ikeja, Ikeja, Lagos")).toBeVisible();
});

test("a guest's order joins the account opened afterwards, once the email is confirmed from the letter", async ({ page, browser }) => {
  const email = `guest.${Date.now()}@example.com`;
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": `10.8.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
  await openAProductInStock(page);
  const number = await buy(page, /Pay on delivery/, email);

  await page.goto(`${STORE}/account`);
  await page.getByLabel("Your name").fill("Kemi Bello");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Choose a password").fill("a-long-shopper-password");
  await page.getByRole("button", { name: "Open my account" }).click();
  await expect(page.getByText("Welcome, Kemi Bello")).toBeVisible();
  await expect(page.getByTestId("email-check")).toContainText(email);
  await expect(page.getByTestId("my-orders")).not.toContainText(`#${number}`);

  // The letter, as the business's sent messages show it.
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, "owner@ojafresh.ng");
  await owner.goto("/admin/outbox");
  const letter = owner.getByTestId("message").filter({ hasText: email }).filter({ hasText: "Confirm your email" }).first();
  const link = /\S+\/confirm\/\S+/.exec((await letter.locator("pre").textContent())!)![0];
  await page.goto(new URL(link).pathname);
  await page.getByTestId("confirm-email").click();
  await expect(page.getByTestId("email-confirmed")).toBeVisible();
  await expect(page.getByTestId("my-orders")).toContainText(`#${number}`);
  // The link is spent.
  await page.goto(new URL(link).pathname);
  await page.getByTestId("confirm-email").click();
  await expect(page.getByText(/may have expired or been used/)).toBeVisible();
});

test.describe("without JavaScript, the shelf", () => {
  test.use({ javaScriptEnabled: false });

  test("narrows to what is in stock within a price range, and keeps the narrowing on its next page", async ({ page }) => {
    await page.goto(STORE);
    await page.getByLabel("Price to (₦)").fill("5,000");
    await page.getByLabel("In stock only").check();
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/max=5%2C000|max=5,000/);
    await expect(page.getByTestId("shop-item").first()).toBeVisible();
    for (const badge of await page.getByTestId("availability").allTextContents()) expect(badge).not.toBe("Sold out");
    const more = page.getByTestId("more-products");
    if (await more.count()) {
      const href = (await more.getAttribute("href"))!;
      expect(href).toContain("stock=1");
      expect(href).toContain("max=");
    }
    // A price that is not one is named, not ignored.
    await page.getByLabel("Price to (₦)").fill("cheap");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByText(/enter an amount/)).toBeVisible();
  });

  test("opens a category from the home, sorts it by price, and pages it in that order", async ({ page }) => {
    await page.goto(STORE);
    const chip = page.getByTestId("category-link").first();
    const label = (await chip.textContent())!.replace(/ \(\d+\)$/, "");
    await chip.click();
    await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "All products" })).toBeVisible();
    await page.getByLabel("Sort by").selectOption("price");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/sort=price/);
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    // Naira amounts as shown ("₦1,200.00" or "from ₦1,200.00"), in the order shown, on every page.
    const prices = async () => (await page.locator("[data-testid=shop-item] .tabular-nums").allTextContents())
      .map((text) => Number(text.replace(/[^0-9.]/g, "")));
    let seen = await prices();
    for (let more = page.getByTestId("more-products"); await more.count(); more = page.getByTestId("more-products")) {
      expect(await more.getAttribute("href")).toContain("sort=price");
      await more.click();
      seen = seen.concat(await prices());
    }
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

test("the orders list narrows by channel and by the days orders were placed", async ({ page, browser }) => {
  await openAProductInStock(page);
  await waitForHydration(page);
  const number = await buy(page, /Pay on delivery/);
  const shop = await merchant(browser);
  // Today on the business's clock (Lagos, an hour ahead of UTC all year).
  const today = new Date(Date.now() + 3_600_000).toISOString().slice(0, 10);
  await shop.goto(`/admin/orders?channel=store&from=${today}&until=${today}`);
  await expect(shop.getByRole("link", { name: `#${number}` })).toBeVisible();
  await shop.goto("/admin/orders?until=2020-01-01");
  await expect(shop.getByText("No orders")).toBeVisible();
  await shop.goto("/admin/orders?from=yesterday");
  await expect(shop.getByText(/a date such as/)).toBeVisible();
});

test("a payment left unfinished at the gateway gives its stock back once its time is up", async ({ page, browser }) => {
  // A product of one variant whose stock is all at one shop (a line is held at one location),
  // every unit of which the shopper takes: the last such by name, away from those other tests buy.
  const [product, units] = bestShopStock("all of it");
  expect(Number(units)).toBeGreaterThan(5);
  const href = `${STORE}/p/${product}`;
  await page.goto(href);
  await waitForHydration(page);
  await page.getByLabel("Quantity").fill(units);
  const number = await buy(page, /Test payment/);
  await expect(page.getByTestId("test-gateway")).toBeVisible();

  // Held while the shopper pays: nobody else can have them.
  const other = await browser.newPage();
  await other.goto(href);
  await expect(other.getByTestId("product-stock")).toHaveText("Sold out");

  // The time to pay runs out (moved on here rather than waited for); the worker calls the order
  // off on its next round, and the units are for sale again.
  const moved = sql(`UPDATE orders SET pay_by = now() - interval '1 second'
                      WHERE number = ${number} AND tenant_id = (SELECT id FROM tenants WHERE slug = 'ojafresh')
                      RETURNING status`);
  expect(moved).toBe("awaiting_payment");
  await expect(async () => {
    await other.goto(href);
    await expect(other.getByTestId("product-stock")).toHaveText("In stock", { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  await page.goto(page.url().replace("/pay/", "/order/"));
  await expect(page.getByTestId("order-status")).toHaveText("Cancelled");
  await other.close();
});

test("the merchant features a product, and the store's home shows it", async ({ page, browser }) => {
  const shop = await merchant(browser);
  await shop.goto("/admin/products?search=Semovita");
  await waitForHydration(shop);
  const row = shop.getByTestId("product-row").first();
  const name = (await row.getByRole("link").first().textContent())!.trim();
  await row.getByRole("checkbox").check();
  await shop.locator("#bulk-status").selectOption("feature");
  await shop.getByRole("button", { name: "Apply" }).click();
  await expect(shop.getByText(/product\(s\) changed/)).toBeVisible();
  await shop.reload();
  await expect(shop.getByTestId("product-row").first().getByText("Featured")).toBeVisible();

  await page.goto(STORE);
  const featured = page.getByTestId("featured");
  await expect(featured.getByRole("heading", { name: "Featured" })).toBeVisible();
  await expect(featured.getByTestId("featured-item").filter({ hasText: name })).toBeVisible();
  // Not on a search or a category's page.
  await page.goto(`${STORE}?q=rice`);
  await expect(page.getByTestId("featured")).toHaveCount(0);
});

test("a place-order button pressed twice places one order", async ({ page, browser }) => {
  await openAProductInStock(page);
  await waitForHydration(page);
  await page.getByTestId("add-to-cart").click();
  await expect(page).toHaveURL(/\/cart$/);
  await page.getByTestId("to-checkout").click();
  // A number nobody else's order has, to count this shopper's orders by.
  const phone = `0803 9${String(Date.now()).slice(-6)}`;
  await page.getByLabel("Your name").fill("Tunde Eze");
  await page.getByLabel("Mobile number").fill(phone);
  await page.getByLabel("Deliver to me").check();
  await page.getByLabel("Address (house number, street, landmark)").fill("3 Awolowo Road");
  await page.getByLabel("Town or area").fill("Ikoyi");
  await page.getByLabel("State").selectOption("Lagos");
  await page.getByLabel(/Pay on delivery/).check();
  await waitForHydration(page);
  await page.getByTestId("place-order").dblclick();
  await expect(page.getByText(/^Order #\d+$/)).toBeVisible();

  const shop = await merchant(browser);
  await shop.goto(`/admin/orders?q=${encodeURIComponent(phone)}`);
  await expect(shop.getByRole("link", { name: /^#\d+$/ })).toHaveCount(1);
});

test.describe("without JavaScript, a shopper's account", () => {
  test.use({ javaScriptEnabled: false });

  test("a shopper who forgot their password sets a new one from the letter, and the old one stops working", async ({ page }) => {
    const email = `forgetful.${Date.now()}@example.com`;
    await page.context().setExtraHTTPHeaders({ "x-forwarded-for": `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
    await page.goto(`${STORE}/account`);
    await page.getByLabel("Your name").fill("Ngozi Okafor");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Choose a password").fill("the-first-long-password");
    await page.getByRole("button", { name: "Open my account" }).click();
    await expect(page.getByText("Welcome, Ngozi Okafor")).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();

    await page.goto(`${STORE}/account`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(page).toHaveURL(/\/forgot$/);
    // An email with no account here is answered the same, and nothing is mailed to it.
    await page.getByLabel("Email").fill(`nobody.${Date.now()}@example.com`);
    await page.getByRole("button", { name: "Send the link" }).click();
    await expect(page.getByTestId("reset-sent")).toBeVisible();
    await page.goto(`${STORE}/forgot`);
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await expect(page.getByTestId("reset-sent")).toBeVisible();

    const link = new URL(linkIn(await letterTo(email), "/store/ojafresh/reset/")).pathname;
    await page.goto(link);
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set my password" }).click();
    await expect(page.getByText(/at least 10 characters/)).toBeVisible();
    await page.getByLabel("New password").fill("the-second-long-password");
    await page.getByRole("button", { name: "Set my password" }).click();
    await expect(page.getByTestId("password-set")).toBeVisible();

    // The old password no longer opens the account; the new one does; the link works once.
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("the-first-long-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("The email or password is not right.")).toBeVisible();
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("the-second-long-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Welcome, Ngozi Okafor")).toBeVisible();
    await page.goto(link);
    await page.getByLabel("New password").fill("a-third-long-password");
    await page.getByRole("button", { name: "Set my password" }).click();
    await expect(page.getByText(/expired or been used/)).toBeVisible();
  });
});

test("two shoppers race for the last units: one gets them, the other is told at checkout", async ({ browser }) => {
  // A product of one variant whose best-stocked shop has more than any other (a line is held at
  // one shop): both shoppers want every unit that shop has, the last such by name.
  const [product, units] = bestShopStock("some elsewhere");
  const shoppers: Page[] = [];
  for (const n of [1, 2]) {
    const page = await (await browser.newContext()).newPage();
    await page.context().setExtraHTTPHeaders({ "x-forwarded-for": `10.7.${n}.${Math.floor(Math.random() * 250)}` });
    await page.goto(`${STORE}/p/${product}`);
    await page.getByLabel("Quantity").fill(units);
    await fillCheckout(page, /Pay on delivery/);
    shoppers.push(page);
  }
  const [first, second] = shoppers;
  await first.getByTestId("place-order").click();
  await expect(first.getByText(/^Order #\d+$/)).toBeVisible();
  await second.getByTestId("place-order").click();
  await expect(second.getByText(new RegExp(`: ${units} units can no longer be had`))).toBeVisible();
  await expect(second).toHaveURL(/\/checkout/);
});
