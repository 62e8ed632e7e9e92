import { expect, test } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

test("the start page introduces the suite and lists the demo businesses", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("one set of books");
  for (const surface of ["Back office", "Storefront", "Vendor portal", "Point of sale"]) {
    await expect(page.getByRole("heading", { name: surface })).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "Oja Fresh Supermarket" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Naija Gadget Market" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "cashier@ojafresh.ng" })).toBeVisible();
});

test("the platform page filters its businesses as the admin types", async ({ page }) => {
  await signIn(page, "admin@sc1.ng");
  await expect(page).toHaveURL(/\/platform$/);
  const rows = page.locator("table tbody tr");
  await expect(rows.filter({ hasText: "Oja Fresh Supermarket" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Naija Gadget Market" })).toHaveCount(1);
  await page.getByLabel("Filter businesses").fill("gadget");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Naija Gadget Market");
  await page.getByLabel("Filter businesses").fill("no such shop");
  await expect(page.getByText("No business matches")).toBeVisible();
});

test("on a phone the back office's navigation opens from the menu button", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, "owner@ojafresh.ng");
  await expect(page).toHaveURL(/\/admin$/);
  const nav = page.locator("#side-nav");
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(nav).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link", { name: "Dashboard" })).toBeVisible();
  // Nothing may stick out sideways on a 360 px screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("a storefront shows its shops and opens their hours", async ({ page }) => {
  await page.goto("/store/ojafresh");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Oja Fresh Supermarket" })).toBeVisible();
  await expect(page.getByText("14 Admiralty Way, Lekki, Lagos")).toBeVisible();
  const lekki = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Lekki Phase 1" }) });
  await expect(page.getByText("Mon–Sat 8:00–21:00")).toBeHidden();
  // The browser's own disclosure: it opens with or without a script.
  await lekki.getByText("Opening hours").click();
  await expect(page.getByText("Mon–Sat 8:00–21:00")).toBeVisible();
  await expect(page.getByText("VAT 7.5% included")).toBeVisible();
});

test("an unknown storefront or address answers a friendly 404 page", async ({ page }) => {
  for (const path of ["/store/no-such-shop", "/no/such/page"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Go to the start page" })).toBeVisible();
  }
});

test("vendor staff see their vendor and marketplace, with navigation folded on phones", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, "vendor@gadgetmarket.ng", undefined, "/vendor/login");
  await expect(page).toHaveURL(/\/vendor$/);
  await expect(page.getByRole("heading", { name: "Slot Phones Hub" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Naija Gadget Market" })).toBeVisible();
  const menu = page.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(page.locator("#side-nav").getByRole("link", { name: "Home" })).toBeVisible();
});

test("the POS can be installed: its manifest and icons are served", async ({ request }) => {
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest.start_url).toBe("/pos");
  for (const icon of manifest.icons) {
    const response = await request.get(icon.src);
    expect(response.status(), icon.src).toBe(200);
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("pages are readable, and staff can sign in, from the server's HTML alone", async ({ page }) => {
    await page.goto("/store/ojafresh");
    await expect(page.getByRole("heading", { level: 1, name: "Oja Fresh Supermarket" })).toBeVisible();
    // Every product of the shop is found page by page, 48 at a time, with plain links.
    const seen = new Set<string>();
    for (let pages = 1; ; pages++) {
      const items = page.getByTestId("shop-item");
      expect(await items.count()).toBeLessThanOrEqual(48);
      for (const id of await items.evaluateAll((cards) => cards.map((c) => c.getAttribute("data-product")!))) {
        expect(seen.has(id), "each product once").toBe(false);
        seen.add(id);
      }
      const more = page.getByTestId("more-products");
      if ((await more.count()) === 0) {
        expect(pages).toBeGreaterThan(2);
        break;
      }
      await more.click();
      await expect(page.getByRole("link", { name: "Back to the start" })).toBeVisible();
    }
    expect(seen.size).toBeGreaterThan(96);
    await page.goto("/store/ojafresh");
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/admin\/login\?next=\/admin$/);
    await page.getByLabel("Email").fill("owner@ojafresh.ng");
    await page.getByLabel("Password").fill("naija-demo-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole("heading", { level: 1, name: "Oja Fresh Supermarket" })).toBeVisible();
    // The till runs in the browser; without JavaScript its page says so.
    await page.goto("/pos");
    await expect(page.getByText("The till runs in the browser: if this stays, switch JavaScript on to sell here.")).toBeVisible();
    // A form shows what is saved before any script runs.
    await page.goto("/admin/products?search=indomie");
    await page.getByRole("link", { name: /Indomie/ }).first().click();
    const name = await page.getByLabel("Name", { exact: true }).inputValue();
    expect(name).toMatch(/Indomie/);
    await expect(page.getByLabel("Description")).not.toHaveValue("");
  });

  test("a refused form comes back as a page with the message beside the field and what was typed kept", async ({ page, browser }) => {
    // A wrong password: the sign-in page again, saying so, with the email kept and the password not.
    // (The accountant's account: other tests' wrong passwords for the owner count towards its limit.)
    await page.goto("/admin/login");
    await page.getByLabel("Email").fill("accounts@ojafresh.ng");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/login/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: /password/i })).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue("accounts@ojafresh.ng");
    await expect(page.getByLabel("Password")).toHaveValue("");
    expect(page.url()).not.toContain("not-the-password");

    // Refused again, it says the latest refusal (a short password here), not the first.
    await page.getByLabel("Password").fill("x");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /password/i })).toBeVisible();
    expect(page.url().match(/__err=/g)).toHaveLength(1);

    // A receipt line that names no product: the receipts page, the line named beside the items,
    // and the lines and supplier as they were typed.
    const staff = await browser.newPage({ javaScriptEnabled: true });
    await signIn(staff, "owner@ojafresh.ng");
    await page.context().addCookies(await staff.context().cookies());
    await page.goto("/admin/stock/receipts");
    await page.getByLabel("Arrived at").selectOption({ label: "Lekki Phase 1" });
    await page.getByLabel("Supplier").fill("Itoku Market");
    await page.getByLabel("Items").fill("NO-SUCH-SKU 2 7000");
    await page.getByRole("button", { name: "Receive" }).click();
    await expect(page).toHaveURL(/\/admin\/stock\/receipts/);
    await expect(page.getByText("line 1: no product has the SKU or barcode NO-SUCH-SKU")).toBeVisible();
    await expect(page.getByLabel("Items")).toHaveValue("NO-SUCH-SKU 2 7000");
    await expect(page.getByLabel("Supplier")).toHaveValue("Itoku Market");
    await expect(page.getByLabel("Arrived at").locator("option:checked")).toHaveText("Lekki Phase 1");
  });

  test("a refused form keeps its choices and ticks, and the page's other forms keep theirs", async ({ page, browser }) => {
    const staff = await browser.newPage({ javaScriptEnabled: true });
    await signIn(staff, "owner@ojafresh.ng");
    await page.context().addCookies(await staff.context().cookies());
    const checked = (select: string) => page.locator(`${select} option:checked`);

    // Settings refused for their VAT: the currency, time zone and tick come back as chosen.
    await page.goto("/admin/settings");
    const tick = page.getByLabel("Shelf prices include VAT");
    const ticked = await tick.isChecked();
    await page.getByLabel("Currency").selectOption("GHS");
    await page.getByLabel("Time zone").selectOption("Africa/Accra");
    await tick.setChecked(!ticked);
    await page.getByLabel("VAT (%)").fill("seven");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("enter a percentage from 0 to 99.9999")).toBeVisible();
    await expect(checked("#currency")).toHaveText(/^GHS/);
    await expect(checked("#time_zone")).toHaveText("Africa/Accra");
    await expect(tick).toBeChecked({ checked: !ticked });
    await expect(page.getByLabel("VAT (%)")).toHaveValue("seven");

    // A location refused for its missing name keeps its kind, and the business's name field
    // (also called "name") is not filled with what the location form sent.
    await page.goto("/admin/settings");
    await page.getByLabel("Kind").selectOption("warehouse");
    await page.getByLabel("Address").fill("Plot 4, Agbara estate");
    await page.getByRole("button", { name: "Add location" }).click();
    await expect(page.getByText("give the location a name")).toBeVisible();
    await expect(checked("#location_kind")).toHaveText("Warehouse");
    await expect(page.getByLabel("Address")).toHaveValue("Plot 4, Agbara estate");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Oja Fresh Supermarket");
    await expect(page.getByLabel("VAT (%)")).not.toHaveValue("seven");

    // A category refused for its missing name keeps the parent chosen.
    await page.goto("/admin/categories");
    const parent = (await page.locator("#parent option").nth(1).textContent())!;
    await page.locator("#parent").selectOption({ label: parent });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByText("give the category a name")).toBeVisible();
    await expect(checked("#parent")).toHaveText(parent);
    // A row's rename refused is said, and its Remove works without the script too (refused
    // here, since the category holds products or others).
    const row = page.getByTestId("category").first();
    const held = (await row.locator("td").first().textContent())!;
    await row.getByLabel("Name").fill("");
    await row.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "give the category a name" })).toBeVisible();
    await page.getByTestId("category").filter({ has: page.locator("td:first-child", { hasText: held }) }).first().getByRole("button", { name: "Remove" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "still has products or categories under it" })).toBeVisible();

    // An invitation refused for its address keeps the role; an API client refused for its
    // name keeps the scopes ticked.
    await page.goto("/admin/staff");
    await page.getByLabel("Email").fill("ada@localhost");
    await page.getByLabel("Role", { exact: true }).selectOption("manager");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText("enter an email address such as")).toBeVisible();
    await expect(checked("#role")).toHaveText("Manager");
    await page.goto("/admin/api-clients");
    await page.getByLabel("settings:read").check();
    await page.getByLabel("products:write").check();
    await page.getByRole("button", { name: "Create client" }).click();
    await expect(page.getByText("give the client a name")).toBeVisible();
    await expect(page.getByLabel("settings:read")).toBeChecked();
    await expect(page.getByLabel("products:write")).toBeChecked();
    await expect(page.getByLabel("products:read")).not.toBeChecked();

    // A reorder point refused on an item's stock page keeps its location, and the adjustment
    // form beside it keeps the first location.
    await page.goto("/admin/stock");
    await page.getByTestId("stock-row").first().getByRole("link").first().click();
    const places = page.locator("#reorder-location option");
    const last = (await places.last().textContent())!;
    const first = (await places.first().textContent())!;
    await page.locator("#reorder-location").selectOption({ label: last });
    await page.getByLabel("Alert at").fill("lots");
    await page.getByLabel("Order").fill("24");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("a whole number of units")).toBeVisible();
    await expect(checked("#reorder-location")).toHaveText(last);
    await expect(checked("#adjust-location")).toHaveText(first);
    await expect(page.getByLabel("Order")).toHaveValue("24");
  });
});

test("the dashboard shows the stock that needs a look, each figure opening its list", async ({ page }) => {
  await signIn(page, "manager@ojafresh.ng");
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Stock", exact: true })).toBeVisible();
  for (const [tile, list] of [
    ["stock-low", /\/admin\/stock\/alerts$/],
    ["stock-out", /\/admin\/stock\/alerts$/],
    ["stock-in-transit", /\/admin\/stock\/transfers$/],
    ["stock-counts", /\/admin\/stock\/counts$/],
  ] as const) {
    await expect(page.getByTestId(tile)).toHaveAttribute("href", list);
    await expect(page.getByTestId(tile)).toContainText(/\d/);
  }
  await page.getByTestId("stock-out").click();
  await expect(page).toHaveURL(/\/admin\/stock\/alerts$/);
  await expect(page.getByRole("heading", { level: 1, name: "Stock alerts" })).toBeVisible();
});
