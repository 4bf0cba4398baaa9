import { expect, newAccount, signIn, signOut, signUp, test } from "./fixtures";

test("a business signs up, and another tenant cannot open its settings", async ({ page }) => {
  const a = newAccount("Alpha");
  const tenantA = await signUp(page, a);
  await expect(page.getByTestId("tenant-name")).toHaveText(a.organisation);
  await page.reload();
  await expect(page.getByTestId("tenant-name")).toHaveText(a.organisation); // the session survives a reload
  await page.goto(`/t/${tenantA}/settings`);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await signOut(page);

  const b = newAccount("Bravo");
  await signUp(page, b);
  const response = await page.goto(`/t/${tenantA}/settings`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText(a.organisation)).toHaveCount(0);
});

test("signed-out visitors are sent to sign in and back", async ({ page }) => {
  const a = newAccount("Charlie");
  const tenant = await signUp(page, a);
  await signOut(page);
  await page.goto(`/t/${tenant}/settings`);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email").fill(a.email);
  await page.getByLabel("Password").fill(a.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant}/settings$`));
});

test("signup shows field errors and an existing email", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();

  const a = newAccount("Delta");
  await signUp(page, a);
  await signOut(page);
  await page.goto("/signup");
  await page.getByLabel("Organisation").fill("Someone Else");
  await page.getByLabel("Your name").fill("Eve");
  await page.getByLabel("Work email").fill(a.email);
  await page.getByLabel("Password").fill("another long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("We could not create an account with this email. If you already have one, sign in instead.")).toBeVisible();
});

test("the owner invites a member, who joins and cannot manage API keys", async ({ page, browser }) => {
  const owner = newAccount("Echo");
  const tenant = await signUp(page, owner);
  await page.goto(`/t/${tenant}/settings`);
  const memberEmail = `member-${Date.now()}@example.test`;
  await page.getByLabel("Email").fill(memberEmail);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toContain("/invite/");

  const context = await browser.newContext();
  const memberPage = await context.newPage();
  await memberPage.goto(link);
  await expect(memberPage.getByRole("heading", { name: `Join ${owner.organisation}` })).toBeVisible();
  await memberPage.getByLabel("Your name").fill("Mia Member");
  await memberPage.getByLabel("Choose a password").fill("member password 123");
  await memberPage.getByRole("button", { name: "Join" }).click();
  await memberPage.waitForURL(new RegExp(`/t/${tenant}$`));
  await memberPage.goto(`/t/${tenant}/settings`);
  await expect(memberPage.getByText("Only owners can create and revoke API keys.")).toBeVisible();
  await expect(memberPage.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
  await context.close();

  await page.reload();
  await expect(page.getByTestId("member-row")).toHaveCount(2);
  await expect(page.getByTestId("member-row").filter({ hasText: "Mia Member" })).toBeVisible();
});

test("an API key is shown once, works, and stops working when revoked", async ({ page, request }) => {
  const owner = newAccount("Foxtrot");
  const tenant = await signUp(page, owner);
  await page.goto(`/t/${tenant}/settings`);
  await page.getByLabel("Key name").fill("CRM sync");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").inputValue();
  expect(key).toMatch(/^fdk_live_/);

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).tenant.name).toBe(owner.organisation);

  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0); // never shown again
  const row = page.getByTestId("api-key-row").filter({ hasText: "CRM sync" });
  await expect(row).toContainText(key.slice(0, 13));
  await expect(page.locator("body")).not.toContainText(key);
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");

  const after = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(after.status()).toBe(401);
});

test("only platform admins reach /admin; the demo admin sees the tenants table", async ({ page }) => {
  const a = newAccount("Golf");
  await signUp(page, a);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/dashboard\?denied=admin|\/t\//);
  await expect(page.getByRole("heading", { name: "Platform admin" })).toHaveCount(0);
  await signOut(page);

  await signIn(page, "admin@fairdial.test", "fairdial-demo-2026");
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Platform admin" })).toBeVisible();
  // A new tenant without campaigns is not "active"; the search finds it.
  await page.getByLabel("Find a tenant").fill(a.organisation);
  await expect(page.getByTestId("admin-tenant-row").filter({ hasText: a.organisation })).toBeVisible();
});

test("wrong passwords are refused, and sign-in is rate-limited with a clear message", async ({ page }) => {
  const a = newAccount("Hotel");
  await signUp(page, a);
  await signOut(page);
  for (let i = 0; i < 11; i++) {
    await page.getByLabel("Email").fill(a.email);
    await page.getByLabel("Password").fill(`wrong password ${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toBeVisible();
  }
  await expect(page.getByTestId("form-error")).toHaveText("Too many sign-in attempts. Try again in 10 minutes.");
});
