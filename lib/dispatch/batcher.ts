// Collects single-item requests from many concurrent jobs into one statement. Postgres does ~6,000
// single-row updates/s here but ~190,000 rows/s batched, so the caller's writes go through batchers;
// each job still waits for its own batch to commit before it acknowledges, so nothing is acknowledged unsaved.
export class Batcher<In, Out> {
  private pending: { item: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;

  constructor(
    private readonly run: (items: In[]) => Promise<Out[]>,
    private readonly options: { maxSize: number; maxWaitMs: number; maxConcurrent?: number },
  ) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxSize) this.flushSoon(0);
      else this.flushSoon(this.options.maxWaitMs);
    });
  }

  async drain() {
    while (this.pending.length > 0 || this.inFlight > 0) {
      if (this.pending.length > 0) await this.flush();
      else await new Promise((r) => setTimeout(r, 5));
    }
  }

  private flushSoon(ms: number) {
    if (ms === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, ms);
    }
  }

  private async flush() {
    if (this.pending.length === 0) return;
    if (this.inFlight >= (this.options.maxConcurrent ?? 2)) return this.flushSoon(this.options.maxWaitMs);
    const batch = this.pending.splice(0, this.options.maxSize);
    this.inFlight++;
    try {
      const results = await this.run(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (err) {
      batch.forEach((b) => b.reject(err));
    } finally {
      this.inFlight--;
      if (this.pending.length > 0) this.flushSoon(this.pending.length >= this.options.maxSize ? 0 : this.options.maxWaitMs);
    }
  }
}
