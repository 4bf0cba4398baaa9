// Postgres is the source of truth and Redis may lose anything (FLUSHALL, a restart without persistence, a
// caller killed with -9 after its job was given up). Leads sitting in queued/dialing with no live job are
// looked at: never requested → back to pending (or cancelled with their campaign); requested → only the
// provider can say what became of the call. A positive answer settles it (finished, still live, or never
// placed: then the same attempt is queued again); no answer (429, 5xx, timeout) means "ask again later",
// never "not dialed". Runs on the leader on its own timer, with bounded parallelism, outside the tick.
import type { Queue } from "bullmq";
import type { Logger } from "pino";
import type { TelephonyProvider } from "../telephony/provider";
import type { CallJob } from "../queue/schema";
import { optOutFromCall } from "../suppressions/mutations";
import type { EngineMetrics } from "./metrics";
import { finishFromResult, finishWithOutcome } from "./outcomes";
import type { AttemptFinish, DispatchStore, StaleAttempt } from "./store";

const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);
/** A call the provider still reports as in progress this long after dialing is given up on. */
const MAX_CALL_MS = 2 * 3600 * 1000;
/** A dial the provider could not account for this long is closed as failed (assumed; a late callback corrects it). */
export const IN_DOUBT_MAX_MS = 6 * 3600 * 1000;
/** Provider lookups in flight at once: a slow provider slows the reconciler, never dispatch. */
const LOOKUP_CONCURRENCY = 8;

export interface ReconcileReport {
  checked: number;
  alive: number;
  requeued: number;
  redialed: number;
  finished: number;
  inDoubt: number;
  orphans: number;
}

export interface ReconcileDeps {
  store: DispatchStore;
  provider: TelephonyProvider;
  queueFor: (attempt: StaleAttempt) => Queue<CallJob>;
  log: Logger;
  metrics?: EngineMetrics;
}

export async function reconcile(deps: ReconcileDeps, staleAfterMs: number): Promise<ReconcileReport> {
  const { store, log } = deps;
  const stale = await store.staleInFlight(staleAfterMs);
  const report: ReconcileReport = { checked: stale.length, alive: 0, requeued: 0, redialed: 0, finished: 0, inDoubt: 0, orphans: 0 };
  const alive: string[] = [];
  const undialed: string[] = [];
  const requested: StaleAttempt[] = [];
  for (const chunk of chunks(stale, 100)) {
    const states = await Promise.all(chunk.map((a) => deps.queueFor(a).getJobState(a.attemptId).catch(() => "unknown")));
    chunk.forEach((attempt, i) => {
      if (LIVE_STATES.has(states[i]!)) alive.push(attempt.leadId);
      else if (!attempt.requestedAt) undialed.push(attempt.attemptId);
      else requested.push(attempt);
    });
  }
  await store.touchLeads(alive);
  report.alive = alive.length;
  report.requeued = await store.releaseUndialed(undialed);

  const finishes: AttemptFinish[] = [];
  const optedOut: StaleAttempt[] = [];
  await forEachLimited(requested, LOOKUP_CONCURRENCY, async (attempt) => {
    const verdict = await settle(deps, attempt);
    if (verdict.finish) finishes.push(verdict.finish);
    if (verdict.optOut) optedOut.push(attempt);
    if (verdict.kind === "redialed") report.redialed++;
    if (verdict.kind === "in-doubt") report.inDoubt++;
  });
  await store.finishAttempts(finishes);
  report.finished = finishes.length;
  // As the caller does when the result comes with the dial: after the outcome, the number goes on the tenant's list.
  for (const a of optedOut) {
    await optOutFromCall(a.tenantId, a.attemptId, "asked not to be called again during the call").catch((err: unknown) =>
      log.error({ err, attemptId: a.attemptId, tenantId: a.tenantId }, "could not record an opt-out"),
    );
  }
  report.orphans = await store.orphanedInFlight(staleAfterMs);
  if (report.requeued || report.finished || report.redialed || report.inDoubt || report.orphans) log.warn({ ...report }, "reconciler checked stuck leads");
  return report;
}

