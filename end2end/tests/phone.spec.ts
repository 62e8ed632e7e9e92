import { expect, test, type Page } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

/** How far the page is wider than the screen (0 when nothing scrolls sideways). A phone's
 * browser widens its window to a page that is too wide, so the screen's width is the one set. */
async function overflow(page: Page): Promise<number> {
  return (await page.evaluate(() => document.documentElement.scrollWidth)) - page.viewportSize()!.width;
}

/** The address of the first link on `path` whose address matches `pattern`. */
async function firstLink(page: Page, path: string, pattern: RegExp): Promise<string> {
  await page.goto(path);
  for (const href of await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""))) {
    if (pattern.test(href)) return href.split("#")[0];
  }
  throw new Error(`no link like ${pattern} on ${path}`);
}

test.describe("on a 360-pixel phone", () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test("no back-office page scrolls sideways; wide tables scroll inside themselves", async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, "owner@ojafresh.ng");
    const product = await firstLink(page, "/admin/products", /^\/admin\/products\/[0-9a-f-]{36}$/);
    const variant = await firstLink(page, "/admin/stock", /^\/admin\/stock\/variant\/[0-9a-f-]{36}$/);
    // A receipt of its own, so that a receipt's page is there to look at.
    await page.goto("/admin/stock/receipts");
    await waitForHydration(page);
    // The last item on the stock page's first page (other tests take the first).
    const sku = await firstLink(page, "/admin/stock", /^\/admin\/stock\/variant\//).then(async () =>
      page.getByTestId("stock-row").last().getAttribute("data-sku"));
    await page.goto("/admin/stock/receipts");
    await waitForHydration(page);
    await page.getByLabel("Items").fill(`${sku} 1 100`);
    await page.getByRole("button", { name: "Receive" }).click();
    await expect(page.getByTestId("received")).toBeVisible();
    const receipt = (await page.getByTestId("received").getByRole("link").getAttribute("href"))!;
    const category = await firstLink(page, "/store/ojafresh", /^\/store\/ojafresh\/c\/[0-9a-f-]{36}$/);
    const item = await firstLink(page, "/store/ojafresh", /^\/store\/ojafresh\/p\/[0-9a-f-]{36}$/);
    const pages = [
      "/admin", "/admin/staff", "/admin/settings", "/admin/roles", "/admin/audit", "/admin/api-clients",
      "/admin/outbox", "/admin/account", "/admin/products", "/admin/products/new", "/admin/products/import",
      product, "/admin/categories", "/admin/stock", variant, "/admin/stock/receipts", receipt,
      "/admin/stock/transfers", "/admin/stock/counts", "/admin/stock/alerts", "/admin/orders", "/admin/orders/new",
      "/admin/customers", "/admin/selling", "/store/ojafresh", "/store/ojafresh/cart", "/store/ojafresh/checkout",
      "/store/ojafresh/track", category, item, "/store/ojafresh/account", "/store/ojafresh/forgot",
      "/store/ojafresh/reset/a-link-that-was-mailed", "/store/ojafresh/confirm/a-link-that-was-mailed",
    ];
    const wide: string[] = [];
    for (const path of pages) {
      await page.goto(path);
      await waitForHydration(page);
      await expect(page.locator("h1").first()).toBeVisible();
      const extra = await overflow(page);
      if (extra > 0) wide.push(`${path} is ${extra} px too wide`);
    }
    expect(wide).toEqual([]);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("the menu button opens the navigation", async ({ page, browser }) => {
      const signedIn = await browser.newPage({ javaScriptEnabled: true });
      await signIn(signedIn, "manager@ojafresh.ng");
      await page.context().addCookies(await signedIn.context().cookies());
      await page.goto("/admin/stock");
      const nav = page.locator("#side-nav");
      await expect(nav).toBeHidden();
      await page.getByRole("button", { name: "Menu" }).click();
      await expect(nav).toBeVisible();
      await nav.getByRole("link", { name: "Products" }).click();
      await expect(page).toHaveURL(/\/admin\/products$/);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
    });
  });
});
