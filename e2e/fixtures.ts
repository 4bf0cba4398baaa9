import { randomUUID } from "node:crypto";
import { test as base, type Page } from "@playwright/test";

export const PASSWORD = "e2e correct horse battery";

export function newAccount(label: string) {
  const id = randomUUID().slice(0, 8);
  return { organisation: `${label} ${id}`, name: `${label} Owner`, email: `${label.toLowerCase().replace(/\W+/g, "-")}-${id}@example.test`, password: PASSWORD };
}

export type Account = ReturnType<typeof newAccount>;

export async function signUp(page: Page, account: Account) {
  await page.goto("/signup");
  await page.getByLabel("Organisation").fill(account.organisation);
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Work email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/t\/[^/]+$/);
  return page.url().split("/t/")[1]!;
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/t\//);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/signin/);
}

export const test = base;
export { expect } from "@playwright/test";
