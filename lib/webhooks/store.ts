// The webhooks role's statements: fan events out into deliveries, hand due deliveries to senders under a lease
// (in order per lead and endpoint, at most N per endpoint), and record what each HTTP attempt got.
import type { Pool } from "pg";
import { withTransaction } from "../pg";

export interface LeasedDelivery {
  id: string;
  leaseToken: string;
}

export interface DeliveryToSend {
  id: string;
  endpointId: string;
  url: string;
  secretCiphertext: string;
  attempts: number;
  eventId: string;
  type: string;
  tenantId: string;
  createdAt: Date;
  data: unknown;
}

export interface AttemptRecord {
  deliveryId: string;
  leaseToken: string;
  statusCode: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  responseSnippet: string | null;
}

/** Only one process fans out and leases at a time (a transaction-scoped advisory lock); senders scale freely. */
const DISPATCH_LOCK = "hashtextextended('fairdial:webhooks:dispatch', 0)";

export class WebhookStore {
  constructor(readonly pool: Pool) {}

  /**
   * One delivery per event and subscribed, enabled endpoint, then the event is marked fanned out; oldest events
   * first. An event whose tenant's endpoints were all disabled meanwhile is marked with no delivery.
   */
  async fanOut(limit = 2000): Promise<number> {
    const { rows } = await this.pool.query(
      `WITH ev AS (
         SELECT id, "tenantId", type, seq, coalesce('lead:' || "leadId"::text, 'campaign:' || "campaignId") AS order_key
         FROM "WebhookEvent" WHERE "fannedOutAt" IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
       ), ins AS (
         INSERT INTO "WebhookDelivery" (id, "eventId", "endpointId", "tenantId", seq, "orderKey")
         SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), ev.id, e.id, ev."tenantId", ev.seq, ev.order_key
         FROM ev JOIN "WebhookEndpoint" e ON e."tenantId" = ev."tenantId" AND e.enabled AND e.events && ARRAY[ev.type, '*']
         ORDER BY ev.seq
         RETURNING 1
       ), marked AS (
         UPDATE "WebhookEvent" w SET "fannedOutAt" = now() FROM ev WHERE w.id = ev.id RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS n`,
      [limit],
    );
    return rows[0].n;
  }

  /**
   * Leases due deliveries to senders: a delivery goes out only when no earlier delivery with its order key to its
   * endpoint is still pending (a lead's events arrive in order), and an endpoint never has more than `perEndpoint`
   * leased at once (a disabled endpoint gets none: its deliveries wait until it is enabled again), and no more
   * than `limit` are leased in all (the senders' capacity: more would only wait in the
   * queue past their lease). Returns the deliveries with their lease tokens; a sender whose token no longer matches sends nothing.
   */
  async lease(opts: { limit: number; perEndpoint: number; leaseMs: number }): Promise<LeasedDelivery[]> {
    return withTransaction(this.pool, async (client) => {
      const { rows: lock } = await client.query(`SELECT pg_try_advisory_xact_lock(${DISPATCH_LOCK}) AS ok`);
      if (!lock[0].ok) return [];
      const { rows } = await client.query(
        `WITH busy AS (
           SELECT "endpointId", count(*)::int AS n FROM "WebhookDelivery"
           WHERE status = 'PENDING' AND "leaseUntil" > now() GROUP BY 1
         ), room AS (
           SELECT e.id, $2::int - coalesce(b.n, 0) AS n FROM "WebhookEndpoint" e LEFT JOIN busy b ON b."endpointId" = e.id
           WHERE e.enabled AND $2::int - coalesce(b.n, 0) > 0
         ), picked AS (
           -- Per endpoint, its oldest due deliveries up to its free slots: a long backlog of one endpoint never
           -- fills the pass, so every endpoint's next delivery goes out as soon as it has a free slot.
           SELECT x.id, x.seq FROM room CROSS JOIN LATERAL (
             SELECT d.id, d.seq FROM "WebhookDelivery" d
             WHERE d."endpointId" = room.id AND d.status = 'PENDING' AND d."nextAttemptAt" <= now()
               AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= now())
               AND (d."orderKey" IS NULL OR NOT EXISTS (
                 SELECT 1 FROM "WebhookDelivery" p WHERE p."endpointId" = d."endpointId" AND p."orderKey" = d."orderKey" AND p.status = 'PENDING' AND p.seq < d.seq))
             ORDER BY d.seq LIMIT room.n) x
           ORDER BY x.seq LIMIT greatest(0, $1 - (SELECT coalesce(sum(n), 0) FROM busy))
         )
         UPDATE "WebhookDelivery" d SET "leaseUntil" = now() + make_interval(secs => $3::double precision / 1000), "leaseToken" = gen_random_uuid()::text
         FROM picked WHERE d.id = picked.id
         RETURNING d.id, d."leaseToken"`,
        [opts.limit, opts.perEndpoint, opts.leaseMs],
      );
      return rows;
    });
  }

