import { expect, test } from "@playwright/test";
import { waitForHydration } from "./hydration";
import { letterTo, linkIn } from "./mail";
import { signIn } from "./session";

test("a new business signs up, invites a cashier, and the cashier sees only what a cashier may", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const owner = await browser.newPage();
  await owner.goto("/signup");
  await waitForHydration(owner);
  await owner.getByLabel("Business name").fill(`Chop Life Foods ${stamp}`);
  // A street address where the web address goes is refused with one made from the name, and
  // left empty the web address is made from the name.
  await owner.getByLabel("Web address").fill("12 Allen Avenue, Ikeja");
  await owner.getByLabel("Your name").fill("Ifeoma Nnaji");
  await owner.getByLabel("Your email").fill(`ifeoma+${stamp}@choplife.ng`);
  await owner.getByLabel("Password").fill("pepper-soup-friday");
  await owner.getByRole("button", { name: "Open my account" }).click();
  const webAddress = owner.locator(".field").filter({ has: owner.getByLabel("Web address") });
  await expect(webAddress).toContainText("not a street address");
  await expect(webAddress).toContainText(`chop-life-foods-${stamp}`);
  await owner.getByLabel("Web address").fill("");
  await owner.getByRole("button", { name: "Open my account" }).click();
  await expect(owner.getByTestId("signup-sent")).toBeVisible();
  const welcome = await letterTo(`ifeoma+${stamp}@choplife.ng`);
  await owner.goto(new URL(linkIn(welcome, "/signup/confirm/")).pathname);
  await waitForHydration(owner);
  await owner.getByRole("button", { name: "Open my business" }).click();
  await expect(owner).toHaveURL(/\/admin$/);
  await expect(owner.getByRole("heading", { level: 1, name: `Chop Life Foods ${stamp}` })).toBeVisible();
  // Its store is at the address made from its name, and its pages carry the shop's name alone.
  const store = await browser.newPage();
  await store.goto(`/store/chop-life-foods-${stamp}`);
  await expect(store).toHaveTitle(`Chop Life Foods ${stamp}`);
  await store.close();

  await owner.getByRole("link", { name: "Staff" }).click();
  await expect(owner).toHaveURL(/\/admin\/staff$/);
  await waitForHydration(owner);
  await owner.getByLabel("Email").fill(`kola+${stamp}@choplife.ng`);
  await owner.getByLabel("Role", { exact: true }).selectOption("cashier");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  const link = await owner.getByTestId("invitation-link").inputValue();
  expect(link).toMatch(/\/admin\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(owner.getByTestId("invitation").filter({ hasText: `kola+${stamp}@choplife.ng` })).toBeVisible();
  await owner.getByRole("link", { name: "Sent messages" }).click();
  const kept = owner.getByTestId("message").filter({ hasText: `kola+${stamp}@choplife.ng` });
  await expect(kept).toContainText("not kept here");
  await expect(kept).not.toContainText(link);
  expect(linkIn(await letterTo(`kola+${stamp}@choplife.ng`), "/admin/invite/")).toBe(link);

  const cashier = await browser.newPage();
  await cashier.goto(new URL(link).pathname);
  await waitForHydration(cashier);
  await expect(cashier.getByRole("heading", { name: `Join Chop Life Foods ${stamp}` })).toBeVisible();
  await cashier.getByLabel("Your name").fill("Kola Ade");
  await cashier.getByLabel("Choose a password").fill("short");
  await cashier.getByRole("button", { name: "Join the team" }).click();
  await expect(cashier.getByText("use at least 10 characters")).toBeVisible();
  await cashier.getByLabel("Choose a password").fill("suya-by-the-roadside");
  await cashier.getByRole("button", { name: "Join the team" }).click();
  await expect(cashier).toHaveURL(/\/pos$/);
  await expect(cashier.getByRole("heading", { name: "Enrol this till" })).toBeVisible({ timeout: 30_000 });

  // The owner binds the cashier to the shop they work in; the staff page says so at once.
  await owner.goto("/admin/staff");
  await waitForHydration(owner);
  const kola = owner.locator("tbody tr").filter({ hasText: `kola+${stamp}@choplife.ng` });
  await expect(kola.getByLabel(/^Where Kola Ade works/)).toHaveText("Every location");
  await kola.getByLabel(/^Where Kola Ade works/).click();
  await kola.getByLabel("Main shop").check();
  await Promise.all([
    owner.waitForResponse((r) => r.url().includes("/rpc/bind_staff_locations") && r.ok()),
    kola.getByRole("button", { name: "Save" }).click(),
  ]);
  await expect(kola.getByLabel(/^Where Kola Ade works/)).toHaveText("Main shop");

  // Signed out and in again, the cashier's world is the till: the back office is not theirs.
  await cashier.context().clearCookies();
  await signIn(cashier, `kola+${stamp}@choplife.ng`, "suya-by-the-roadside");
  await expect(cashier).toHaveURL(/\/pos$/);
  const refused = await cashier.goto("/admin/staff");
  expect(refused?.status()).toBe(403);
  await expect(cashier.getByRole("heading", { name: "This page isn't available to you" })).toBeVisible();
  await expect(cashier.getByText("Your role, cashier, does not include this page.")).toBeVisible();

  // Promoted to manager, the same person may open the staff page at their next request.
  await owner.goto("/admin/staff");
  await waitForHydration(owner);
  const row = owner.locator("tbody tr").filter({ hasText: `kola+${stamp}@choplife.ng` });
  await row.getByLabel("Role of Kola Ade").selectOption("manager");
  await Promise.all([
    owner.waitForResponse((r) => r.url().includes("/rpc/change_staff_role") && r.ok()),
    row.getByRole("button", { name: "Change" }).click(),
  ]);
  await owner.goto("/admin/audit?entity=staff");
  await expect(owner.locator("tbody tr").filter({ hasText: "role changed" })).toHaveCount(1);
  const allowed = await cashier.goto("/admin/staff");
  expect(allowed?.status()).toBe(200);
  await expect(cashier.getByRole("heading", { level: 1, name: "Staff" })).toBeVisible();

  // Deactivating asks again, saying what it does; only the second press does it.
  await owner.goto("/admin/staff");
  await waitForHydration(owner);
  const kolaRow = owner.locator("tbody tr").filter({ hasText: `kola+${stamp}@choplife.ng` });
  await kolaRow.getByLabel("Deactivate Kola Ade").click();
  await expect(kolaRow.getByText("They are signed out at once")).toBeVisible();
  await expect(kolaRow.getByText("Active", { exact: true })).toBeVisible();
  await Promise.all([
    owner.waitForResponse((r) => r.url().includes("/rpc/set_staff_active") && r.ok()),
    kolaRow.getByRole("button", { name: "Yes, deactivate" }).click(),
  ]);
  await expect(kolaRow.getByText("Deactivated", { exact: true })).toBeVisible();
});

