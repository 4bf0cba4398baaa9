// What a user (or an attacker's victim) sees of the sign-in protections: the wait after too many attempts, no
// redirect off-site after sign-in, and sessions that end everywhere on a password change or "Sign out everywhere".
import { expect, newAccount, PASSWORD, signIn, signOut, signUp, test } from "./fixtures";

test("too many wrong passwords: the sign-in page says how long to wait, and the right password waits too", async ({ page }) => {
  const account = newAccount("Lima");
  await signUp(page, account);
  await signOut(page);
  for (let i = 0; i < 10; i++) {
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(`wrong password ${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
  }
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("Too many sign-in attempts. Try again in 10 minutes.");
  await expect(page).toHaveURL(/\/signin/);
});

test("the sign-in page shows only its own messages, whatever a link puts in ?error=", async ({ page }) => {
  await page.goto("/signin?error=Your%20account%20is%20locked.%20Call%20%2B1%20555%200100");
  await expect(page.getByTestId("form-error")).toHaveText("Sign-in failed. Try again.");
  await expect(page.locator("body")).not.toContainText("555 0100");
});

for (const callbackUrl of ["//evil.example", "/\\evil.example", "https://evil.example/"]) {
  test(`after sign-in with callbackUrl=${callbackUrl} the browser stays on this site`, async ({ page, baseURL }) => {
    const account = newAccount("Mike");
    await signUp(page, account);
    await signOut(page);
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    // /dashboard sends a signed-in user on to their workspace.
    await page.waitForURL(/\/t\/[^/]+$/);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  });
}

test("a password change signs out every session; the new password signs in", async ({ page, browser }) => {
  const account = newAccount("November");
  const tenant = await signUp(page, account);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, account.email, PASSWORD);

  await page.goto(`/t/${tenant}/settings`);
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill("password1234");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("This is one of the most common passwords")).toBeVisible();

  await page.getByLabel("New password").fill("november changed passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.waitForURL(/\/signin\?notice=password-changed/);
  await expect(page.getByTestId("form-success")).toHaveText(/Your password was changed and every session was signed out/);

  await otherPage.goto(`/t/${tenant}/settings`);
  await expect(otherPage).toHaveURL(/\/signin/);
  await other.close();

  await signIn(page, account.email, "november changed passphrase");
});

test("“Sign out everywhere” ends the sessions on other devices too", async ({ page, browser }) => {
  const account = newAccount("Oscar");
  const tenant = await signUp(page, account);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, account.email, PASSWORD);
  await otherPage.goto(`/t/${tenant}/settings`);
  await expect(otherPage.getByRole("heading", { name: "Settings" })).toBeVisible();

  await page.goto(`/t/${tenant}/settings`);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.waitForURL(/\/signin\?notice=signed-out-everywhere/);
  await expect(page.getByTestId("form-success")).toHaveText(/signed out on every device/);

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/signin/);
  await other.close();
});
