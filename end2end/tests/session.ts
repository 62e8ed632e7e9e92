import { expect, type Page } from "@playwright/test";
import { waitForHydration } from "./hydration";

export const DEMO_PASSWORD = "naija-demo-2026";

/** Signs in through the sign-in page and waits for the person's start page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, start = "/admin/login") {
  await page.goto(start);
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await waitForHydration(page);
}
