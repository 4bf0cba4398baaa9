import { expect, test } from "@playwright/test";

test("the home page shows the product and the health check is ok", async ({ page, request }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "fairdial" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create an account" })).toBeVisible();

  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ db: "ok", redis: "ok" });
});
