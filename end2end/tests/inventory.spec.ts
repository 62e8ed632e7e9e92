import { expect, test } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { signIn } from "./session";

test("a product made with variants, received into stock, shows as available on the storefront at once", async ({ browser }) => {
  const stamp = Date.now().toString(36).toUpperCase();
  const name = `Adire Scarf ${stamp}`;

  const manager = await browser.newPage();
  await signIn(manager, "manager@ojafresh.ng");
  await manager.goto("/admin/products/new");
  await waitForHydration(manager);
  await manager.getByLabel("Name", { exact: true }).fill(name);
  await manager.getByLabel("Brand").fill("Abeokuta Dyers");
  await manager.getByLabel("Status").selectOption("active");
  await manager.locator("#option-0-name").fill("Colour");
  await manager.locator("#option-0-values").fill("Indigo, Rust");
  await manager.getByRole("button", { name: "Make the variants" }).click();
  await expect(manager.getByTestId("variant-row")).toHaveCount(2);
  await manager.locator("#variants-0-sku").fill(`ADR-${stamp}-IND`);
  await manager.locator("#variants-1-sku").fill(`ADR-${stamp}-RST`);
  await manager.locator("#variants-0-price").fill("7,500");
  await manager.locator("#variants-1-price").fill("cheap");
  await manager.getByRole("button", { name: "Save product" }).click();
  await expect(manager.getByRole("alert").filter({ hasText: "enter an amount such as 1500" })).toBeVisible();
  await manager.locator("#variants-1-price").fill("7500");
  await manager.getByRole("button", { name: "Save product" }).click();
  await expect(manager).toHaveURL(/\/admin\/products\/[0-9a-f-]{36}$/);
  await expect(manager.getByRole("heading", { level: 1, name })).toBeVisible();

  // A shopper is looking at the storefront before the goods arrive.
  const shopper = await (await browser.newContext()).newPage();
  await shopper.goto(`/store/ojafresh?q=${encodeURIComponent(name)}`);
  await waitForHydration(shopper);
  const card = shopper.getByTestId("shop-item").filter({ hasText: name });
  await expect(card.getByTestId("availability")).toHaveText("Sold out");

  await manager.goto("/admin/stock/receipts");
  await waitForHydration(manager);
  await manager.getByLabel("Arrived at").selectOption({ label: "Lekki Phase 1" });
  await manager.getByLabel("Supplier").fill("Itoku Market");
  await manager.getByLabel("Items").fill(`ADR-${stamp}-IND 3 4200\nNO-SUCH-SKU 1 100`);
  await manager.getByRole("button", { name: "Receive" }).click();
  await expect(manager.getByText("line 2: no product has the SKU or barcode NO-SUCH-SKU")).toBeVisible();
  await manager.getByLabel("Items").fill(`ADR-${stamp}-IND 3 4200\nadr-${stamp}-rst 12 4200`);
  await manager.getByRole("button", { name: "Receive" }).click();
  await expect(manager.getByTestId("received")).toContainText("Received 2 items (15 units), receipt R-");
  await expect(manager.getByLabel("Items")).toHaveValue("");

  // Without reloading, the shopper's page now says the scarf can be bought.
  await expect(card.getByTestId("availability")).toHaveText("In stock");

  // The stock page shows the new levels, and follows a sale made elsewhere.
  await manager.goto(`/admin/stock?search=ADR-${stamp}-IND`);
  await waitForHydration(manager);
  const row = manager.locator(`[data-testid=stock-row][data-sku="ADR-${stamp}-IND"][data-location="Lekki Phase 1"]`);
  await expect(row.getByTestId("on-hand")).toHaveText("3");
  const history = await row.getByRole("link").getAttribute("href");
  const clerk = await (await browser.newContext()).newPage();
  await signIn(clerk, "owner@ojafresh.ng");
  await clerk.goto(history!);
  await waitForHydration(clerk);
  await clerk.getByLabel("Change (units)").fill("-1");
  await clerk.getByLabel("Why").fill("torn at the hem");
  await clerk.getByRole("button", { name: "Adjust" }).click();
  await expect(clerk.getByTestId("movement").first()).toContainText("torn at the hem");
  await expect(row.getByTestId("on-hand")).toHaveText("2");
  await expect(row.getByTestId("available")).toHaveText("2");
});