/** `optOut`: the callee asked not to be called again (the lookup found it in the finished call's result). */
type Verdict = { kind: "finished" | "live" | "redialed" | "in-doubt"; finish?: AttemptFinish; optOut?: boolean };

/** What the provider says about one requested attempt, and what that means for it. */
async function settle(deps: ReconcileDeps, attempt: StaleAttempt): Promise<Verdict> {
  const { store, provider, log } = deps;
  const ctx = context(attempt);
  const requestedAt = new Date(attempt.requestedAt!);
  try {
    const found = await provider.lookup({ attemptId: attempt.attemptId, providerCallId: attempt.providerCallId, to: attempt.phone, requestedAt });
    if (found.kind === "finished") return { kind: "finished", finish: finishFromResult(ctx, found), optOut: found.optOut === true };
    if (found.kind === "pending") {
      if (Date.now() - requestedAt.getTime() > MAX_CALL_MS) return { kind: "finished", finish: assumed(ctx, "the provider still reports the call in progress after 2 hours", found.providerCallId) };
      await store.recordPlaced(attempt.attemptId, found.providerCallId);
      return { kind: "live" };
    }
    // Positively never placed: the same attempt goes back to the queue (a new job for the same attempt id). Unless
    // a call id was recorded for it (the provider did accept it, yet no longer knows it): that stays in doubt.
    if (!(await store.unclaimDial(attempt.attemptId))) return inDoubt(deps, attempt, `the provider has no record of call ${attempt.providerCallId ?? "?"}`);
    const queue = deps.queueFor(attempt);
    await queue.remove(attempt.attemptId).catch(() => 0);
    await queue.add("call", { attemptId: attempt.attemptId, leadId: attempt.leadId, tenantId: attempt.tenantId, campaignId: attempt.campaignId }, { jobId: attempt.attemptId });
    log.info({ attemptId: attempt.attemptId }, "the provider never placed this attempt's call; queued it again");
    return { kind: "redialed" };
  } catch (err) {
    // The provider could not tell: ask again after the next stale interval. Never "not dialed".
    await deps.metrics?.recordEvent("lookup_error").catch(() => undefined);
    return inDoubt(deps, attempt, `lookup failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Ask again after the next stale interval; after IN_DOUBT_MAX_MS, close it with an assumed outcome. */
async function inDoubt(deps: ReconcileDeps, attempt: StaleAttempt, reason: string): Promise<Verdict> {
  if (Date.now() - new Date(attempt.requestedAt!).getTime() > IN_DOUBT_MAX_MS) {
    await deps.metrics?.recordEvent("assumed_outcome").catch(() => undefined);
    return { kind: "finished", finish: assumed(context(attempt), `the provider could not say for 6 hours whether the call was placed (${reason})`, attempt.providerCallId) };
  }
  await deps.store.markInDoubt(attempt.attemptId, reason);
  return { kind: "in-doubt" };
}

/** An outcome fairdial assumes without the provider's word: final (a call may exist), replaced by a late callback. */
function assumed(ctx: ReturnType<typeof context>, reason: string, providerCallId: string | null): AttemptFinish {
  return {
    ...finishWithOutcome(ctx, "PROVIDER_ERROR", { answeredAt: null, endedAt: new Date(), durationSec: null, providerCallId }),
    leadStatus: "FAILED",
    nextAttemptAt: null,
    assumed: true,
    error: reason,
  };
}

function context(a: StaleAttempt) {
  return { attemptId: a.attemptId, tenantId: a.tenantId, leadId: a.leadId, attemptNumber: a.attemptNumber, maxAttempts: a.maxAttempts, retryDelaySec: a.retryDelaySec, retryOutcomes: a.retryOutcomes };
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