  /** What a sender needs for one leased delivery; null when the lease is gone (expired and handed to another, or finished). */
  async loadForSend(id: string, leaseToken: string): Promise<DeliveryToSend | null> {
    const { rows } = await this.pool.query(
      `SELECT d.id, d."endpointId", e.url, e."secretCiphertext", d.attempts, v.id AS "eventId", v.type, v."tenantId", v."createdAt", v.data
       FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e.id = d."endpointId" JOIN "WebhookEvent" v ON v.id = d."eventId"
       WHERE d.id = $1 AND d."leaseToken" = $2 AND d.status = 'PENDING' AND d."leaseUntil" > now()`,
      [id, leaseToken],
    );
    return rows[0] ?? null;
  }

  /**
   * Records one HTTP attempt and moves the delivery on: delivered; or due again after `retryDelaysMs[attempts - 1]`
   * (with ±10 % jitter so a recovered endpoint is not hit by every retry at once); or, past the last delay, failed,
   * which marks the endpoint failing. A success clears the endpoint's failing mark.
   */
  async recordAttempt(r: AttemptRecord, retryDelaysMs: number[]): Promise<"delivered" | "retry" | "failed" | "stale"> {
    const { rows } = await this.pool.query(
      `WITH d AS (
         UPDATE "WebhookDelivery" d SET attempts = d.attempts + 1, "leaseUntil" = NULL, "leaseToken" = NULL,
           "lastStatusCode" = $3, "lastError" = $6,
           status = CASE WHEN $4 THEN 'SUCCEEDED' WHEN d.attempts + 1 > cardinality($8::int[]) THEN 'FAILED' ELSE 'PENDING' END::"WebhookDeliveryStatus",
           "deliveredAt" = CASE WHEN $4 THEN now() ELSE NULL END,
           "nextAttemptAt" = CASE WHEN $4 OR d.attempts + 1 > cardinality($8::int[]) THEN d."nextAttemptAt"
             ELSE now() + make_interval(secs => ($8::int[])[d.attempts + 1] * (0.9 + random() * 0.2) / 1000) END
         WHERE d.id = $1 AND d."leaseToken" = $2 AND d.status = 'PENDING'
         RETURNING d.id, d."endpointId", d.attempts, d.status
       ), log AS (
         INSERT INTO "WebhookDeliveryAttempt" ("deliveryId", "endpointId", "attemptNumber", "statusCode", "latencyMs", error, "responseSnippet")
         SELECT d.id, d."endpointId", d.attempts, $3, $5, $6, $7 FROM d
       ), ep AS (
         UPDATE "WebhookEndpoint" e SET "failingSince" = CASE WHEN d.status = 'SUCCEEDED' THEN NULL WHEN d.status = 'FAILED' THEN coalesce(e."failingSince", now()) ELSE e."failingSince" END
         FROM d WHERE e.id = d."endpointId" AND d.status <> 'PENDING'
       )
       SELECT status FROM d`,
      [r.deliveryId, r.leaseToken, r.statusCode, r.ok, r.latencyMs, r.error?.slice(0, 500) ?? null, r.responseSnippet, retryDelaysMs],
    );
    const status = rows[0]?.status as string | undefined;
    if (!status) return "stale";
    return status === "SUCCEEDED" ? "delivered" : status === "FAILED" ? "failed" : "retry";
  }

  /** Drops events (with their deliveries and log) older than the retention period. */
  async prune(retentionDays: number, limit = 10_000): Promise<number> {
    const { rowCount } = await this.pool.query(
      // Oldest first along the seq index (events are created in seq order), so a prune reads only what it deletes.
      `DELETE FROM "WebhookEvent" WHERE id IN (SELECT id FROM "WebhookEvent" WHERE "createdAt" < now() - make_interval(days => $1) ORDER BY seq LIMIT $2)`,
      [retentionDays, limit],
    );
    return rowCount ?? 0;
  }
}
