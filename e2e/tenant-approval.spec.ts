// What an operator and a new tenant see of the bill-abuse controls: a tenant awaiting approval is told why
// nothing dials and the admin approves it from the tenants table; the admin narrows where a tenant may call.
// Every change lands in the audit log.
import pg from "pg";
import { expect, newAccount, signIn, signUp, test } from "./fixtures";
import { AdminPage } from "./pages/admin-page";
import { CampaignPage } from "./pages/campaign-page";
import { NewCampaignPage } from "./pages/new-campaign-page";

const BANNER = "Your account is awaiting approval; campaigns can be prepared but won't dial until it is approved.";

test("a tenant awaiting approval prepares and starts a campaign that waits, until the admin approves it", async ({ browser }) => {
  test.setTimeout(120_000);
  const tenantContext = await browser.newContext();
  const page = await tenantContext.newPage();
  const account = newAccount("Pending");
  const tenantId = await signUp(page, account);
  // This server signs up in open mode; the tenant is put where SIGNUP_MODE=approval would have created it.
  await sql(`UPDATE "Tenant" SET "approvedAt" = NULL WHERE id = $1`, [tenantId]);
  await page.reload();
  await expect(page.getByTestId("awaiting-approval")).toHaveText(BANNER);

  const upload = new NewCampaignPage(page, tenantId);
  await upload.goto();
  await expect(page.getByTestId("awaiting-approval")).toHaveText(BANNER);
  const rows = Array.from({ length: 10 }, (_, i) => `+1415555${String(7000 + i)},Lead ${i}`);
  await upload.choose({ name: "waiting.csv", mimeType: "text/csv", buffer: Buffer.from(`phone,name\n${rows.join("\n")}\n`) });
  await expect(upload.phoneColumn).toHaveValue("phone");
  await upload.name.fill("Waiting room");
  await upload.importButton.click();
  await expect(upload.result("imported")).toHaveText("10");
  await upload.openCampaign();
  const campaign = new CampaignPage(page);
  await campaign.button("Start").click();
  await expect(campaign.status).toHaveText("Running");
  // Several scheduler ticks (1 s each here) go by: nothing of this tenant is queued or called.
  await page.waitForTimeout(4000);
  expect(await campaign.countValue("pending")).toBe(10);
  expect(await calledCount(tenantId)).toBe(0);

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "admin@fairdial.test", "fairdial-demo-2026");
  const admin = new AdminPage(adminPage);
  await admin.goto();
  await adminPage.getByLabel(/Awaiting approval \(\d+\)/).check();
  const row = admin.tenantRow(account.organisation);
  await expect(row.getByTestId("awaiting-approval")).toBeVisible();
  await row.getByRole("button", { name: `Approve ${account.organisation}` }).click();
  await expect(row).toHaveCount(0); // no longer awaiting: the filter hides it
  await adminPage.getByLabel(/Awaiting approval \(\d+\)/).uncheck();
  await expect(admin.tenantRow(account.organisation).getByTestId("awaiting-approval")).toHaveCount(0);
  const audit = admin.auditRows.filter({ hasText: account.organisation }).first();
  await expect(audit).toContainText("tenant.approve");
  await expect(audit).toContainText("approvedAt: awaiting approval →");
  await expect(audit).toContainText("admin@fairdial.test");

  // Approved: the waiting campaign dials without the tenant doing anything, and the banner is gone.
  await expect.poll(() => campaign.countValue("completed"), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByTestId("awaiting-approval")).toHaveCount(0);
  await campaign.cancel();
  await Promise.all([tenantContext.close(), adminContext.close()]);
});

test("the admin limits a tenant to Canada and allows premium numbers; a bad code is refused with the reason", async ({ browser }) => {
  const tenantContext = await browser.newContext();
  const account = newAccount("Border");
  await signUp(await tenantContext.newPage(), account);
  await tenantContext.close();

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "admin@fairdial.test", "fairdial-demo-2026");
  const admin = new AdminPage(adminPage);
  await admin.goto();
  await adminPage.getByLabel("Find a tenant").fill(account.organisation);
  await admin.tenantRow(account.organisation).getByRole("button", { name: "Manage" }).click();
  const form = adminPage.getByRole("form", { name: `Destinations of ${account.organisation}` });
  await expect(form.getByLabel("Allowed countries")).toHaveAttribute("placeholder", "platform default: US, CA");

  await form.getByLabel("Allowed countries").fill("CA, XX");
  await form.getByRole("button", { name: "Save destinations" }).click();
  await expect(form.getByRole("alert")).toHaveText("Not a country code: XX. Use ISO codes such as US, CA, GB.");

  await form.getByLabel("Allowed countries").fill("ca");
  await form.getByLabel("Allow premium-rate and shared-cost numbers").check();
  await form.getByRole("button", { name: "Save destinations" }).click();
  await expect(adminPage.getByText("Saved. Callers apply it from the next call, including leads already imported.")).toBeVisible();
  await expect(admin.tenantRow(account.organisation)).toContainText("calls CA");
  await expect(admin.tenantRow(account.organisation)).toContainText("premium numbers allowed");
  const audit = admin.auditRows.filter({ hasText: account.organisation }).first();
  await expect(audit).toContainText("tenant.destinations");
  await expect(audit).toContainText("allowedCountries: platform default → CA, allowPremiumNumbers: false → true");
  await adminContext.close();
});

async function sql(text: string, values: unknown[]) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

async function calledCount(tenantId: string) {
  const { rows } = await sql(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "tenantId" = $1`, [tenantId]);
  return rows[0].n as number;
}
