import type { Page } from "@playwright/test";

export class DashboardPage {
  constructor(
    readonly page: Page,
    readonly tenantId: string,
  ) {}

  get linesInUse() {
    return this.page.getByTestId("lines-in-use");
  }

  get dispatchStatus() {
    return this.page.getByTestId("dispatch-status");
  }

  get callsToday() {
    return this.page.getByTestId("calls-today");
  }

  get campaignRows() {
    return this.page.getByTestId("campaign-row");
  }

  get archivedRows() {
    return this.page.getByTestId("archived-campaign-row");
  }

  /** "Show archived (N)" or "Hide archived". */
  get archivedToggle() {
    return this.page.getByRole("link", { name: /^(Show|Hide) archived/ });
  }

  async goto() {
    await this.page.goto(`/t/${this.tenantId}`);
  }

  campaign(name: string) {
    return this.campaignRows.filter({ hasText: name });
  }
}
