// Webhook delivery end to end, without the dialing engine: events written to the outbox as the engine writes them,
// the webhooks role (dispatcher + BullMQ senders) delivering to a local receiver that checks what a customer's
// server would check: signatures over the raw body, replays, retries, order per lead, a slow endpoint, SSRF.
import pino from "pino";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { db } from "../db";
import { env, hashTagged } from "../env";
import { FieldError } from "../errors";
import { pgPool } from "../pg";
import { createTenant, uniqueId } from "../test/factories";
import { startReceiver, type Answer, type Received } from "../test/webhook-receiver";
import { waitFor } from "../test/engine-harness";
import { WebhookStore } from "./store";
import { deliveryLog, getEndpoint } from "./data";
import { createEndpoint, redeliver, updateEndpoint } from "./mutations";
import { outboxInsertSql } from "./outbox";
import { startWebhooksRuntime, type WebhooksRuntime } from "./runtime";
import { SIGNATURE_HEADER, verifySignature } from "./signing";

// The receiver listens on 127.0.0.1, which only an allow-list admits (before lib/env reads the environment).
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOWED_TARGETS = "127.0.0.1/32";
});

const stops: (() => Promise<void>)[] = [];
const until = (fn: () => boolean | Promise<boolean>, timeoutMs: number) => waitFor("the receiver to see it", async () => fn(), timeoutMs);
const tenants: string[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});
afterAll(async () => {
  // Endpoints left behind would be retried by every later run's webhooks role.
  await db.tenant.deleteMany({ where: { id: { in: tenants } } });
});

async function runtime(overrides: { retryDelays?: number[]; timeoutMs?: number; perEndpoint?: number; leaseMs?: number; concurrency?: number } = {}): Promise<WebhooksRuntime> {
  const config = {
    ...env(),
    QUEUE_PREFIX: hashTagged(uniqueId("whtest")),
    WEBHOOK_RETRY_DELAYS: overrides.retryDelays ?? [150, 300, 300],
    WEBHOOK_TIMEOUT_MS: overrides.timeoutMs ?? 1000,
    WEBHOOK_ENDPOINT_CONCURRENCY: overrides.perEndpoint ?? 4,
    WEBHOOK_CONCURRENCY: overrides.concurrency ?? 32,
    WEBHOOK_POLL_MS: 25,
    WEBHOOK_ALLOWED_TARGETS: ["127.0.0.1/32"],
  };
  const r = await startWebhooksRuntime(config, pino({ level: "silent" }), { leaseMs: overrides.leaseMs });
  stops.push(() => r.stop());
  return r;
}

async function receiver(answer?: (req: Received, nth: number) => Answer) {
  const r = await startReceiver(answer);
  stops.push(() => r.close());
  return r;
}

async function tenantWithEndpoint(url: string, events: string[] = ["*"]) {
  const tenant = await createTenant();
  tenants.push(tenant.id);
  const { endpoint, secret } = await createEndpoint({ tenantId: tenant.id }, { url, events });
  return { tenantId: tenant.id, endpoint, secret };
}

/** Writes events as the engine does (same SQL), one per lead id given, in that order. */
async function emit(tenantId: string, type: string, leadIds: number[], data: (leadId: number, i: number) => Record<string, unknown> = (leadId, i) => ({ leadId: String(leadId), n: i })) {
  const rows = leadIds.map((leadId, i) => `SELECT $1::text AS tenant_id, $2::text AS type, NULL::text AS campaign_id, ${leadId}::bigint AS lead_id, '${JSON.stringify(data(leadId, i))}'::jsonb AS data, ${i} AS ord`).join(" UNION ALL ");
  const { rowCount } = await pgPool().query(outboxInsertSql(rows), [tenantId, type]);
  return rowCount ?? 0;
}

describe("the outbox", () => {
  it("writes an event only for tenants with an enabled endpoint subscribed to its type", async () => {
    const subscribed = await tenantWithEndpoint("http://127.0.0.1:9/never", ["call.completed"]);
    const none = await createTenant();
    tenants.push(none.id);
    expect(await emit(subscribed.tenantId, "call.completed", [1])).toBe(1);
    expect(await emit(subscribed.tenantId, "call.started", [1])).toBe(0);
    expect(await emit(none.id, "call.completed", [1])).toBe(0);
    await updateEndpoint({ tenantId: subscribed.tenantId }, subscribed.endpoint.id, { enabled: false });
    expect(await emit(subscribed.tenantId, "call.completed", [1])).toBe(0);
  });
});

