// What a caller does with one job: re-check the campaign and tenant, refuse a destination the tenant may not
// call, take the calls-per-second tokens, claim the dial in Postgres, place the call, record what happened.
// Postgres decides, once per attempt, that a request goes to the provider (CallAttempt.requestedAt): a job
// delivered twice, a caller killed mid-call or a Redis flush can make an attempt be looked up again, never
// dialed again. A request whose fate is unknown leaves the attempt in doubt until the provider says.
import { DelayedError, type Job } from "bullmq";
import type { Logger } from "pino";
import { ProviderError, type DialResult, type LookupResult, type TelephonyProvider } from "../telephony/provider";
import { destinationPolicy, refusedDestination } from "../tenants/destinations";
import { callJobSchema, type CallJob } from "../queue/schema";
import { Batcher } from "./batcher";
import type { CpsLimit, CpsLimiter } from "./cps-limiter";
import type { EngineMetrics } from "./metrics";
import { finishFromResult, finishWithOutcome, type AttemptContext } from "./outcomes";
import { MAX_PROVIDER_RETRIES, providerBackoffMs } from "./retry-policy";
import type { AttemptFinish, AttemptStart, DispatchStore } from "./store";
import { HOLD_REASONS } from "../rules/holds";
import { optOutFromCall } from "../suppressions/mutations";
import { windowOpen, type CountryRulesCache } from "./windows";

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
  /** The platform's calling hours, for the last window check before each dial. */
  rules: CountryRulesCache;
  /** The clock windows are checked on (tests run a day on a fake clock). */
  clock?: () => Date;
}

export type CallJobData = CallJob & { providerRetries?: number };

export class CallProcessor {
  private readonly loader: Batcher<string, AttemptStart | undefined>;
  private readonly claimer: Batcher<string, boolean>;
  private readonly finisher: Batcher<AttemptFinish, undefined>;