test("an invitation is sent again with a new link, or revoked, and old links stop working", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const page = await browser.newPage();
  await signIn(page, "owner@ojafresh.ng");
  await page.goto("/admin/staff");
  await waitForHydration(page);
  const email = `amaka+${stamp}@example.ng`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("cashier");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const first = await page.getByTestId("invitation-link").inputValue();
  const row = page.getByTestId("invitation").filter({ hasText: email });
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/rpc/resend_staff_invitation") && r.ok()),
    row.getByRole("button", { name: `Send the invitation to ${email} again` }).click(),
  ]);
  const second = await page.getByTestId("resent-link").inputValue();
  expect(second).toMatch(/\/admin\/invite\/[A-Za-z0-9_-]{43}$/);
  expect(second).not.toBe(first);
  expect(linkIn(await letterTo(email), "/admin/invite/")).toBe(second);

  const visitor = await browser.newPage();
  await visitor.goto(new URL(first).pathname);
  await expect(visitor.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await visitor.goto(new URL(second).pathname);
  await expect(visitor.getByRole("heading", { name: /^Join / })).toBeVisible();

  await row.getByLabel(`Revoke the invitation to ${email}`).click();
  await expect(row.getByText("Its link stops working at once.")).toBeVisible();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/rpc/revoke_staff_invitation") && r.ok()),
    row.getByRole("button", { name: "Yes, revoke it" }).click(),
  ]);
  await expect(page.getByTestId("invitation").filter({ hasText: email })).toHaveCount(0);
  await visitor.goto(new URL(second).pathname);
  await expect(visitor.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
});

