import type { Page } from "@playwright/test";

export class AdminPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin");
  }

  tenantRow(name: string) {
    return this.page.getByTestId("admin-tenant-row").filter({ hasText: name });
  }

  get fairnessShares() {
    return this.page.getByTestId("fairness-shares");
  }

  get jain() {
    return this.page.getByTestId("jain-index");
  }

  get auditRows() {
    return this.page.getByTestId("audit-row");
  }

  /** Opens a tenant's controls and saves a new weight. */
  async setWeight(name: string, weight: number) {
    await this.tenantRow(name).getByRole("button", { name: "Manage" }).click();
    const form = this.page.getByRole("form", { name: `Limits of ${name}` });
    await form.getByLabel("Weight").fill(String(weight));
    await form.getByRole("button", { name: "Save limits" }).click();
  }
}
