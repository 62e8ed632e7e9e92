import { expect, test } from "@playwright/test";
import { waitForHydration } from "./hydration";

test("the start page introduces the suite and lists the demo businesses", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("one set of books");
  for (const surface of ["Back office", "Storefront", "Vendor portal", "Point of sale"]) {
    await expect(page.getByRole("heading", { name: surface })).toBeVisible();
  }
  await expect(page.getByText("Oja Fresh Supermarket")).toBeVisible();
  await expect(page.getByText("Naija Gadget Market")).toBeVisible();
});

test("the back office filters its businesses as the merchant types", async ({ page }) => {
  await page.goto("/admin");
  await waitForHydration(page);
  const rows = page.locator("table tbody tr");
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Filter businesses").fill("gadget");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Naija Gadget Market");
  await page.getByLabel("Filter businesses").fill("no such shop");
  await expect(page.getByText("No business matches")).toBeVisible();
});

test("on a phone the back office's navigation opens from the menu button", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/admin");
  await waitForHydration(page);
  const nav = page.locator("#side-nav");
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(nav).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link", { name: "Overview" })).toBeVisible();
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
  await lekki.getByRole("button", { name: "Opening hours" }).click();
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

test("the vendor portal lists the marketplaces and folds its navigation on phones", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/vendor");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Naija Gadget Market" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Oja Fresh Supermarket" })).toHaveCount(0);
  const menu = page.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(page.locator("#side-nav").getByRole("link", { name: "Home" })).toBeVisible();
});

test("the till remembers its shop, shows the connection, and installs its service worker", async ({ page, context }) => {
  await page.goto("/pos");
  await waitForHydration(page);
  await expect(page.getByTestId("connection")).toHaveText("Online");
  await page.getByRole("button", { name: /Ikeja GRA/ }).click();
  await expect(page.getByRole("heading", { name: "Till at Ikeja GRA" })).toBeVisible();

  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Till at Ikeja GRA" })).toBeVisible();

  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toMatch(/\/$/);

  await context.setOffline(true);
  await expect(page.getByTestId("connection")).toContainText("Offline");
  await context.setOffline(false);
  await expect(page.getByTestId("connection")).toHaveText("Online");

  await page.getByRole("button", { name: "Change shop" }).click();
  await expect(page.getByRole("heading", { name: "Which shop is this till in?" })).toBeVisible();
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

  test("every surface is readable from the server's HTML alone", async ({ page }) => {
    await page.goto("/store/ojafresh");
    await expect(page.getByRole("heading", { level: 1, name: "Oja Fresh Supermarket" })).toBeVisible();
    await page.goto("/admin");
    await expect(page.getByRole("cell", { name: /Naija Gadget Market/ })).toBeVisible();
    await page.goto("/pos");
    await expect(page.getByRole("heading", { name: "Which shop is this till in?" })).toBeVisible();
  });
});
