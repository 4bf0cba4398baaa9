// The phones seen so far in an import, for dedupe. A Set of a million E.164 strings costs ~170 bytes an
// entry (libphonenumber builds them as concatenated strings) and the GC time to go with it; E.164 has at
// most 15 digits, which a double holds exactly, so they live as numbers in one open-addressing table:
// 16 bytes an entry at worst, invisible to the GC.

const INITIAL_SLOTS = 1 << 16;

export class PhoneSet {
  /** 0 marks an empty slot; no E.164 number is 0. */
  private slots = new Float64Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  size = 0;

  /** Adds an E.164 number ("+" and digits); false if it was already there. */
  add(e164: string): boolean {
    const key = Number(e164.slice(1));
    if (!Number.isSafeInteger(key) || key <= 0) throw new Error(`not an E.164 number: ${e164}`);
    if (!this.insert(key)) return false;
    // Grow at half full so probe runs stay short.
    if (++this.size * 2 > this.slots.length) this.grow();
    return true;
  }

  private insert(key: number): boolean {
    const slots = this.slots;
    let i = hash(key) & this.mask;
    for (;;) {
      const at = slots[i]!;
      if (at === 0) {
        slots[i] = key;
        return true;
      }
      if (at === key) return false;
      i = (i + 1) & this.mask;
    }
  }

  private grow() {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.insert(old[i]!);
  }
}

function hash(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