test("a CSV with a bad row is refused whole, with the line and column named", async ({ page }) => {
  const stamp = Date.now().toString(36).toUpperCase();
  await signIn(page, "owner@ojafresh.ng");
  await page.goto("/admin/products/import");
  await waitForHydration(page);
  const csv = [
    "name,sku,price,brand",
    `Ewa Agoyin Beans ${stamp},EWA-${stamp},1500,Iya Basira`,
    `Ofada Sauce ${stamp},OFS-${stamp},two thousand,Iya Basira`,
  ].join("\n");
  await page.getByLabel("CSV file").setInputFiles({ name: "products.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("The file has problems: nothing was imported.");
  // A file that came to nothing does not fill its bar in the colour of success.
  await expect(report.locator("progress")).toHaveClass(/progress-failed/);
  await expect(page.getByTestId("import-counts")).toHaveText("2 rows (variants) read; nothing was imported.");
  const problem = page.getByTestId("import-error");
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText("3");
  await expect(problem).toContainText("price");

  await page.getByLabel("CSV file").setInputFiles({
    name: "products.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv.replace("two thousand", "2000")),
  });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(report).toContainText("Imported.");
  await expect(report.locator("progress")).not.toHaveClass(/progress-failed/);
  await expect(page.getByTestId("import-counts")).toHaveText("2 rows (variants) read: 2 products created, 0 updated.");
  await page.goto(`/admin/products?search=${encodeURIComponent(`Ofada Sauce ${stamp}`)}`);
  await expect(page.getByTestId("product-row").filter({ hasText: `Ofada Sauce ${stamp}` })).toHaveCount(1);
});

test("the templates import as they are, and files open in a spreadsheet as UTF-8", async ({ page }) => {
  await signIn(page, "owner@ojafresh.ng");
  await page.goto("/admin/products/import");
  await waitForHydration(page);
  const download = (path: string) => page.request.get(path).then(async (r) => {
    expect(r.status(), path).toBe(200);
    return Buffer.from(await r.body());
  });
  // A byte-order mark first, so that Excel reads "Nestlé" and "₦" as they are.
  const exported = await download("/admin/export/products.csv");
  expect([...exported.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(exported.subarray(3, 12).toString()).toBe("name,sku,");
  expect(exported.toString("utf8")).toContain("Nestlé");

  await expect(page.getByRole("link", { name: "Download a template" })).toHaveAttribute("href", "/admin/export/products-template.csv");
  const template = await download("/admin/export/products-template.csv");
  expect([...template.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  await page.getByLabel("CSV file").setInputFiles({ name: "products-template.csv", mimeType: "text/csv", buffer: template });
  await page.getByRole("button", { name: "Preview" }).click();
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("Preview: the file is good.");
  await expect(page.getByTestId("import-counts")).toHaveText("2 rows (variants) read: 1 product to create, 0 to update.");

  await page.getByLabel("The file holds").selectOption("stock");
  await expect(page.getByRole("link", { name: "Download a template" })).toHaveAttribute("href", "/admin/export/stock-template.csv");
  expect((await download("/admin/export/stock-template.csv")).toString("utf8")).toContain("sku,location,on_hand");
});

test("a picture uploaded in the editor is resized and shown, and a file that is not one is refused beside the field", async ({ page }) => {
  const stamp = Date.now().toString(36).toUpperCase();
  await signIn(page, "owner@ojafresh.ng");
  await page.goto("/admin/products/new");
  await waitForHydration(page);
  await expect(page.getByText("Save the product first, then add its pictures.")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(`Zobo Drink ${stamp}`);
  await page.locator("#variants-0-sku").fill(`ZOBO-${stamp}`);
  await page.locator("#variants-0-price").fill("800");
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page).toHaveURL(/\/admin\/products\/[0-9a-f-]{36}$/);
  await waitForHydration(page);

  const upload = page.getByTestId("picture-upload");
  await upload.getByLabel("Picture").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a picture") });
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByText("this is not a picture we can read")).toBeVisible();

  // A real picture: a PNG of part of this very page.
  const shot = await page.screenshot({ clip: { x: 0, y: 0, width: 640, height: 360 } });
  await upload.getByLabel("Picture").setInputFiles({ name: "zobo.png", mimeType: "image/png", buffer: shot });
  await upload.getByLabel("What it shows").fill("A chilled bottle of zobo");
  await upload.getByRole("button", { name: "Upload" }).click();
  const picture = page.getByTestId("picture");
  await expect(picture).toHaveCount(1);
  await expect(picture.getByText("Main picture · 640 × 360 px")).toBeVisible();
  const image = picture.getByRole("img", { name: "A chilled bottle of zobo" });
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(400);

  // Still there after a reload, and removable.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByTestId("picture")).toHaveCount(1);
  await page.getByTestId("picture").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("picture")).toHaveCount(0);
  await expect(page.getByText("No pictures yet.")).toBeVisible();
});

test("abandoning a count asks first, and only the second press abandons it", async ({ page }) => {
  const stamp = Date.now().toString(36);
  await signIn(page, "owner@ojafresh.ng");
  await page.goto("/admin/stock/counts");
  await waitForHydration(page);
  await page.getByLabel("Location").selectOption({ label: "Lekki Phase 1" });
  await page.getByLabel("Note").fill(`shelf check ${stamp}`);
  await page.getByRole("button", { name: "Start count" }).click();
  await expect(page).toHaveURL(/\/admin\/stock\/counts\/[0-9a-f-]{36}$/);
  await waitForHydration(page);
  await expect(page.getByText("Counting", { exact: true })).toBeVisible();
  await page.getByText("Abandon count", { exact: true }).click();
  await expect(page.getByText("What was typed is thrown away and no stock changes.")).toBeVisible();
  await expect(page.getByText("Counting", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Yes, abandon it" }).click();
  await expect(page.getByText("Cancelled", { exact: true })).toBeVisible();
});

test("an alert at nothing available says out of stock, not low", async ({ page }) => {
  await signIn(page, "manager@ojafresh.ng");
  await page.goto("/admin/stock/alerts");
  const alerts = page.getByTestId("alert");
  await expect(alerts.first()).toBeVisible();
  const out = alerts.filter({ hasText: "Out of stock" });
  await expect(out.first()).toBeVisible();
  for (const row of await out.all()) {
    expect(Number(await row.getAttribute("data-available"))).toBeLessThanOrEqual(0);
  }
  for (const row of await alerts.filter({ hasText: /\bLow\b/ }).all()) {
    expect(Number(await row.getAttribute("data-available"))).toBeGreaterThan(0);
  }
});

/** "4 Dec 2026 14:05": an instant as the pages show it, on Lagos' clock. */
function lagosTime(iso: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Africa/Lagos", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part("day")} ${part("month")} ${part("year")} ${part("hour")}:${part("minute")}`;
}

test("a receipt pressed twice is booked once, opens by its number on Lagos time, and can be voided", async ({ browser }) => {
  const stamp = Date.now().toString(36).toUpperCase();
  const page = await browser.newPage();
  await signIn(page, "manager@ojafresh.ng");
  await page.goto("/admin/stock");
  const first = page.getByTestId("stock-row").first();
  const sku = (await first.getAttribute("data-sku"))!;
  const place = (await first.getAttribute("data-location"))!;
  const onHand = async () => {
    await page.goto(`/admin/stock?search=${encodeURIComponent(sku)}`);
    const row = page.locator(`[data-testid=stock-row][data-sku="${sku}"][data-location="${place}"]`);
    return Number(await row.getByTestId("on-hand").textContent());
  };
  const before = await onHand();

  // An item typed twice is refused beside the lines, naming it, and nothing typed is lost.
  await page.goto("/admin/stock/receipts");
  await waitForHydration(page);
  await page.getByLabel("Arrived at").selectOption({ label: place });
  await page.getByLabel("Supplier").fill(`Olam ${stamp}`);
  await page.getByLabel("Items").fill(`${sku} 7 1000\n${sku} 2 1000`);
  await page.getByRole("button", { name: "Receive" }).click();
  await expect(page.getByText(`${sku}: this item is listed twice`)).toBeVisible();
  await expect(page.getByLabel("Items")).toHaveValue(`${sku} 7 1000\n${sku} 2 1000`);
  await expect(page.getByLabel("Supplier")).toHaveValue(`Olam ${stamp}`);

  // A double click on "Receive" books the delivery once, says what was done and empties the form.
  await page.getByLabel("Items").fill(`${sku} 7 1000`);
  await page.getByRole("button", { name: "Receive" }).dblclick();
  const done = page.getByTestId("received");
  await expect(done).toContainText(/Received 7 × .+, receipt R-\d{4}/);
  await expect(page.getByLabel("Items")).toHaveValue("");
  await expect(page.getByTestId("receipt").filter({ hasText: `Olam ${stamp}` })).toHaveCount(1);
  const number = (await done.getByRole("link").textContent())!;
  expect(await onHand()).toBe(before + 7);

  // Without the script, a browser that sends the same form twice books it once too.
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const form = await plain.newPage();
  await form.goto("/admin/stock/receipts");
  const key = await form.locator("input[name=submission]").getAttribute("value");
  expect(key).toMatch(/^[0-9a-f-]{36}$/);
  const location = await form.getByLabel("Arrived at").locator("option", { hasText: place }).getAttribute("value");
  const fields = { location: location!, supplier: `Dangote ${stamp}`, reference: "", lines: `${sku} 2 900`, submission: key! };
  for (let i = 0; i < 2; i++) {
    const sent = await form.request.post("/rpc/receive_stock", { form: fields, maxRedirects: 0 });
    expect(sent.status()).toBeLessThan(400);
  }
  await form.goto("/admin/stock/receipts");
  await expect(form.getByTestId("receipt").filter({ hasText: `Dangote ${stamp}` })).toHaveCount(1);
  expect(await onHand()).toBe(before + 9);

  // The receipt has a page, found by its number, with times on the business's (Lagos) clock.
  await page.goto("/admin/stock/receipts");
  await page.getByTestId("receipt").filter({ hasText: `Olam ${stamp}` }).getByRole("link", { name: number }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Receipt ${number}` })).toBeVisible();
  const when = page.locator("time").first();
  expect(await when.textContent()).toBe(lagosTime((await when.getAttribute("datetime"))!));
  await expect(page.getByRole("row").filter({ hasText: sku })).toContainText("7");

  // Voided: its units go back out, and the stock's history names it by number with a link.
  await waitForHydration(page);
  await page.getByText("Void this receipt").click();
  await page.getByLabel("Why").fill("typed into the wrong shop");
  await page.getByRole("button", { name: `Void ${number}` }).click();
  await expect(page.getByTestId("voided")).toContainText("typed into the wrong shop");
  expect(await onHand()).toBe(before + 2);
  await page.locator(`[data-testid=stock-row][data-sku="${sku}"][data-location="${place}"]`).getByRole("link").first().click();
  const voiding = page.getByTestId("movement").filter({ hasText: `receipt ${number} voided` });
  await expect(voiding).toHaveCount(1);
  await expect(voiding.getByRole("link", { name: `receipt ${number} voided` })).toHaveAttribute("href", /\/admin\/stock\/receipts\//);
});

test("the product editor keeps what was typed before its script ran, proposes SKUs, writes naira as people do, and asks before deleting", async ({ page }) => {
  const stamp = Date.now().toString(36).toUpperCase();
  await signIn(page, "manager@ojafresh.ng");
  // The script arrives only once the name and brand are typed, as on a slow connection.
  let release!: () => void;
  const typedFirst = new Promise<void>((resolve) => { release = resolve; });
  await page.route(/\/pkg\/.*\.wasm$/, async (route) => { await typedFirst; await route.continue(); });
  await page.goto("/admin/products/new");
  await page.getByLabel("Name", { exact: true }).fill(`Kampala Tote ${stamp}`);
  await page.getByLabel("Brand").fill("Aba Made");
  release();
  await waitForHydration(page);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`Kampala Tote ${stamp}`);
  await expect(page.getByLabel("Brand")).toHaveValue("Aba Made");

  // A form with several mistakes names every one of them beside its field.
  await page.getByLabel("Name", { exact: true }).fill("");
  await page.locator("#variants-0-sku").fill("");
  await page.locator("#variants-0-price").fill("500");
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "give the product a name" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "use 1 to 64 letters" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "2 fields need mending" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(`Kampala Tote ${stamp}`);

  // Variants get SKUs made from the product's name and their values, which can be changed.
  await page.locator("#option-0-name").fill("Colour");
  await page.locator("#option-0-values").fill("Sky blue, Red");
  await page.getByRole("button", { name: "Make the variants" }).click();
  await expect(page.locator("#variants-0-sku")).toHaveValue("KAMPALA-TOTE-" + stamp + "-SKYBLUE");
  await expect(page.locator("#variants-1-sku")).toHaveValue("KAMPALA-TOTE-" + stamp + "-RED");
  await page.locator("#variants-0-price").fill("₦11,200");
  await page.locator("#variants-1-price").fill("11,200.00");
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page).toHaveURL(/\/admin\/products\/[0-9a-f-]{36}$/);
  await waitForHydration(page);
  await expect(page.locator("#variants-0-price")).toHaveValue("11,200");

  // Delete asks first; a product that has had stock is kept, with the advice to archive it.
  await page.goto(`/admin/stock/receipts`);
  await waitForHydration(page);
  await page.getByLabel("Items").fill(`KAMPALA-TOTE-${stamp}-RED 2 ₦7,000`);
  await page.getByRole("button", { name: "Receive" }).click();
  await expect(page.getByTestId("received")).toContainText("Received 2 × Kampala Tote");
  await page.goto(`/admin/products?search=${encodeURIComponent(`Kampala Tote ${stamp}`)}`);
  await page.getByRole("link", { name: `Kampala Tote ${stamp}` }).first().click();
  await waitForHydration(page);
  await expect(page.getByRole("button", { name: "Delete for good" })).toBeHidden();
  await page.getByText("Delete…").click();
  await page.getByRole("button", { name: "Delete for good" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /archive/i })).toBeVisible();
});

test("an alert's row opens the item, and reordering starts a receipt with the item and quantity filled in", async ({ page }) => {
  await signIn(page, "manager@ojafresh.ng");
  // An item of its own among the demo's (other tests take the first and the last on the page).
  await page.goto("/admin/stock");
  const row = page.getByTestId("stock-row").nth(10);
  const sku = (await row.getAttribute("data-sku"))!;
  const place = (await row.getAttribute("data-location"))!;
  await row.getByRole("link").first().click();
  await waitForHydration(page);
  const onHand = Number(await page.getByRole("row").filter({ hasText: place }).locator("td").nth(1).textContent());
  expect(onHand, "the demo stocks every item").toBeGreaterThan(0);
  // The reorder point is typed first: the figures reloading after the adjustment leave it be.
  await page.locator("#reorder-location").selectOption({ label: place });
  await page.getByLabel("Alert at").fill("5");
  await page.getByLabel("Order").fill("24");
  await page.locator("#adjust-location").selectOption({ label: place });
  await page.getByLabel("Change (units)").fill(String(-onHand));
  await page.getByLabel("Why").fill("shelf cleared for the count");
  await page.getByRole("button", { name: "Adjust" }).click();
  await expect(page.getByTestId("adjusted")).toContainText("0 on hand there now");
  await expect(page.getByTestId("level").filter({ hasText: place }).locator("td").nth(1)).toHaveText("0");
  await expect(page.getByLabel("Alert at")).toHaveValue("5");
  await expect(page.locator("#reorder-location option:checked")).toHaveText(place);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("reorder-saved")).toContainText("An alert is raised there at 5 available; the reorder is 24");
  await expect(page.getByTestId("level").filter({ hasText: place }).locator("td").nth(4)).toHaveText("5");

  await page.goto("/admin/stock/alerts");
  const alert = page.getByTestId("alert").filter({ hasText: sku }).filter({ hasText: place });
  await expect(alert).toContainText("Out of stock");
  // The row itself opens the item's stock.
  await alert.click();
  await expect(page).toHaveURL(/\/admin\/stock\/variant\//);
  await page.goto("/admin/stock/alerts");
  await alert.getByRole("link", { name: "Reorder" }).click();
  await expect(page).toHaveURL(/\/admin\/stock\/receipts/);
  await expect(page.getByLabel("Items")).toHaveValue(`${sku} 24 `);
  await expect(page.getByLabel("Arrived at").locator("option:checked")).toHaveText(place);
  // With the cost added it is booked, and the form empties rather than going back to the reorder.
  await waitForHydration(page);
  await page.getByLabel("Items").fill(`${sku} 24 ₦1,250`);
  await page.getByRole("button", { name: "Receive" }).click();
  await expect(page.getByTestId("received")).toContainText("Received 24 × ");
  await expect(page.getByLabel("Items")).toHaveValue("");

});