test("each role's navigation lists only the pages it may open", async ({ page }) => {
  await signIn(page, "accounts@ojafresh.ng");
  const nav = page.locator("#side-nav");
  await expect(nav.getByRole("link", { name: "Dashboard" })).toBeAttached();
  await expect(nav.getByRole("link", { name: "Staff" })).toBeAttached();
  await expect(nav.getByRole("link", { name: "Platform" })).toHaveCount(0);
  await page.goto("/admin/staff");
  await waitForHydration(page);
  await expect(page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await expect(page.getByText("Deactivate", { exact: true })).toHaveCount(0);
  await expect(page.getByText("Revoke", { exact: true })).toHaveCount(0);
});

test("a wrong password is explained next to the form", async ({ page }) => {
  await page.goto("/admin/login");
  await waitForHydration(page);
  await page.getByLabel("Email").fill("manager@ojafresh.ng");
  await page.getByLabel("Password").fill("this-is-not-it");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The email or password is not right." })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/login/);
});

test("the audit trail records an invitation and filters by kind of record", async ({ page }) => {
  await signIn(page, "owner@gadgetmarket.ng");
  await page.goto("/admin/staff");
  await waitForHydration(page);
  const email = `audit+${Date.now().toString(36)}@example.ng`;
  await page.getByLabel("Email").fill(email);
  // A marketplace also invites staff for one of its vendors.
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Staff of Ikeja Accessories Plaza" });
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invitation-link")).toBeVisible();
  await expect(page.getByTestId("invitation").filter({ hasText: email })).toContainText("Staff of Ikeja Accessories Plaza");

  await page.goto("/admin/audit?entity=invitation");
  await waitForHydration(page);
  const row = page.locator("table tbody tr").filter({ hasText: email });
  await expect(row).toContainText("invitation created");
  await expect(row).toContainText("Chidi Nwosu");
  await page.goto("/admin/audit?entity=business");
  await expect(page.locator("table tbody tr").filter({ hasText: email })).toHaveCount(0);
  await page.goto("/admin/audit?from=yesterday");
  await expect(page.getByRole("alert")).toContainText("use a date such as 2026-11-25");
});

test("a person sees their sessions and must know their password to change it", async ({ page }) => {
  await signIn(page, "manager@ojafresh.ng");
  await page.getByTestId("signed-in-as").click();
  await expect(page).toHaveURL(/\/admin\/account$/);
  await waitForHydration(page);
  await expect(page.getByTestId("session").filter({ hasText: "this browser" })).toHaveCount(1);
  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel("New password").fill("egusi-and-pounded-yam");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("this is not your current password")).toBeVisible();
});

test("the owner makes an API client whose secret works once shown, and the API is documented", async ({ page, request }) => {
  await signIn(page, "owner@ojafresh.ng");
  await page.goto("/admin/api-clients");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Create client" }).click();
  await expect(page.getByText("give the client a name")).toBeVisible();
  await page.getByLabel("Name").fill("Delivery partner");
  await page.getByLabel("settings:read").check();
  await page.getByRole("button", { name: "Create client" }).click();
  const id = await page.getByTestId("client-id").inputValue();
  const secret = await page.getByTestId("client-secret").inputValue();
  expect(id).toMatch(/^sc1_/);

  const issued = await request.post("/api/v1/oauth/token", {
    form: { grant_type: "client_credentials", client_id: id, client_secret: secret },
  });
  expect(issued.status()).toBe(200);
  const { access_token } = await issued.json();
  const settings = await request.get("/api/v1/settings", { headers: { Authorization: `Bearer ${access_token}` } });
  expect((await settings.json()).name).toBe("Oja Fresh Supermarket");

  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { name: "SC-1 Commerce Suite API" })).toBeVisible();
  await expect(page.getByText("/api/v1/locations").first()).toBeVisible();

  // Revoking asks first, then the secret no longer gets a token.
  await page.goto("/admin/api-clients");
  await waitForHydration(page);
  await page.getByLabel("Revoke Delivery partner").click();
  await expect(page.getByText("Revoke Delivery partner? Its tokens stop working at once")).toBeVisible();
  await page.getByRole("button", { name: "Yes, revoke it" }).click();
  await expect(page.getByRole("row").filter({ hasText: id })).toContainText("Revoked");
  const refused = await request.post("/api/v1/oauth/token", {
    form: { grant_type: "client_credentials", client_id: id, client_secret: secret },
  });
  expect(refused.status()).toBe(401);
});

