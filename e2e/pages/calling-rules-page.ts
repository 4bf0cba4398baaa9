import type { Page } from "@playwright/test";

export class CallingRulesPage {
  constructor(
    readonly page: Page,
    readonly tenantId: string,
  ) {}

  get summary() {
    return this.page.getByTestId("caps-summary");
  }

  get per24h() {
    return this.page.getByLabel("Calls per number in 24 hours");
  }

  get per30d() {
    return this.page.getByLabel("Calls per number in 30 days");
  }

  get presets() {
    return this.page.getByTestId("caps-preset");
  }

  get success() {
    return this.page.getByTestId("form-success");
  }

  get callingHours() {
    return this.page.getByRole("table", { name: "Platform calling hours" });
  }

  async goto() {
    await this.page.goto(`/t/${this.tenantId}/settings/calling-rules`);
  }

  async applyPreset(label: RegExp) {
    await this.presets.filter({ hasText: label }).getByRole("button", { name: /^Apply preset/ }).click();
  }

  async save() {
    await this.page.getByRole("button", { name: "Save caps" }).click();
  }
}
