import http from "node:http";
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import { expect, newAccount, signUp, test } from "./fixtures";
import { CampaignPage } from "./pages/campaign-page";
import { DashboardPage } from "./pages/dashboard-page";
import { NewCampaignPage } from "./pages/new-campaign-page";

const FILES = path.join(import.meta.dirname, "files");

type Violation = { directive: string; blocked: string; sample: string; source: string; page: string };

/** Every CSP violation any page of the context reports, and Chromium's own "Refused to …" console lines. */
async function watchViolations(context: BrowserContext) {
  const violations: Violation[] = [];
  await context.exposeBinding("__reportCspViolation", (_source, v: Violation) => void violations.push(v));
  // Init scripts are injected by the browser, not the page, so the policy under test does not block this one.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (v: Violation) => void }).__reportCspViolation;
      report({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}`, page: location.pathname });
    });
  });
  const refused: string[] = [];
  context.on("console", (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) refused.push(msg.text());
  });
  return { violations, refused };
}

async function hydrated(page: Page) {
  // Next's client runtime sets window.next once its (nonce'd) scripts have run.
  await expect.poll(() => page.evaluate(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version))).toBe(true);
}

test("pages send a nonce CSP and the other security headers, and the app runs under them without a single violation", async ({ page, context, request }) => {
  const { violations, refused } = await watchViolations(context);

  const home = await page.goto("/");
  const headers = home!.headers();
  const csp = headers["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) expect(csp).toContain(directive);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(headers).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY" });
  expect(headers["permissions-policy"]).toContain("camera=()");
  // This server is plain http on loopback: HSTS would lock browsers out of it.
  expect(headers["strict-transport-security"]).toBeUndefined();
  // The nonce is the page's own and is used: every script tag carries it.
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  const scriptNonces = await page.locator("script").evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
  expect(/'nonce-([^']+)'/.exec((await request.get("/")).headers()["content-security-policy"]!)![1]).not.toBe(nonce);
  await hydrated(page);

  // Use the app a little: sign up, preview and import a CSV, watch the campaign live, run it, open the dashboard.
  const tenant = await signUp(page, newAccount("Headers"));
  await hydrated(page);
  const upload = new NewCampaignPage(page, tenant);
  await upload.goto();
  await upload.choose(path.join(FILES, "leads-with-errors.csv"));
  await expect(upload.previewRows).toHaveCount(5);
  await upload.importButton.click();
  await expect(upload.result("imported")).toHaveText("34");
  await upload.openCampaign();
  const campaign = new CampaignPage(page);
  await expect(campaign.liveStatus).toHaveText("Live");
  await campaign.button("Start").click();
  await expect(campaign.status).toHaveText("Running");
  await expect.poll(() => campaign.countValue("completed")).toBeGreaterThan(0);
  await campaign.button("Pause").click();
  await expect(campaign.status).toHaveText("Paused");
  const dashboard = new DashboardPage(page, tenant);
  await dashboard.goto();
  await expect(dashboard.campaignRows).toHaveCount(1);
  await page.goto("/api-docs");
  await expect(page.getByRole("heading", { name: "fairdial API" })).toBeVisible();

  expect(violations).toEqual([]);
  expect(refused).toEqual([]);
});

test("API answers and static files carry the static headers, and API answers a policy that runs nothing", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(health.headers()).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer" });
  expect(health.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(health.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const asset = (await (await request.get("/")).text()).match(/\/_next\/static\/[^"]+\.js/)![0];
  expect((await request.get(asset)).headers()["x-content-type-options"]).toBe("nosniff");
});

test("another site cannot frame the app", async ({ page, baseURL }) => {
  // A page on another origin, served by the browser itself, that frames the sign-in page and says when it loaded.
  await page.route("http://framer.test/**", (route) =>
    route.fulfill({ contentType: "text/html", body: `<h1>Framer</h1><iframe id="app" src="${baseURL}/signin" onload="document.title='loaded'"></iframe>` }),
  );
  await page.goto("http://framer.test/");
  await expect(page).toHaveTitle("loaded");
  const frame = page.frames().find((f) => f !== page.mainFrame())!;
  // Chromium replaces a refused frame with its error page; the sign-in form never renders inside it.
  expect(frame.url()).not.toContain(new URL(baseURL!).host);
  await expect(page.frameLocator("#app").getByLabel("Password")).toHaveCount(0);
});

test("the signed-in preview endpoint refuses bodies over 64 KB, with or without Content-Length", async ({ page, context, baseURL }) => {
  await signUp(page, newAccount("Preview"));
  const tooBig = Buffer.alloc(64 * 1024 + 1024, "a");
  const declared = await page.request.post("/api/campaigns/preview", { data: tooBig, headers: { "content-type": "text/csv" } });
  expect(declared.status()).toBe(413);
  expect((await declared.json()).error).toEqual({ code: "too_large", message: "Send at most the first 65536 bytes of the file." });

  // Chunked: no Content-Length, 1 MB offered in 16 KB pieces; the server answers 413 and stops reading.
  const cookie = (await context.cookies(baseURL)).map((c) => `${c.name}=${c.value}`).join("; ");
  const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    let status = 0;
    let body = "";
    const req = http.request(`${baseURL}/api/campaigns/preview`, { method: "POST", headers: { cookie, "content-type": "text/csv", "transfer-encoding": "chunked" } }, (res) => {
      status = res.statusCode!;
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status, body }));
    });
    // The server may close the connection on the rest of the upload once it has answered.
    req.on("error", (err) => (status ? resolve({ status, body }) : reject(err)));
    const piece = Buffer.alloc(16 * 1024, "b");
    let sent = 0;
    const write = () => {
      while (sent < 1024 * 1024 && !req.destroyed) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
  expect(chunked.status).toBe(413);
  expect(JSON.parse(chunked.body).error.code).toBe("too_large");

  const small = await page.request.post("/api/campaigns/preview", { data: "phone,name\n+12125550100,Ada\n", headers: { "content-type": "text/csv" } });
  expect(small.status()).toBe(200);
});