describe("delivery", () => {
  it("signs each delivery over the raw body; a receiver accepts it, and refuses it replayed after five minutes or altered", async () => {
    const rx = await receiver();
    const { tenantId, secret } = await tenantWithEndpoint(rx.url());
    await runtime();
    await emit(tenantId, "call.completed", [42], () => ({ outcome: "COMPLETED", phone: "+12125550100" }));
    await until(() => rx.received.length === 1, 20_000);
    const [req] = rx.received;
    expect(req!.event).toMatchObject({ type: "call.completed", tenantId, data: { outcome: "COMPLETED", phone: "+12125550100" } });
    expect(req!.event.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(req!.headers["fairdial-event-id"]).toBe(req!.event.id);
    expect(req!.headers["fairdial-delivery-attempt"]).toBe("1");
    const header = req!.headers[SIGNATURE_HEADER] as string;
    const verified = verifySignature(secret, req!.body, header);
    expect(verified.ok).toBe(true);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(verifySignature(secret, req!.body, header, { nowSec: t + 301 })).toEqual({ ok: false, reason: "too_old" });
    expect(verifySignature(secret, req!.body.replace("COMPLETED", "FAILED"), header)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifySignature("whsec_someone-else", req!.body, header)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("retries after a 500 and a timeout, then delivers the same event id; the log shows every attempt", async () => {
    const rx = await receiver((_req, nth) => (nth === 1 ? { status: 500, body: "database is down" } : nth === 2 ? { status: 200, delayMs: 1500 } : { status: 204 }));
    const { tenantId, endpoint } = await tenantWithEndpoint(rx.url());
    await runtime({ timeoutMs: 500 });
    await emit(tenantId, "campaign.completed", [7]);
    await until(async () => (await deliveryLog({ tenantId }, endpoint.id)).some((e) => e.deliveryStatus === "SUCCEEDED"), 30_000);
    expect(new Set(rx.received.map((r) => r.event.id)).size).toBe(1);
    expect(rx.received.map((r) => r.headers["fairdial-delivery-attempt"])).toEqual(["1", "2", "3"]);
    const log = (await deliveryLog({ tenantId }, endpoint.id)).reverse();
    expect(log.map((e) => [e.attemptNumber, e.statusCode])).toEqual([[1, 500], [2, null], [3, 204]]);
    expect(log[0]!.responseSnippet).toBe("database is down");
    expect(log[1]!.error).toMatch(/timed out after 500 ms/);
    // Backoff: the retry waited its delay (150 ms ± 10 %), the third came after the timeout plus 300 ms ± 10 %.
    expect(rx.received[1]!.at - rx.received[0]!.at).toBeGreaterThanOrEqual(130);
  });

  it("gives up after the last retry and marks the endpoint failing; a later success clears the mark", async () => {
    let healthy = false;
    const rx = await receiver(() => ({ status: healthy ? 200 : 503 }));
    const { tenantId, endpoint } = await tenantWithEndpoint(rx.url());
    await runtime({ retryDelays: [50, 50] });
    await emit(tenantId, "call.failed", [1]);
    await until(async () => (await getEndpoint({ tenantId }, endpoint.id)).failingSince !== null, 30_000);
    expect(rx.received).toHaveLength(3);
    const [delivery] = await db.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(delivery).toMatchObject({ status: "FAILED", attempts: 3, lastStatusCode: 503 });
    healthy = true;
    await emit(tenantId, "call.failed", [2]);
    await until(async () => (await getEndpoint({ tenantId }, endpoint.id)).failingSince === null, 30_000);
  });

  it("delivers one lead's events in order, even while an earlier one is retried, without holding up other leads", async () => {
    const failedOnce = new Set<string>();
    const rx = await receiver((req) => {
      // The first event of lead 1 fails twice before it goes through.
      if (req.event.data.leadId === "1" && req.event.data.n === 0 && failedOnce.size < 2) {
        failedOnce.add(`${failedOnce.size}`);
        return { status: 500 };
      }
      return { status: 200 };
    });
    const { tenantId } = await tenantWithEndpoint(rx.url());
    await runtime({ retryDelays: [300, 300, 300] });
    await emit(tenantId, "call.started", [1, 2]);
    await emit(tenantId, "call.answered", [1, 2], (leadId) => ({ leadId: String(leadId), n: 1 }));
    await emit(tenantId, "call.completed", [1, 2], (leadId) => ({ leadId: String(leadId), n: 2 }));
    await until(() => rx.received.length >= 8, 30_000);
    // Lead 1: attempts 1 and 2 of its first event failed; nothing else of lead 1 arrived before attempt 3 succeeded.
    const lead1 = rx.received.filter((r) => r.event.data.leadId === "1");
    expect(lead1.map((r) => `${r.event.type}#${r.headers["fairdial-delivery-attempt"]}`)).toEqual(["call.started#1", "call.started#2", "call.started#3", "call.answered#1", "call.completed#1"]);
    // Lead 2 went through meanwhile, in its own order, before lead 1's first event did.
    const lead2 = rx.received.filter((r) => r.event.data.leadId === "2");
    expect(lead2.map((r) => r.event.type)).toEqual(["call.started", "call.answered", "call.completed"]);
    expect(rx.received.indexOf(lead2[2]!)).toBeLessThan(rx.received.indexOf(lead1[2]!));
  });

  it("keeps a slow endpoint to its concurrency, and its backlog does not hold up a fast one", async () => {
    const slow = await receiver(() => ({ status: 200, delayMs: 300 }));
    const fast = await receiver();
    const a = await tenantWithEndpoint(slow.url());
    const b = await tenantWithEndpoint(fast.url());
    // The slow endpoint's 40 events are older than all of the fast one's.
    await emit(a.tenantId, "call.completed", Array.from({ length: 40 }, (_, i) => 100 + i));
    await emit(b.tenantId, "call.completed", Array.from({ length: 12 }, (_, i) => 100 + i));
    // A pass leases at most 4 × 4 = 16: fewer than the slow endpoint's backlog.
    await runtime({ perEndpoint: 2, concurrency: 4 });
    await until(() => fast.received.length === 12, 30_000);
    // The fast endpoint got everything while the slow one (2 at a time, 300 ms each: 6 s) was still at its start.
    expect(slow.received.length).toBeLessThan(20);
    await until(() => slow.received.length === 40, 60_000);
    expect(slow.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it("redelivers a delivered event on request: same event id, new delivery, outside the lead's order", async () => {
    const rx = await receiver();
    const { tenantId, endpoint } = await tenantWithEndpoint(rx.url());
    await runtime();
    await emit(tenantId, "lead.suppressed", [5]);
    await until(() => rx.received.length === 1, 20_000);
    const [entry] = await deliveryLog({ tenantId }, endpoint.id);
    const copy = await redeliver({ tenantId }, endpoint.id, entry!.deliveryId);
    await until(() => rx.received.length === 2, 20_000);
    expect(rx.received[1]!.event.id).toBe(rx.received[0]!.event.id);
    expect(rx.received[1]!.headers["fairdial-delivery-id"]).toBe(copy.id);
    // Another tenant cannot redeliver it, or even see it.
    const other = await createTenant();
    tenants.push(other.id);
    await expect(redeliver({ tenantId: other.id }, endpoint.id, entry!.deliveryId)).rejects.toThrow("not found");
    await expect(deliveryLog({ tenantId: other.id }, endpoint.id)).rejects.toThrow("not found");
  });

  it("hands a delivery out again when its job was lost (Redis flushed, a sender killed) once its lease runs out", async () => {
    const rx = await receiver();
    const { tenantId, endpoint } = await tenantWithEndpoint(rx.url());
    await emit(tenantId, "call.started", [9]);
    // A dispatcher leased the delivery and died before its job reached a sender (or the job was flushed away).
    const store = new WebhookStore(pgPool());
    await store.fanOut();
    const leased = await store.lease({ limit: 10, perEndpoint: 4, leaseMs: 800 });
    expect(leased).toHaveLength(1);
    await runtime({ leaseMs: 800 });
    await until(() => rx.received.length === 1, 20_000);
    expect((await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } })).status).toBe("SUCCEEDED");
  });
});

describe("safe targets", () => {
  it("refuses to save URLs of private, loopback and link-local addresses, credentials and other schemes", async () => {
    const tenant = await createTenant();
    tenants.push(tenant.id);
    for (const url of ["http://10.0.0.8/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/", "http://127.0.0.2/", "http://[::ffff:192.168.1.1]/", "ftp://example.com/", "https://user:pw@example.com/", "http://localhost:9999/"]) {
      await expect(createEndpoint({ tenantId: tenant.id }, { url, events: ["*"] }), url).rejects.toBeInstanceOf(FieldError);
    }
    expect(await db.webhookEndpoint.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("refuses at send time an endpoint whose address is no longer public, without sending a byte", async () => {
    const rx = await receiver();
    const { tenantId, endpoint } = await tenantWithEndpoint(rx.url());
    // As if its DNS name now pointed inside the network: 127.0.0.2 is loopback and not on the allow-list.
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { url: `http://127.0.0.2:${rx.port}/hooks` } });
    await runtime({ retryDelays: [50] });
    await emit(tenantId, "call.started", [3]);
    await until(async () => (await deliveryLog({ tenantId }, endpoint.id)).length === 2, 20_000);
    const log = await deliveryLog({ tenantId }, endpoint.id);
    expect(log[0]!.error).toMatch(/^refused: 127\.0\.0\.2 resolves to a loopback address/);
    expect(log[0]!.statusCode).toBeNull();
    expect(rx.received).toHaveLength(0);
  });
});