  constructor(private readonly deps: CallProcessorDeps) {
    this.loader = new Batcher(
      async (ids) => {
        const rows = await deps.store.loadAttempts(ids);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id));
      },
      { maxSize: 200, maxWaitMs: 2 },
    );
    this.claimer = new Batcher(
      async (ids) => {
        const claimed = await deps.store.claimDials(ids);
        return ids.map((id) => claimed.has(id));
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

  process(job: Job<CallJobData>, token?: string): Promise<string> {
    return this.run(job, token, false);
  }

  private async run(job: Job<CallJobData>, token: string | undefined, unclaimed: boolean): Promise<string> {
    const data = callJobSchema.parse(job.data);
    const log = this.deps.log.child({ attemptId: data.attemptId, leadId: data.leadId, tenantId: data.tenantId, campaignId: data.campaignId });

    const start = await this.loader.add(data.attemptId);
    if (!start) return "stale"; // released meanwhile (pause, reconciler): the attempt row is gone
    if (start.outcome) return "duplicate";
    const ctx: AttemptContext = { attemptId: start.id, tenantId: start.tenantId, leadId: start.leadId, attemptNumber: start.attemptNumber, maxAttempts: start.maxAttempts, retryDelaySec: start.retryDelaySec, retryOutcomes: start.retryOutcomes };
    if (start.requestedAt) return this.resume(job, token, start, ctx, log, unclaimed);

    // Checked before any calls-per-second token is taken: a paused campaign's job must not use up anyone's rate.
    if (!start.runnable || start.leadStatus !== "QUEUED") {
      await this.deps.store.releaseUndialed([data.attemptId]);
      log.debug({ campaignStatus: start.campaignStatus, tenantPaused: start.tenantPaused, tenantApproved: start.tenantApproved }, "not dialing: campaign or tenant not running");
      return "released";
    }
    // A number put on a do-not-call list after the claim is never dialed: the lead ends suppressed.
    if (start.suppressed) {
      await this.deps.store.suppressUndialed([start.id]);
      log.info("number on a do-not-call list; not dialing");
      return "suppressed";
    }
    // The claim checked the window; a job that waited in the queue past its close (claimed at 20:59:59, picked up at
    // 21:00:01) goes back to waiting for the next window without consuming an attempt.
    if (!windowOpen(start.windowKey, start, await this.deps.rules.get(), this.deps.clock?.() ?? new Date())) {
      await this.deps.store.releaseUndialed([start.id]);
      log.info({ windowKey: start.windowKey }, "outside the lead's calling window; back to waiting");
      return "outside-window";
    }
    // Frequency caps and one call per number at a time across the tenant's campaigns: the lead waits, scheduled for
    // when the cap frees (or shortly, for a call in progress), without consuming an attempt.
    const hold = holdFor(start, this.deps.clock?.() ?? new Date());
    if (hold) {
      await this.deps.store.holdUndialed(start.id, hold.until, hold.reason);
      log.info({ until: hold.until, reason: hold.reason }, "not dialing yet");
      return "held";
    }
    // Checked here, not only at import: an admin may have narrowed the tenant's countries since.
    const refused = refusedDestination(start.phone, destinationPolicy(start, this.deps.allowedCountries));
    if (refused) {
      await this.finisher.add(refusedFinish(ctx, refused));
      log.info({ reason: refused }, "destination refused; not dialing");
      return "refused";
    }

    const limits = await this.cpsLimits(start.tenantId);
    const waitMs = await this.takeCpsTokens(limits);
    // A tenant's own limit must not hold a caller slot other tenants could use: the job steps aside instead.
    if (waitMs > 0) return this.delay(job, token, waitMs);

    if (!(await this.claimer.add(start.id))) {
      // Paused or cancelled since the load, another delivery of this job claimed it, or another campaign's call to
      // the number took its frequency cap meanwhile: give the attempt back (a new load then holds the lead).
      await this.deps.store.releaseUndialed([start.id]);
      return "not-claimed";
    }
    await this.spaceRequest(limits);
    return this.dial(job, token, start, ctx, log);
  }

  async drain() {
    await Promise.all([this.loader.drain(), this.claimer.drain(), this.finisher.drain()]);
  }

  /** The calls-per-second limits a call of this tenant is under: the tenant's own and the provider account's. */
  private async cpsLimits(tenantId: string): Promise<CpsLimit[]> {
    const limits: CpsLimit[] = [];
    const tenantCps = await this.deps.tenantMaxCps(tenantId);
    if (tenantCps !== null) limits.push({ name: `tenant:${tenantId}`, perSecond: tenantCps });
    if (this.deps.providerMaxCps !== null) limits.push({ name: "provider", perSecond: this.deps.providerMaxCps });
    return limits;
  }

  /**
   * The calls-per-second tokens, taken together before the dial claim. Returns 0 when taken, else how long the
   * tenant's own limit asks this job to step aside. The provider account's limit is shared by everyone alike, so
   * waiting for it in place is fair.
   */
  private takeCpsTokens(limits: CpsLimit[]): Promise<number> {
    return this.acquire(limits, (blockedBy) => blockedBy === "provider");
  }

  /** Takes a start from every limit at once; waits in place while `inPlace` says so, else returns the wait. */
  private async acquire(limits: CpsLimit[], inPlace: (blockedBy: string | null) => boolean): Promise<number> {
    for (;;) {
      const { wait, blockedBy } = await this.deps.cps.tryAcquireAll(limits);
      if (wait === 0) return 0;
      if (!inPlace(blockedBy)) return wait;
      await new Promise((r) => setTimeout(r, Math.max(1, wait)));
    }
  }

  /**
   * The same limits again, on the requests themselves, between the dial claim and the request: waited in place.
   * The tokens space the claims, and a claim's latency is not constant: a Postgres stall of two seconds holds
   * every claim made meanwhile, and they all commit together. Without this their requests would leave at once,
   * a burst of calls at the provider (and at the callees' carriers) far above the tenant's rate. A second bucket
   * of the same rate spaces them out again. When claims take their usual time a request finds its slot free (the
   * claims were spaced already), so the wait is at most the spread of claim latencies.
   */
  private async spaceRequest(limits: CpsLimit[]) {
    await this.acquire(limits.map((l) => ({ name: `${l.name}:request`, perSecond: l.perSecond })), () => true);
  }

  private async dial(job: Job<CallJobData>, token: string | undefined, start: AttemptStart, ctx: AttemptContext, log: Logger): Promise<string> {
    let result: DialResult;
    try {
      result = await this.deps.provider.placeCall({
        attemptId: start.id,
        tenantId: start.tenantId,
        campaignId: start.campaignId,
        to: start.phone,
        variables: start.variables ?? {},
        twimlUrl: start.twimlUrl,
      });
    } catch (err) {
      if (err instanceof ProviderError && err.retryable && (job.data.providerRetries ?? 0) < MAX_PROVIDER_RETRIES) {
        // Rate-limited or refused by an outage: the provider placed nothing, so the attempt is not consumed.
        const retries = job.data.providerRetries ?? 0;
        await this.deps.store.unclaimDial(start.id);
        await job.updateData({ ...job.data, providerRetries: retries + 1 });
        log.warn({ kind: err.kind, retries }, "provider refused the call; retrying later");
        return this.delay(job, token, providerBackoffMs(retries, err.retryAfterMs));
      }
      if (err instanceof ProviderError && !err.inDoubt) {
        await this.finisher.add({ ...finishWithOutcome(ctx, "PROVIDER_ERROR", { answeredAt: null, endedAt: new Date(), durationSec: null, providerCallId: null }), error: err.message });
        log.warn({ err: err.message, kind: err.kind }, "call failed at the provider");
        return "provider-error";
      }
      // The request may have reached the provider (or something unexpected broke after it went out): the call
      // may be ringing. Never dial this lead again until the provider says what became of it.
      const reason = err instanceof Error ? err.message : String(err);
      await this.deps.store.markInDoubt(start.id, reason);
      await this.deps.metrics?.recordEvent("in_doubt").catch(() => undefined);
      log.warn({ err: reason }, "dial in doubt: the provider may have placed the call; waiting for it to tell");
      return "in-doubt";
    }
    return this.record(result, ctx);
  }

  /** A job for an attempt whose request went out before (a crash, a stalled or duplicated job): ask, never redial. */
  private async resume(job: Job<CallJobData>, token: string | undefined, start: AttemptStart, ctx: AttemptContext, log: Logger, unclaimed: boolean): Promise<string> {
    let found: LookupResult;
    try {
      found = await this.deps.provider.lookup({ attemptId: start.id, providerCallId: start.providerCallId, to: start.phone, requestedAt: start.requestedAt });
    } catch (err) {
      const reason = `lookup failed: ${err instanceof Error ? err.message : String(err)}`;
      await this.deps.store.markInDoubt(start.id, reason);
      log.warn({ err: reason }, "redelivered attempt: the provider cannot tell yet; the reconciler asks again later");
      return "in-doubt";
    }
    log.info({ found: found.kind }, "redelivered attempt");
    if (found.kind === "not-found") {
      // Positively never placed: the claim is given back and the job goes through the normal path again (once).
      // A call id recorded for it means the provider did accept it and no longer knows it: that stays in doubt.
      if (unclaimed || !(await this.deps.store.unclaimDial(start.id))) {
        await this.deps.store.markInDoubt(start.id, `the provider has no record of call ${start.providerCallId ?? "?"}`);
        log.warn("redelivered attempt: the provider has no record of a call it accepted; left in doubt for the reconciler");
        return "in-doubt";
      }
      return this.run(job, token, true);
    }
    return this.record(found, ctx);
  }

  private async record(result: DialResult, ctx: AttemptContext): Promise<string> {
    if (result.kind === "pending") {
      await this.deps.store.recordPlaced(ctx.attemptId, result.providerCallId);
      return "pending";
    }
    await this.finisher.add(finishFromResult(ctx, result));
    if (result.kind === "finished" && result.optOut) {
      // After the outcome is recorded: the number goes on the tenant's list, and its other waiting leads with it.
      await optOutFromCall(ctx.tenantId, ctx.attemptId, "asked not to be called again during the call").catch((err: unknown) =>
        this.deps.log.error({ err, attemptId: ctx.attemptId, tenantId: ctx.tenantId }, "could not record an opt-out"),
      );
    }
    return result.outcome;
  }

  private async delay(job: Job, token: string | undefined, ms: number): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.ceil(ms), token);
    throw new DelayedError();
  }
}

/** A number another campaign is calling is tried again after this long (a call rarely lasts longer). */
const BUSY_RETRY_MS = 60_000;

function holdFor(start: AttemptStart, now: Date): { until: Date; reason: string } | null {
  const capped = [start.hold24h && { until: start.hold24h, reason: HOLD_REASONS.cap24h }, start.hold30d && { until: start.hold30d, reason: HOLD_REASONS.cap30d }]
    .filter((h): h is { until: Date; reason: string } => Boolean(h))
    .sort((a, b) => b.until.getTime() - a.until.getTime());
  if (capped[0]) return capped[0];
  if (start.numberBusy) return { until: new Date(now.getTime() + BUSY_RETRY_MS), reason: HOLD_REASONS.numberInUse };
  return null;
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
