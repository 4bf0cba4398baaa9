// The webhooks role: a dispatcher loop (fan events out, lease due deliveries, hand them to the queue) and BullMQ
// senders. Postgres holds every event and delivery; a job is only a pointer with a lease token, so a lost job
// (Redis flushed, a sender killed) just lets its lease run out and the delivery is handed out again.
import { Queue, Worker } from "bullmq";
import type { Logger } from "pino";
import type { Env } from "../env";
import { pgPool } from "../pg";
import { WEBHOOKS_QUEUE } from "../queue/names";
import { workerRedis } from "../redis";
import { targetPolicy } from "./policy";
import { openSecret } from "./secret-box";
import { sendWebhook } from "./send";
import { signatureHeader } from "./signing";
import { WebhookStore } from "./store";

type Config = Pick<
  Env,
  | "QUEUE_PREFIX"
  | "NODE_ENV"
  | "WEBHOOK_CONCURRENCY"
  | "WEBHOOK_ENDPOINT_CONCURRENCY"
  | "WEBHOOK_TIMEOUT_MS"
  | "WEBHOOK_RETRY_DELAYS"
  | "WEBHOOK_ALLOWED_TARGETS"
  | "WEBHOOK_POLL_MS"
  | "WEBHOOK_RETENTION_DAYS"
>;

interface DeliverJob {
  deliveryId: string;
  leaseToken: string;
}

const PRUNE_EVERY_MS = 3_600_000;

export interface WebhooksRuntime {
  /** One dispatcher pass now (tests): fan out, lease, enqueue. */
  dispatchNow(): Promise<number>;
  stop(): Promise<void>;
}

export async function startWebhooksRuntime(config: Config, log: Logger, options: { leaseMs?: number } = {}): Promise<WebhooksRuntime> {
  const store = new WebhookStore(pgPool());
  const connection = workerRedis();
  const queue = new Queue<DeliverJob>(WEBHOOKS_QUEUE, { connection, prefix: config.QUEUE_PREFIX, defaultJobOptions: { attempts: 1, removeOnComplete: { count: 1000, age: 3600 }, removeOnFail: { count: 1000, age: 86_400 } } });
  const policy = targetPolicy(config);
  // A lease covers the wait in the queue and one attempt; past it the delivery is handed out again.
  const leaseMs = options.leaseMs ?? config.WEBHOOK_TIMEOUT_MS + 30_000;

  const worker = new Worker<DeliverJob>(
    WEBHOOKS_QUEUE,
    async (job) => {
      const delivery = await store.loadForSend(job.data.deliveryId, job.data.leaseToken);
      if (!delivery) return "stale";
      const body = JSON.stringify({ id: delivery.eventId, type: delivery.type, createdAt: delivery.createdAt.toISOString(), tenantId: delivery.tenantId, data: delivery.data });
      let secret: string;
      try {
        secret = openSecret(delivery.secretCiphertext);
      } catch {
        const error = "the endpoint's signing secret cannot be decrypted (was NEXTAUTH_SECRET changed?); roll the endpoint's secret";
        await store.recordAttempt({ deliveryId: delivery.id, leaseToken: job.data.leaseToken, statusCode: null, ok: false, latencyMs: 0, error, responseSnippet: null }, config.WEBHOOK_RETRY_DELAYS);
        return "failed";
      }
      const headers = {
        "fairdial-signature": signatureHeader(secret, body),
        "fairdial-event-id": delivery.eventId,
        "fairdial-event-type": delivery.type,
        "fairdial-delivery-id": delivery.id,
        "fairdial-delivery-attempt": String(delivery.attempts + 1),
      };
      const result = await sendWebhook(delivery.url, body, headers, { timeoutMs: config.WEBHOOK_TIMEOUT_MS, policy });
      const outcome = await store.recordAttempt({ deliveryId: delivery.id, leaseToken: job.data.leaseToken, ...result }, config.WEBHOOK_RETRY_DELAYS);
      const fields = { deliveryId: delivery.id, endpointId: delivery.endpointId, eventId: delivery.eventId, type: delivery.type, status: result.statusCode, latencyMs: result.latencyMs };
      if (outcome === "failed") log.warn({ ...fields, error: result.error }, "webhook delivery failed for good; the endpoint is marked failing");
      else if (!result.ok) log.info({ ...fields, error: result.error }, "webhook delivery failed; it will be retried");
      else log.debug(fields, "webhook delivered");
      return outcome;
    },
    { connection: workerRedis(), prefix: config.QUEUE_PREFIX, concurrency: config.WEBHOOK_CONCURRENCY },
  );
  worker.on("error", (err) => log.error({ err }, "webhooks worker error"));

  async function dispatchNow(): Promise<number> {
    await store.fanOut();
    const leased = await store.lease({ limit: config.WEBHOOK_CONCURRENCY * 4, perEndpoint: config.WEBHOOK_ENDPOINT_CONCURRENCY, leaseMs });
    if (leased.length > 0) {
      // The job id carries the lease token: a delivery handed out again after its lease ran out is a new job.
      await queue.addBulk(leased.map((d) => ({ name: "deliver", data: { deliveryId: d.id, leaseToken: d.leaseToken }, opts: { jobId: `${d.id}-${d.leaseToken}` } })));
    }
    return leased.length;
  }

  let stopped = false;
  let lastPrune = 0;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    if (stopped) return;
    try {
      const leased = await dispatchNow();
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        const pruned = await store.prune(config.WEBHOOK_RETENTION_DAYS);
        if (pruned > 0) log.info({ pruned }, "old webhook events pruned");
      }
      // Busy: go again at once; idle: wait a poll interval.
      timer = setTimeout(() => void loop(), leased > 0 ? 0 : config.WEBHOOK_POLL_MS);
    } catch (err) {
      log.warn({ err }, "webhook dispatch pass failed; retrying");
      timer = setTimeout(() => void loop(), Math.max(1000, config.WEBHOOK_POLL_MS));
    }
  };
  void loop();
  log.info({ concurrency: config.WEBHOOK_CONCURRENCY, perEndpoint: config.WEBHOOK_ENDPOINT_CONCURRENCY, timeoutMs: config.WEBHOOK_TIMEOUT_MS }, "webhooks sender ready");

  return {
    dispatchNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
