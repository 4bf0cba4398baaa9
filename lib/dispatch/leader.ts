import type { Pool } from "pg";
import type { LeaseFence } from "./store";

// Exactly one scheduler acts at a time: a lease row in Postgres (the source of truth, so it survives a Redis
// flush), renewed on its own timer so a long tick or a slow provider cannot let it lapse. Every takeover bumps
// the epoch, and every claim carries the epoch it was planned under (see DispatchStore.claim): a leader that
// was frozen past its lease (SIGSTOP, a GC pause, a stalled VM) and wakes up claims nothing.
const TAKE_OR_RENEW = `
  INSERT INTO "SchedulerLease" (name, holder, epoch, "expiresAt")
  VALUES ($1, $2, 1, localtimestamp + make_interval(secs => $3::double precision / 1000))
  ON CONFLICT (name) DO UPDATE SET
    holder = EXCLUDED.holder,
    -- Renewing an unexpired lease keeps the epoch; anything else (takeover, or our own lapsed lease) is a new one.
    epoch = CASE WHEN "SchedulerLease".holder = EXCLUDED.holder AND "SchedulerLease"."expiresAt" > localtimestamp
                 THEN "SchedulerLease".epoch ELSE "SchedulerLease".epoch + 1 END,
    "expiresAt" = EXCLUDED."expiresAt"
  WHERE "SchedulerLease".holder = EXCLUDED.holder OR "SchedulerLease"."expiresAt" <= localtimestamp
  RETURNING epoch`;

export interface LeaseOptions {
  /** How long a lease lasts without renewal. */
  ttlMs: number;
  /** How often the holder renews (and a standby tries to take over); at most a third of the TTL. */
  renewEveryMs: number;
}

export class LeaderLease {
  private epoch: number | null = null;
  /** Local deadline: past it, this instance no longer trusts that it leads (the fence still decides). */
  private validUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<boolean> | null = null;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;

  constructor(
    private readonly pool: Pool,
    readonly name: string,
    readonly id: string,
    options: LeaseOptions,
    private readonly onChange: (leading: boolean) => void = () => {},
  ) {
    this.renewEveryMs = Math.max(10, options.renewEveryMs);
    this.ttlMs = Math.max(options.ttlMs, 3 * this.renewEveryMs);
  }

  /** Renews (or tries to take) the lease now and then every renewEveryMs, independent of any tick. */
  start() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.acquireOrRenew(), this.renewEveryMs);
    this.timer.unref?.();
  }

  /** True while this instance holds an unexpired lease: renews if held, takes it if free or lapsed. */
  acquireOrRenew(): Promise<boolean> {
    this.renewing ??= this.renew().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  /** Whether this instance leads right now, without a round trip. */
  get leading(): boolean {
    return this.epoch !== null && Date.now() < this.validUntil;
  }

  /** The fencing token for claims made now; null when not leading. */
  fence(): LeaseFence | null {
    return this.leading && this.epoch !== null ? { name: this.name, holder: this.id, epoch: this.epoch } : null;
  }

  async release() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const was = this.epoch;
    this.epoch = null;
    if (was !== null) {
      // Expire it now so a standby takes over at its next try instead of waiting out the TTL.
      await this.pool.query(`UPDATE "SchedulerLease" SET "expiresAt" = localtimestamp WHERE name = $1 AND holder = $2 AND epoch = $3`, [this.name, this.id, was]);
      this.onChange(false);
    }
  }

  private async renew(): Promise<boolean> {
    const startedAt = Date.now();
    const before = this.leading;
    try {
      const { rows } = await this.pool.query(TAKE_OR_RENEW, [this.name, this.id, this.ttlMs]);
      if (rows.length === 0) {
        this.epoch = null;
      } else {
        this.epoch = Number(rows[0].epoch);
        // Counted from before the request: the lease may have been written as late as the answer arrived.
        this.validUntil = startedAt + this.ttlMs - this.renewEveryMs;
      }
    } catch {
      // Postgres unreachable: keep what we had until it runs out; claims are fenced in Postgres anyway.
    }
    if (before !== this.leading) this.onChange(this.leading);
    return this.leading;
  }
}

/** Who holds an unexpired lease of this name right now, for the admin view. */
export async function currentLeader(pool: Pool, name: string): Promise<string | null> {
  const { rows } = await pool.query(`SELECT holder FROM "SchedulerLease" WHERE name = $1 AND "expiresAt" > localtimestamp`, [name]);
  return (rows[0]?.holder as string | undefined) ?? null;
}
