import { execSync } from "node:child_process";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium, never a downloaded browser.
const chromium = process.env.CHROMIUM_PATH || execSync("command -v chromium || true").toString().trim() || "/usr/bin/chromium";

const serverEnv = {
  ...(process.env as Record<string, string>),
  NODE_ENV: "production",
  NEXTAUTH_URL: baseURL,
  // A production server refuses the public development secret and plain http; loopback tests opt in to http.
  NEXTAUTH_SECRET: "e2e-only-secret-4f1c9a7b2d8e6f3a0c5b9d7e1f2a4c6b",
  ALLOW_INSECURE_HTTP: "1",
  QUEUE_PREFIX: "e2e",
  SIM_PROFILE: process.env.SIM_PROFILE ?? "brisk",
  SCHEDULER_TICK_MS: "1000",
  CALLER_CONCURRENCY: "20",
  METRICS_TOKEN: "e2e-metrics-token-0123456789abcdef0123",
  LOG_LEVEL: "warn",
  // Every browser test (of every run within the hour) signs up and in from 127.0.0.1.
  IP_RATE_LIMIT_FACTOR: "100",
  // The webhook test's receiver runs in the test process on 127.0.0.1; its retries come within seconds.
  WEBHOOK_ALLOWED_TARGETS: "127.0.0.1/32",
  WEBHOOK_RETRY_DELAYS: "1s,2s,5s",
};

export default defineConfig({
  testDir: root + "/e2e",
  outputDir: root + "/test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: [
    { command: "npx tsx scripts/web.ts", cwd: root, url: `${baseURL}/api/health`, env: { ...serverEnv, PORT: String(port), HOSTNAME: "127.0.0.1" }, timeout: 120_000, reuseExistingServer: false, stdout: "ignore", stderr: "pipe" },
    { command: "npx tsx worker/index.ts", cwd: root, env: { ...serverEnv, WORKER_HEALTH_PORT: String(port + 99) }, url: `http://127.0.0.1:${port + 99}/`, timeout: 60_000, reuseExistingServer: false, stdout: "ignore", stderr: "pipe" },
  ],
});
