// How deep the shared queue should be. Deep enough that the callers never find it empty while the scheduler
// refills it, shallow enough that work arriving now waits behind as little as possible. A refill is asked for
// when the queue falls to half its target and takes one refill latency (the poll interval plus a tick), so
// the half left must last that long at the rate the callers take jobs: target ≥ 2 × rate × latency. A fixed
// 2 × caller concurrency is far too deep for 20 s calls (40 jobs = 40 s of wait at 20 lines) and far too
// shallow for 20 ms calls (the queue runs dry between refills). Pure: the scheduler feeds it what each tick
// saw, and time is passed in.

export interface LookaheadOptions {
  /** Refill poll interval (REFILL_POLL_MS): part of every refill's latency. */
  pollMs: number;
  /** Never below this many jobs. */
  floor: number;
  /** Never above this many jobs. */
  ceiling: number;
  /** Margin over the bare 2 × rate × latency, for jitter in call ends and tick times. */
  safety: number;
  /** Rate window: the dispatch rate is measured over about this long. */
  windowMs: number;
}

export const DEFAULT_LOOKAHEAD: LookaheadOptions = { pollMs: 50, floor: 2, ceiling: 50_000, safety: 2, windowMs: 10_000 };

export interface TickObservation {
  at: number;
  /** Queue depth when the tick looked, before it published. */
  depth: number;
  /** Jobs the tick put in the queue. */
  published: number;
  /**
   * Jobs the callers are working on (BullMQ "active"). Lines that were free take jobs at once without any call
   * ending; counting those as pace would size the lookahead for a burst that never repeats. So the pace is the
   * jobs taken minus the growth in active jobs: the calls that ended.
   */
  active?: number;
  /** Lines the callers have (their concurrency): an empty queue is starvation only while some line is idle. */
  lines?: number;
  /** How long the tick took, claim and publish included. */
  durationMs: number;
  /** Work was waiting that the queue could have held (tenants not at their caps). */
  backlog: boolean;
}

export class Lookahead {
  /** Jobs the callers took between two ticks, and when that interval began and ended. */
  private readonly samples: { from: number; to: number; taken: number }[] = [];
  private last: { at: number; depthAfter: number; active: number | undefined } | null = null;
  private latencyMs: number;
  /** Grows when the callers found the queue empty while work waited; decays while the queue never runs dry. */
  private boost = 1;

  constructor(private readonly options: LookaheadOptions = DEFAULT_LOOKAHEAD) {
    this.latencyMs = options.pollMs + 50;
  }

  observe(tick: TickObservation) {
    // An interval with nothing in the queue to take says nothing about the callers' pace: an idle engine keeps the
    // rate it last measured, so a campaign starting after a quiet hour finds a lookahead sized for it.
    if (this.last && tick.at > this.last.at && this.last.depthAfter > 0) {
      // The queue held depthAfter after the last tick and holds depth now: the callers took the difference.
      const taken = Math.max(0, this.last.depthAfter - tick.depth);
      const grew = tick.active !== undefined && this.last.active !== undefined ? tick.active - this.last.active : 0;
      this.samples.push({ from: this.last.at, to: tick.at, taken: Math.max(0, taken - grew) });
      while (this.samples.length > 1 && this.samples[0]!.to < tick.at - this.options.windowMs) this.samples.shift();
      // Found empty while work waited and a line stood idle: the refill came too late. (With every line busy on
      // long calls an empty queue costs nothing: the next free line is what a job waits for.)
      const idleLine = tick.active === undefined || tick.lines === undefined || tick.active < tick.lines;
      if (tick.depth === 0 && tick.backlog && taken > 0 && idleLine) this.boost = Math.min(64, this.boost * 1.5);
      else if (tick.depth > 0) this.boost = Math.max(1, this.boost * 0.97);
    }
    this.latencyMs = 0.8 * this.latencyMs + 0.2 * (this.options.pollMs + tick.durationMs);
    this.last = { at: tick.at, depthAfter: tick.depth + tick.published, active: tick.active };
  }

  /** Jobs per second the callers took over the window; null until two ticks were seen. */
  rate(): number | null {
    if (this.samples.length === 0) return null;
    const span = this.samples[this.samples.length - 1]!.to - this.samples[0]!.from;
    const taken = this.samples.reduce((s, x) => s + x.taken, 0);
    return span > 0 ? (1000 * taken) / span : null;
  }

  /** Jobs the callers take in `ms` at the measured pace (at least 1); `fallback` until it has been measured. */
  jobsWithin(ms: number, fallback: number): number {
    const rate = this.rate();
    return rate === null ? fallback : Math.max(1, Math.ceil((rate * ms) / 1000));
  }

  /** The target depth; `fallback` (e.g. 2 × caller concurrency) until the rate has been measured. */
  target(fallback: number): number {
    const rate = this.rate();
    const want = rate === null ? fallback : Math.ceil(2 * this.options.safety * rate * (this.latencyMs / 1000) * this.boost);
    return Math.max(this.options.floor, Math.min(this.options.ceiling, want));
  }

  snapshot() {
    const rate = this.rate();
    return { rate: rate === null ? null : Math.round(rate * 10) / 10, latencyMs: Math.round(this.latencyMs), boost: Math.round(this.boost * 100) / 100 };
  }
}
