// What a self-service tenant cannot do to the calling bill, end to end through the real scheduler and callers:
// in approval mode nothing of a new tenant is dialed until a platform admin approves it, and a lead to a
// destination the tenant may not call (another country, a premium-rate number) is never handed to the provider.
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { approveTenant, changeTenantDestinations } from "../admin/mutations";
import { changeCampaignStatus } from "../campaigns/mutations";
import { db } from "../db";
import { importCampaign } from "../imports/import";
import { pgPool } from "../pg";
import { signUp } from "../tenants/mutations";
import { leadStatusCounts, seedCampaign, startEngine, waitFor, type Engine } from "../test/engine-harness";
import { createTenant, uniqueId } from "../test/factories";
import { DispatchStore } from "./store";

vi.hoisted(() => {
  process.env.SIGNUP_MODE = "approval";
});

const actor = { id: "admin-user", email: "ops@fairdial.test" };
const allCompleted = { outcomeRates: { COMPLETED: 1, VOICEMAIL: 0, NO_ANSWER: 0, BUSY: 0, FAILED: 0 } };
let engine: Engine | null = null;
const campaigns: { tenantId: string; id: string }[] = [];

beforeAll(async () => {
  // The scheduler dispatches every running campaign in the database; these tests own the engine.
  await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE status IN ('RUNNING', 'PAUSED')`);
});

afterEach(async () => {
  await engine?.stop();
  engine = null;
  for (const c of campaigns.splice(0)) await changeCampaignStatus(c.tenantId, c.id, "cancel").catch(() => undefined);
});

describe("SIGNUP_MODE=approval", () => {
  it("a new tenant's started campaign is not claimed by the scheduler until a platform admin approves the tenant", async () => {
    engine = await startEngine({ sim: allCompleted });
    const { tenant } = await signUp({ organisation: `Waiting ${uniqueId()}`, name: "Owner", email: `${uniqueId("waiting")}@example.test`, password: `pw-${randomUUID()}` });
    expect(tenant.approvedAt).toBeNull();
    const campaignId = await track(tenant.id, await seedCampaign(tenant.id, 5));
    // Starting is allowed: the campaign waits.
    expect((await engine.start(tenant.id, campaignId)).status).toBe("RUNNING");

    for (let i = 0; i < 3; i++) await engine.scheduler.tickNow();
    const tick = await engine.scheduler.scheduler.tick();
    expect(tick?.dispatched).toBe(0);
    expect(await leadStatusCounts(campaignId)).toEqual({ PENDING: 5 });
    expect(await attemptsOf(campaignId)).toEqual([]);
    expect(await engine.provider.callLog()).toEqual([]);

    await approveTenant(actor, tenant.id);
    await engine.scheduler.tickNow();
    await waitFor("the approved tenant's leads to be called", async () => (await leadStatusCounts(campaignId)).COMPLETED === 5, 30_000);
    expect((await engine.provider.callLog()).filter((c) => c.tenantId === tenant.id)).toHaveLength(5);
  });

  it("the caller re-checks approval before dialing, and hands an undialed lead back without losing it", async () => {
    const store = new DispatchStore(pgPool());
    const tenant = await createTenant();
    const campaignId = await track(tenant.id, await seedCampaign(tenant.id, 1));
    await changeCampaignStatus(tenant.id, campaignId, "start");
    const [claimed] = await store.claim([{ campaignId, n: 1 }]);
    expect(claimed).toBeDefined();

    // Approval withdrawn after the claim (e.g. by hand in the database): the caller must not dial it.
    await db.tenant.update({ where: { id: tenant.id }, data: { approvedAt: null } });
    const [start] = await store.loadAttempts([claimed!.attemptId]);
    expect(start).toMatchObject({ runnable: false, tenantApproved: false });
    expect(await store.claimDials([claimed!.attemptId])).toEqual(new Set());
    await store.releaseUndialed([claimed!.attemptId]);
    expect(await leadStatusCounts(campaignId)).toEqual({ PENDING: 1 });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).pendingCount).toBe(1);
    // And while unapproved, a claim takes nothing.
    expect(await store.claim([{ campaignId, n: 1 }])).toEqual([]);
  });
});

describe("destinations are checked right before each dial", () => {
  it("a US lead imported while allowed is not dialed once the admin limits the tenant to CA; it fails with the reason", async () => {
    engine = await startEngine({ sim: allCompleted });
    const tenant = await createTenant();
    const csv = "phone,name\n+12125550123,Ann US\n+14165550123,Bea CA\n+12025550199,Cal US\n";
    const { campaignId } = await importCampaign({ tenantId: tenant.id, options: { name: "Cross-border", defaultCountry: "US" }, source: Readable.from([csv]) });
    await track(tenant.id, campaignId);
    expect((await leadStatusCounts(campaignId)).PENDING).toBe(3);
    // Even a campaign that retries failures must not retry a refused destination.
    await pgPool().query(`UPDATE "Campaign" SET "retryOutcomes" = '{FAILED,NO_ANSWER,BUSY}', "retryDelaySec" = 0 WHERE id = $1`, [campaignId]);
    await changeTenantDestinations(actor, tenant.id, { allowedCountries: ["CA"], allowPremiumNumbers: false });

    await engine.start(tenant.id, campaignId);
    await waitFor("the campaign to complete", async () => (await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status === "COMPLETED", 30_000);

    const leads = await leadsOf(campaignId);
    expect(leads.map((l) => [l.phone, l.status])).toEqual([
      ["+12125550123", "FAILED"],
      ["+14165550123", "COMPLETED"],
      ["+12025550199", "FAILED"],
    ]);
    const attempts = await attemptsOf(campaignId);
    expect(attempts).toHaveLength(3); // one each: the refusals were final
    for (const a of attempts.filter((a) => a.phone.startsWith("+12"))) {
      expect(a).toMatchObject({ outcome: "FAILED", dialedAt: null, providerCallId: null });
      expect(a.error).toBe("destination country US is not allowed for this account (allowed: CA)");
    }
    const called = (await engine.provider.callLog()).filter((c) => c.tenantId === tenant.id);
    expect(called.map((c) => c.to)).toEqual(["+14165550123"]);
  });

  it("a premium-rate +1 900 number is refused unless the admin allows premium numbers for the tenant", async () => {
    engine = await startEngine({ sim: allCompleted });
    const strict = await createTenant();
    const trusted = await createTenant();
    await changeTenantDestinations(actor, trusted.id, { allowedCountries: [], allowPremiumNumbers: true });
    // Inserted as rows already in the database (the import refuses such numbers up front).
    const strictCampaign = await track(strict.id, await campaignWith(strict.id, ["+19002001234", "+12125550123"]));
    const trustedCampaign = await track(trusted.id, await campaignWith(trusted.id, ["+19002001234", "+12125550123"]));
    await engine.start(strict.id, strictCampaign);
    await engine.start(trusted.id, trustedCampaign);
    const done = async (id: string) => (await db.campaign.findUniqueOrThrow({ where: { id } })).status === "COMPLETED";
    await waitFor("both campaigns to complete", async () => (await done(strictCampaign)) && (await done(trustedCampaign)), 30_000);

    expect((await leadsOf(strictCampaign)).map((l) => l.status)).toEqual(["FAILED", "COMPLETED"]);
    expect((await attemptsOf(strictCampaign))[0]).toMatchObject({ phone: "+19002001234", outcome: "FAILED", dialedAt: null, error: "premium-rate numbers are not allowed for this account" });
    expect((await leadsOf(trustedCampaign)).map((l) => l.status)).toEqual(["COMPLETED", "COMPLETED"]);
    const log = await engine.provider.callLog();
    expect(log.filter((c) => c.tenantId === strict.id).map((c) => c.to)).toEqual(["+12125550123"]);
    expect(log.filter((c) => c.tenantId === trusted.id).map((c) => c.to).sort()).toEqual(["+12125550123", "+19002001234"]);
  });
});

async function track(tenantId: string, id: string) {
  campaigns.push({ tenantId, id });
  return id;
}

async function campaignWith(tenantId: string, phones: string[]) {
  const id = `c${randomUUID().replaceAll("-", "")}`;
  await pgPool().query(`INSERT INTO "Campaign" (id, "tenantId", name, status, "totalLeads") VALUES ($1, $2, $1, 'DRAFT', $3)`, [id, tenantId, phones.length]);
  await pgPool().query(`INSERT INTO "Lead" ("tenantId", "campaignId", line, phone) SELECT $1, $2, n + 1, p FROM unnest($3::text[]) WITH ORDINALITY AS x(p, n)`, [tenantId, id, phones]);
  return id;
}

async function leadsOf(campaignId: string) {
  return db.lead.findMany({ where: { campaignId }, orderBy: { line: "asc" }, select: { phone: true, status: true } });
}

async function attemptsOf(campaignId: string) {
  const rows = await db.callAttempt.findMany({ where: { campaignId }, include: { lead: { select: { phone: true, line: true } } } });
  return rows.sort((a, b) => a.lead.line - b.lead.line).map(({ lead, ...a }) => ({ ...a, phone: lead.phone }));
}
