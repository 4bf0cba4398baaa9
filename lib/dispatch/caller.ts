// What a caller does with one job: re-check the campaign and tenant, respect calls-per-second limits, refuse a
// destination the tenant may not call, place the call through the provider (idempotent by attempt id), record
// the outcome. Reads and writes go through batchers so many concurrent jobs share a few statements.
import { DelayedError, type Job } from "bullmq";
import type { Logger } from "pino";
import { ProviderError, type DialResult, type TelephonyProvider } from "../telephony/provider";
import { destinationPolicy, refusedDestination } from "../tenants/destinations";
import { callJobSchema, type CallJob } from "../queue/schema";
import { Batcher } from "./batcher";
import type { CpsLimiter } from "./cps-limiter";
import type { EngineMetrics } from "./metrics";
import { finishFromResult, finishWithOutcome, type AttemptContext } from "./outcomes";
import { MAX_PROVIDER_RETRIES, providerBackoffMs } from "./retry-policy";
import type { AttemptFinish, AttemptStart, DispatchStore } from "./store";

export interface CallProcessorDeps {
  store: DispatchStore;
  provider: TelephonyProvider;
  cps: CpsLimiter;
  /** Tenant calls-per-second limit (cached briefly by the caller process); null = unlimited. */
  tenantMaxCps: (tenantId: string) => Promise<number | null>;
  providerMaxCps: number | null;
  /** The platform's destination countries (ALLOWED_COUNTRIES), for tenants without a list of their own. */
  allowedCountries: readonly string[];
  log: Logger;
  metrics?: EngineMetrics;
}

export type CallJobData = CallJob & { providerRetries?: number };

export class CallProcessor {
  private readonly starter: Batcher<string, AttemptStart | undefined>;
  private readonly finisher: Batcher<AttemptFinish, undefined>;

  constructor(private readonly deps: CallProcessorDeps) {
    this.starter = new Batcher(
      async (ids) => {
        const rows = await deps.store.startAttempts(ids);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id));
      },
      { maxSize: 200, maxWaitMs: 2 },
    );
    this.finisher = new Batcher(
      async (items) => {
        await deps.store.finishAttempts(items);
        await deps.metrics?.recordOutcomes(items).catch(() => undefined);
        return items.map(() => undefined);
      },
      { maxSize: 200, maxWaitMs: 2 },
    );
  }

  async process(job: Job<CallJobData>, token?: string): Promise<string> {
    const data = callJobSchema.parse(job.data);
    const log = this.deps.log.child({ attemptId: data.attemptId, leadId: data.leadId, tenantId: data.tenantId, campaignId: data.campaignId });

    // A tenant's own limit must not hold a caller slot other tenants could use: the job steps aside instead.
    const tenantCps = await this.deps.tenantMaxCps(data.tenantId);
    if (tenantCps !== null) {
      const wait = await this.deps.cps.tryAcquire(`tenant:${data.tenantId}`, tenantCps);
      if (wait > 0) return this.delay(job, token, wait);
    }
    // The provider account's limit is shared by everyone alike, so waiting in place is fair.
    if (this.deps.providerMaxCps !== null) await this.deps.cps.acquire("provider", this.deps.providerMaxCps);

    const start = await this.starter.add(data.attemptId);
    if (!start) return "stale"; // attempt released by the reconciler meanwhile
    if (start.outcome) return "duplicate";
    if (!start.proceed) {
      await this.deps.store.releaseUndialed([data.attemptId]);
      log.debug({ campaignStatus: start.campaignStatus, tenantPaused: start.tenantPaused, tenantApproved: start.tenantApproved }, "not dialing: campaign or tenant not running");
      return "released";
    }

    const ctx: AttemptContext = { attemptId: start.id, tenantId: start.tenantId, leadId: start.leadId, attemptNumber: start.attemptNumber, maxAttempts: start.maxAttempts, retryDelaySec: start.retryDelaySec, retryOutcomes: start.retryOutcomes };
    let result: DialResult | null = null;
    if (start.dialedAt) {
      // Dialed before a crash or a stalled job: ask the provider instead of dialing again.
      result = await this.deps.provider.lookup(start.id, start.providerCallId);
      log.info({ found: result?.kind ?? "never dialed" }, "redelivered attempt");
    }
    if (!result) {
      // Checked here, not only at import: an admin may have narrowed the tenant's countries since.
      const refused = refusedDestination(start.phone, destinationPolicy(start, this.deps.allowedCountries));
      if (refused) {
        await this.finisher.add(refusedFinish(ctx, refused));
        log.info({ reason: refused }, "destination refused; not dialing");
        return "refused";
      }
    }
    try {
      result ??= await this.deps.provider.placeCall({
        attemptId: start.id,
        tenantId: start.tenantId,
        campaignId: start.campaignId,
        to: start.phone,
        variables: start.variables ?? {},
        twimlUrl: start.twimlUrl,
      });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      const retries = job.data.providerRetries ?? 0;
      if (err.retryable && retries < MAX_PROVIDER_RETRIES) {
        // Rate-limited or a provider outage: the call never happened, so the attempt is not consumed.
        await this.deps.store.undoDial(start.id);
        await job.updateData({ ...job.data, providerRetries: retries + 1 });
        log.warn({ kind: err.kind, retries }, "provider refused the call; retrying later");
        return this.delay(job, token, providerBackoffMs(retries, err.retryAfterMs));
      }
      await this.finisher.add({ ...finishWithOutcome(ctx, "PROVIDER_ERROR", { answeredAt: null, endedAt: new Date(), durationSec: null, providerCallId: null }), error: err.message });
      log.warn({ err: err.message, kind: err.kind }, "call failed at the provider");
      return "provider-error";
    }
    if (result.kind === "pending") {
      await this.deps.store.setProviderCallId(start.id, result.providerCallId);
      return "pending";
    }
    await this.finisher.add(finishFromResult(ctx, result));
    return result.outcome;
  }

  async drain() {
    await Promise.all([this.starter.drain(), this.finisher.drain()]);
  }

  private async delay(job: Job, token: string | undefined, ms: number): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.ceil(ms), token);
    throw new DelayedError();
  }
}

/** A call the caller will not place: final, whatever the campaign's retry policy (retrying cannot make it allowed). */
function refusedFinish(ctx: AttemptContext, reason: string): AttemptFinish {
  return {
    attemptId: ctx.attemptId,
    tenantId: ctx.tenantId,
    leadId: ctx.leadId,
    outcome: "FAILED",
    answeredAt: null,
    endedAt: new Date(),
    durationSec: null,
    providerCallId: null,
    leadStatus: "FAILED",
    nextAttemptAt: null,
    error: reason,
    notDialed: true,
  };
}
