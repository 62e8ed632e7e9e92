import { expect, test, type Page } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

/** The widgets of the dashboard on `page`, in the order shown. */
async function widgets(page: Page): Promise<string[]> {
  return page.getByTestId("widgets").locator("[data-widget]").evaluateAll((all) => all.map((w) => w.getAttribute("data-widget")!));
}

test("a sale on the storefront moves the dashboard open in another browser within seconds", async ({ browser }) => {
  const office = await browser.newContext();
  const dashboard = await office.newPage();
  await signIn(dashboard, "owner@ojafresh.ng");
  await dashboard.goto("/admin?span=today");
  await waitForHydration(dashboard);
  await expect(dashboard.getByTestId("live")).toHaveAttribute("data-live", "true");
  const ordersBefore = Number(await dashboard.getByTestId("orders").textContent());
  // The page must not be loaded again: what is set on it now must still be there after.
  await dashboard.evaluate(() => ((window as unknown as { kept: boolean }).kept = true));

  // A shopper in a browser of their own buys the first product in stock, paying on delivery.
  const shopper = await (await browser.newContext()).newPage();
  await shopper.goto("/store/ojafresh");
  const card = shopper.getByTestId("shop-item").filter({ has: shopper.getByTestId("availability").filter({ hasText: "In stock" }) }).first();
  await shopper.goto((await card.getByRole("link").getAttribute("href"))!);
  await shopper.getByTestId("add-to-cart").click();
  await expect(shopper).toHaveURL(/\/cart$/);
  await shopper.getByTestId("to-checkout").click();
  await shopper.getByLabel("Your name").fill("Ada Obi");
  await shopper.getByLabel("Mobile number").fill("0803 123 4567");
  await shopper.getByLabel("Deliver to me").check();
  await shopper.getByLabel("Address (house number, street, landmark)").fill("12 Allen Avenue");
  await shopper.getByLabel("Town or area").fill("Ikeja");
  await shopper.getByLabel("State").selectOption("Lagos");
  await shopper.getByLabel(/Pay on delivery/).check();
  await shopper.getByTestId("place-order").click();
  await expect(shopper.getByText(/^Order #\d+$/)).toBeVisible();

  // No reload: the open dashboard hears of the sale and reads its figures again (other tests
  // may be selling at the same time, so at least one more).
  await expect
    .poll(async () => Number(await dashboard.getByTestId("orders").textContent()), { timeout: 5_000 })
    .toBeGreaterThan(ordersBefore);
  expect(await dashboard.evaluate(() => (window as unknown as { kept?: boolean }).kept)).toBe(true);
  await office.close();
});

test("a rearranged dashboard is kept for its person, and put back at their word", async ({ page }) => {
  await signIn(page, "accounts@ojafresh.ng");
  await page.goto("/admin");
  await waitForHydration(page);
  const start = await widgets(page);
  expect(start.slice(0, 2)).toEqual(["revenue", "vat"]);

  // The menu's buttons: VAT first, Revenue full width, Stock gone.
  const vat = page.locator('[data-widget="vat"]');
  await vat.getByText("Arrange").click();
  await vat.getByRole("button", { name: "Move VAT earlier" }).click();
  await expect.poll(() => widgets(page)).toEqual(["vat", "revenue", ...start.slice(2)]);
  const revenue = page.locator('[data-widget="revenue"]');
  await revenue.getByText("Arrange").click();
  await revenue.getByRole("button", { name: "Full width" }).click();
  await expect(page.locator('[data-widget="revenue"]')).toHaveClass(/widget-large/);
  const stock = page.locator('[data-widget="stock"]');
  await stock.getByText("Arrange").click();
  await stock.getByRole("button", { name: "Remove Stock" }).click();
  await expect(page.locator('[data-widget="stock"]')).toHaveCount(0);

  // Dragging one onto another puts it there (both in sight: a drag that scrolls the page starts
  // wherever the pointer lands after the scroll).
  await page.setViewportSize({ width: 1280, height: 1200 });
  await page.locator('[data-widget="average_order"]').dragTo(page.locator('[data-widget="vat"]'));
  await expect.poll(async () => (await widgets(page))[0]).toBe("average_order");

  await page.reload();
  await waitForHydration(page);
  const kept = await widgets(page);
  expect(kept.slice(0, 3)).toEqual(["average_order", "vat", "revenue"]);
  expect(kept).not.toContain("stock");
  await expect(page.locator('[data-widget="revenue"]')).toHaveClass(/widget-large/);

  // Added back, then the whole of it as the role has it.
  await page.getByRole("combobox", { name: "Add a widget" }).selectOption("stock");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.locator('[data-widget="stock"]')).toHaveCount(1);
  await page.getByRole("button", { name: "Back to the usual layout" }).click();
  await expect.poll(() => widgets(page)).toEqual(start);
});

test("the dashboard reads, links and rearranges with JavaScript off", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/admin/login?next=/admin");
  await page.getByLabel("Email").fill("manager@ojafresh.ng");
  await page.getByLabel("Password").fill("naija-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1, name: "Oja Fresh Supermarket" })).toBeVisible();
  await expect(page.getByText(/compared with/)).toBeVisible();
  await expect(page.getByTestId("revenue")).toHaveText(/₦[\d,]+\.\d\d/);

  // The chart is a picture with a title and a description, and its figures are a table.
  const chart = page.locator('svg[role="img"]').filter({ has: page.locator("title", { hasText: "Revenue by day" }) });
  await expect(chart).toHaveCount(1);
  await expect(chart.locator("desc")).toContainText("Revenue of each day");
  await page.locator('[data-widget="revenue_chart"]').getByText("Show as a table").click();
  await expect(page.locator('[data-widget="revenue_chart"] table tbody tr')).toHaveCount(7);

  // Another period by its link, and a figure opens the list behind it.
  await page.getByRole("link", { name: "Last 30 days" }).click();
  await expect(page).toHaveURL(/span=30d/);
  await expect(page.locator('[data-widget="revenue_chart"] table tbody tr')).toHaveCount(30);
  await page.getByTestId("stock-low").click();
  await expect(page).toHaveURL(/\/admin\/stock\/alerts$/);

  // The menu's buttons are forms: they work without a script too.
  await page.goto("/admin");
  const before = await widgets(page);
  const second = page.locator(`[data-widget="${before[1]}"]`);
  await second.getByText("Arrange").click();
  await second.getByRole("button", { name: /earlier$/ }).click();
  await page.goto("/admin");
  expect((await widgets(page)).slice(0, 2)).toEqual([before[1], before[0]]);
  await second.getByText("Arrange").click();
  await second.getByRole("button", { name: /later$/ }).click();
  await page.goto("/admin");
  expect((await widgets(page)).slice(0, 2)).toEqual(before.slice(0, 2));
  await context.close();
});