test("the owner changes VAT and adds a warehouse; the accountant sees the settings but cannot change them", async ({ browser }) => {
  const owner = await browser.newPage();
  await signIn(owner, "owner@gadgetmarket.ng");
  await owner.goto("/admin/settings");
  await waitForHydration(owner);
  await owner.getByLabel("Time zone").selectOption("Africa/Nairobi");
  await owner.getByLabel("VAT (%)").fill("seven");
  await owner.getByRole("button", { name: "Save settings" }).click();
  await expect(owner.getByText("enter a percentage from 0 to 99.9999")).toBeVisible();
  // Refused, the form keeps what was typed and chosen rather than going back to what is saved.
  await expect(owner.getByLabel("VAT (%)")).toHaveValue("seven");
  await expect(owner.getByLabel("Time zone")).toHaveValue("Africa/Nairobi");
  await owner.getByLabel("VAT (%)").fill("7.5");
  await owner.getByLabel("Time zone").selectOption("Africa/Lagos");
  await owner.getByRole("button", { name: "Save settings" }).click();
  await expect(owner.getByText("Settings saved.")).toBeVisible();
  const name = `Ikorodu depot ${Date.now().toString(36)}`;
  await owner.getByLabel("Location name").fill(name);
  await owner.getByLabel("Kind").selectOption("warehouse");
  await owner.getByRole("button", { name: "Add location" }).click();
  await expect(owner.getByText(name)).toBeVisible();

  const accountant = await browser.newPage();
  await signIn(accountant, "accounts@ojafresh.ng");
  await accountant.goto("/admin/settings");
  await waitForHydration(accountant);
  await expect(accountant.getByLabel("Name")).toBeDisabled();
  await expect(accountant.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await expect(accountant.getByText(name)).toHaveCount(0);
});

test("a shopper opens an account at a store, signs out and back in", async ({ page }) => {
  const email = `shopper+${Date.now().toString(36)}@example.ng`;
  await page.goto("/store/ojafresh");
  await waitForHydration(page);
  await page.getByRole("link", { name: "Account" }).click();
  await expect(page).toHaveURL(/\/store\/ojafresh\/account$/);
  await waitForHydration(page);
  await page.getByLabel("Your name").fill("Ngozi Eze");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Choose a password").fill("1234567890");
  await page.getByRole("button", { name: "Open my account" }).click();
  await expect(page.getByText("this password is too common")).toBeVisible();
  await page.getByLabel("Choose a password").fill("moi-moi-and-pap-22");
  await page.getByRole("button", { name: "Open my account" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Ngozi Eze" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/store\/ojafresh$/);

  await page.goto("/store/ojafresh/account");
  await waitForHydration(page);
  await page.locator("#login_email").fill(email);
  await page.locator("#login_password").fill("moi-moi-and-pap-22");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Ngozi Eze" })).toBeVisible();
  // The account is the store's own: the back office stays closed to a shopper.
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin/);
  await expect(page.getByRole("heading", { name: "This page isn't available to you" })).toBeVisible();
});

test("a form pressed twice, or sent twice by the browser, acts once", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const page = await browser.newPage();
  await signIn(page, "owner@ojafresh.ng");

  // A double click on "Send invitation": one invitation, its link shown.
  await page.goto("/admin/staff");
  await waitForHydration(page);
  const email = `chidi+${stamp}@example.ng`;
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send invitation" }).dblclick();
  await expect(page.getByTestId("invitation-link")).toHaveValue(/\/admin\/invite\//);
  await expect(page.getByTestId("invitation").filter({ hasText: email })).toHaveCount(1);

  // Without the script, a browser that sends a form twice sends its one-time key twice: one
  // API client, one category.
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const form = await plain.newPage();
  const twice = async (path: string, rpc: string, fields: Record<string, string>) => {
    await form.goto(path);
    const submission = (await form.locator(`form[action$="${rpc}"] input[name=submission]`).first().getAttribute("value"))!;
    expect(submission).toMatch(/^[0-9a-f-]{36}$/);
    for (let i = 0; i < 2; i++) {
      const sent = await form.request.post(rpc, {
        form: { ...fields, submission },
        headers: { Accept: "text/html", Referer: form.url() },
        maxRedirects: 0,
      });
      expect(sent.status()).toBe(303);
      expect(sent.headers()["location"]).not.toContain("__err");
    }
  };
  await twice("/admin/api-clients", "/rpc/create_api_client", { name: `Sage export ${stamp}`, "scopes[0]": "settings:read" });
  await form.goto("/admin/api-clients");
  await expect(form.getByRole("cell", { name: `Sage export ${stamp}`, exact: true })).toHaveCount(1);
  await twice("/admin/categories", "/rpc/add_category", { name: `Palm oil ${stamp}`, parent: "" });
  await form.goto("/admin/categories");
  await expect(form.getByTestId("category").locator("td:first-child", { hasText: `Palm oil ${stamp}` })).toHaveCount(1);
  await plain.close();
});
