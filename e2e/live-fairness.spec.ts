// The product's promise in a browser: a second tenant's first call goes out while a big campaign of another
// tenant is still running, and the operator sees both and can change a weight, with an audit trail.
import { expect, newAccount, signIn, signUp, test } from "./fixtures";
import { AdminPage } from "./pages/admin-page";
import { CampaignPage } from "./pages/campaign-page";
import { NewCampaignPage } from "./pages/new-campaign-page";

function csv(rows: number, offset: number) {
  const lines = ["phone,name,plan"];
  for (let i = 0; i < rows; i++) lines.push(`+1415555${String(offset + i).padStart(4, "0")},Lead ${offset + i},gold`);
  return Buffer.from(lines.join("\n") + "\n");
}

async function uploadAndStart(page: import("@playwright/test").Page, tenantId: string, name: string, rows: number, offset: number) {
  const upload = new NewCampaignPage(page, tenantId);
  await upload.goto();
  await upload.choose({ name: `${name}.csv`, mimeType: "text/csv", buffer: csv(rows, offset) });
  await expect(upload.phoneColumn).toHaveValue("phone");
  await upload.name.fill(name);
  await upload.importButton.click();
  await expect(upload.result("imported")).toHaveText(rows.toLocaleString("en-US"));
  const campaignId = await upload.openCampaign();
  const campaign = new CampaignPage(page);
  await campaign.button("Start").click();
  await expect(campaign.status).toHaveText("Running");
  return { campaignId, campaign };
}

test("a new tenant's first call goes out while a big campaign runs, and the admin sees fairness live", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const aContext = await browser.newContext();
  const aPage = await aContext.newPage();
  const a = newAccount("Atlas");
  const aTenant = await signUp(aPage, a);
  const { campaign: aCampaign } = await uploadAndStart(aPage, aTenant, "Atlas spring push", 2000, 0);
  await expect.poll(() => aCampaign.countValue("completed"), { timeout: 30_000 }).toBeGreaterThan(0);

  const bContext = await browser.newContext();
  const bPage = await bContext.newPage();
  const b = newAccount("Beacon");
  const bTenant = await signUp(bPage, b);
  const { campaign: bCampaign } = await uploadAndStart(bPage, bTenant, "Beacon follow-ups", 20, 5000);

  // B's page shows its first completed call while A is still running with most of its leads ahead of it.
  await expect.poll(() => bCampaign.countValue("completed"), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(aCampaign.status).toHaveText("Running");
  expect(await aCampaign.countValue("pending")).toBeGreaterThan(1000);
  await bPage.screenshot({ path: testInfo.outputPath("campaign-page-b.png"), fullPage: true });
  await aPage.screenshot({ path: testInfo.outputPath("campaign-page-a.png"), fullPage: true });

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "admin@fairdial.test", "fairdial-demo-2026");
  const admin = new AdminPage(adminPage);
  await admin.goto();
  await expect(admin.tenantRow(a.organisation)).toBeVisible();
  await expect(admin.tenantRow(b.organisation)).toBeVisible();
  // Both tenants got dispatches in the window, so both appear in the live fairness shares.
  await expect(admin.fairnessShares).toContainText(a.organisation, { timeout: 20_000 });
  await expect(admin.fairnessShares).toContainText(b.organisation);
  await expect(admin.jain).not.toHaveText("—");

  await admin.setWeight(b.organisation, 3);
  await expect(admin.page.getByText("Saved. The scheduler uses the new settings from its next tick.")).toBeVisible();
  await expect(admin.tenantRow(b.organisation).getByTestId("weight")).toHaveText("3");
  const audit = admin.auditRows.filter({ hasText: b.organisation }).first();
  await expect(audit).toContainText("tenant.limits");
  await expect(audit).toContainText("weight: 1 → 3");
  await expect(audit).toContainText("admin@fairdial.test");
  await adminPage.screenshot({ path: testInfo.outputPath("admin-page.png"), fullPage: true });
  for (const name of ["campaign-page-a.png", "campaign-page-b.png", "admin-page.png"]) {
    await testInfo.attach(name, { path: testInfo.outputPath(name), contentType: "image/png" });
  }

  // Stop A so the remaining specs don't share the callers with 2,000 calls.
  await aCampaign.cancel();
  await Promise.all([aContext.close(), bContext.close(), adminContext.close()]);
});
