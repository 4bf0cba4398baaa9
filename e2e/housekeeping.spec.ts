import { expect, newAccount, signUp, test } from "./fixtures";
import { CampaignPage } from "./pages/campaign-page";
import { DashboardPage } from "./pages/dashboard-page";
import { DoNotCallPage } from "./pages/do-not-call-page";
import { NewCampaignPage } from "./pages/new-campaign-page";

// Each tenant has its own list, so every run may use the same numbers.
const LISTED = "+1 312 200 6000";
const FORGIVEN = "+1 312 200 6001";

test("a completed campaign is duplicated with its unfinished leads, archived, hidden from the dashboard and shown again", async ({ page }) => {
  const tenant = await signUp(page, newAccount("Housekeeper"));
  const dnc = new DoNotCallPage(page, tenant);
  await dnc.goto();
  await dnc.upload("do-not-call.csv", `phone\n${LISTED}\n${FORGIVEN}\n`);
  await expect(dnc.uploadStat("added")).toHaveText("2");

  // Both leads are on the list: the campaign completes as soon as it starts, without a call.
  const upload = new NewCampaignPage(page, tenant);
  await upload.goto();
  await upload.choose({ name: "spring.csv", mimeType: "text/csv", buffer: Buffer.from(`phone,name\n${LISTED},Listed\n${FORGIVEN},Forgiven\n`) });
  await upload.name.fill("Spring calls");
  await upload.importButton.click();
  await expect(upload.result("imported")).toHaveText("2");
  const originalId = await upload.openCampaign();
  const campaign = new CampaignPage(page);
  await campaign.button("Start").click();
  await expect(campaign.status).toHaveText("Completed");
  await expect(campaign.count("suppressed")).toHaveText("2");

  // One number comes off the list: the copy of the unfinished leads calls it, and still not the other.
  await dnc.goto();
  await dnc.remove("+13122006001");
  await expect(dnc.rows).toHaveCount(1);
  await campaign.goto(tenant, originalId);
  await campaign.duplicate("Only unfinished leads", "Spring calls, second try");
  await expect(page.getByRole("heading", { name: "Spring calls, second try" })).toBeVisible();
  await expect(page).not.toHaveURL(new RegExp(originalId));
  await expect(campaign.status).toHaveText("Draft");
  await expect(campaign.count("pending")).toHaveText("1");
  await expect(campaign.count("suppressed")).toHaveText("1");
  await expect(campaign.button("Start")).toBeVisible();

  // The original is archived: it says so, and it still exports.
  await campaign.goto(tenant, originalId);
  await campaign.housekeepingButton("Archive").click();
  await expect(campaign.archivedBadge).toHaveText("Archived");
  await expect(campaign.housekeepingButton("Unarchive")).toBeVisible();
  await expect(campaign.housekeepingButton("Archive")).toHaveCount(0);
  const results = await campaign.downloadExport();
  expect(results.text.trim().split("\r\n")).toHaveLength(3);

  const dashboard = new DashboardPage(page, tenant);
  await dashboard.goto();
  await expect(dashboard.campaign("second try")).toContainText("Draft");
  await expect(dashboard.campaignRows).toHaveCount(1);
  await expect(dashboard.archivedToggle).toHaveText("Show archived (1)");
  await dashboard.archivedToggle.click();
  await expect(dashboard.archivedRows).toHaveCount(1);
  await expect(dashboard.archivedRows.first()).toContainText("Spring calls");
  await expect(dashboard.archivedRows.first()).toContainText("Completed");
  await expect(dashboard.archivedToggle).toHaveText("Hide archived");

  // Unarchived from its page, it is back in the list.
  await dashboard.archivedRows.first().getByRole("link", { name: "Spring calls" }).click();
  await campaign.housekeepingButton("Unarchive").click();
  await expect(campaign.archivedBadge).toHaveCount(0);
  await dashboard.goto();
  await expect(dashboard.campaignRows).toHaveCount(2);
  await expect(dashboard.archivedToggle).toHaveCount(0);
});
