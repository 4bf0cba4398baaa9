// The seeded PRNG of Trigger.dev's fairness spike: the `seedrandom` npm package's default generator (ARC4,
// RC4-drop[256], string seeds mixed by its `mixkey`), ported so the workloads here draw the very same numbers
// as theirs without adding a dependency. seedrandom("hello.")() is 0.9282578795792454, as its README says.
const WIDTH = 256;
const CHUNKS = 6;
const START_DENOM = WIDTH ** CHUNKS; // 2^48
const SIGNIFICANCE = 2 ** 52;
const OVERFLOW = SIGNIFICANCE * 2;
const MASK = WIDTH - 1;

export type Prng = () => number;

export function seedrandom(seed: string): Prng {
  const arc4 = new Arc4(mixkey(seed));
  return () => {
    // A 48-bit numerator topped up byte by byte to 52 significant bits, then shifted back under 2^53.
    let n = arc4.next(CHUNKS);
    let d = START_DENOM;
    let x = 0;
    while (n < SIGNIFICANCE) {
      n = (n + x) * WIDTH;
      d *= WIDTH;
      x = arc4.next(1);
    }
    while (n >= OVERFLOW) {
      n /= 2;
      d /= 2;
      x >>>= 1;
    }
    return (n + x) / d;
  };
}

class Arc4 {
  private i = 0;
  private j = 0;
  private readonly s: number[] = [];

  constructor(key: number[]) {
    const k = key.length > 0 ? key : [0];
    const s = this.s;
    for (let i = 0; i < WIDTH; i++) s[i] = i;
    for (let i = 0, j = 0; i < WIDTH; i++) {
      const t = s[i]!;
      j = MASK & (j + k[i % k.length]! + t);
      s[i] = s[j]!;
      s[j] = t;
    }
    this.next(WIDTH); // RC4-drop[256]
  }

  /** The next `count` bytes of the key stream as one number. */
  next(count: number): number {
    const s = this.s;
    let { i, j } = this;
    let r = 0;
    while (count--) {
      i = MASK & (i + 1);
      const t = s[i]!;
      j = MASK & (j + t);
      s[i] = s[j]!;
      s[j] = t;
      r = r * WIDTH + s[MASK & (s[i]! + t)]!;
    }
    this.i = i;
    this.j = j;
    return r;
  }
}

/** seedrandom's mixkey for a string seed: each char code folded into a 256-byte key. */
function mixkey(seed: string): number[] {
  const key: number[] = [];
  let smear = 0;
  for (let j = 0; j < seed.length; j++) {
    smear ^= (key[MASK & j] ?? 0) * 19;
    key[MASK & j] = MASK & (smear + seed.charCodeAt(j));
  }
  return key;
}
