import { summarize, type NumberSummary } from './numericStats';

/**
 * The numbers a statistics search captures, in bounded memory however many match. Count, sum, min and
 * max are always exact. The values themselves are kept exactly up to a cap (so the usual answer — a few
 * thousand GC pauses — has an exact median and p99); past it they go into a log-bucket sketch (the idea of
 * DDSketch, Masson et al. 2019): bucket k holds values in (γ^(k−1), γ^k], so any quantile read from it is
 * within RELATIVE_ERROR of the true one, in a few thousand buckets whatever the count. Mergeable, and plain
 * data, so workers send it as it is.
 */
export const RELATIVE_ERROR = 0.005;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const LN_GAMMA = Math.log(GAMMA);
/** Numbers kept exactly, per collector: 8 bytes each. */
export const EXACT_NUMBERS = 1_000_000;

/** A collector as plain data (what a worker sends back). */
export interface CollectedNumbers {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** The values, while there are at most the cap of them. */
  exact?: Float64Array;
  /** Past the cap: [bucket key, count] pairs for positive values and for the magnitudes of negative ones. */
  positive?: [number, number][];
  negative?: [number, number][];
  zeros?: number;
}

const keyOf = (magnitude: number) => Math.ceil(Math.log(magnitude) / LN_GAMMA);
/** The value a bucket stands for: within RELATIVE_ERROR of every value in it. */
const valueOf = (key: number) => (2 * GAMMA ** key) / (GAMMA + 1);

export class NumberCollector {
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private exact: Float64Array | undefined = new Float64Array(1024);
  private readonly positive = new Map<number, number>();
  private readonly negative = new Map<number, number>();
  private zeros = 0;

  constructor(private readonly exactCap = EXACT_NUMBERS) {}

  get size(): number {
    return this.count;
  }

  add(v: number): void {
    if (this.exact) {
      if (this.count === this.exact.length) {
        if (this.count >= this.exactCap) {
          for (const x of this.exact) this.bucket(x);
          this.exact = undefined;
        } else {
          const grown = new Float64Array(Math.min(this.exactCap, this.exact.length * 2));
          grown.set(this.exact);
          this.exact = grown;
        }
      }
      if (this.exact) this.exact[this.count] = v;
      else this.bucket(v);
    } else this.bucket(v);
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Folds another collector's numbers in (from another file, node or bundle). */
  merge(o: CollectedNumbers): void {
    if (o.count === 0) return;
    if (o.exact && this.exact && this.count + o.count <= this.exactCap) {
      if (this.count + o.count > this.exact.length) {
        const grown = new Float64Array(Math.min(this.exactCap, Math.max(this.exact.length * 2, this.count + o.count)));
        grown.set(this.exact.subarray(0, this.count));
        this.exact = grown;
      }
      this.exact.set(o.exact.subarray(0, o.count), this.count);
    } else {
      this.toSketch();
      if (o.exact) for (let i = 0; i < o.count; i++) this.bucket(o.exact[i]);
      for (const [k, c] of o.positive ?? []) this.positive.set(k, (this.positive.get(k) ?? 0) + c);
      for (const [k, c] of o.negative ?? []) this.negative.set(k, (this.negative.get(k) ?? 0) + c);
      this.zeros += o.zeros ?? 0;
    }
    this.count += o.count;
    this.sum += o.sum;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
  }

  data(): CollectedNumbers {
    const base = { count: this.count, sum: this.sum, min: this.min, max: this.max };
    if (this.exact) return { ...base, exact: this.exact.slice(0, this.count) };
    return { ...base, positive: [...this.positive], negative: [...this.negative], zeros: this.zeros };
  }

  /** The summary: exact while the values are all kept, else median and p99 within RELATIVE_ERROR. */
  summary(): (NumberSummary & { approximate?: true }) | undefined {
    if (this.count === 0) return undefined;
    if (this.exact) {
      const s = summarize(this.exact.subarray(0, this.count));
      return s && { ...s, sum: this.sum };
    }
    const n = this.count;
    const median = this.quantileAt(Math.floor((n - 1) / 2));
    const p99 = this.quantileAt(Math.min(n - 1, Math.ceil(0.99 * n) - 1));
    return { count: n, sum: this.sum, min: this.min, max: this.max, mean: this.sum / n, median, p99, approximate: true };
  }

  private toSketch(): void {
    if (!this.exact) return;
    for (let i = 0; i < this.count; i++) this.bucket(this.exact[i]);
    this.exact = undefined;
  }

  private bucket(v: number): void {
    if (v === 0 || !Number.isFinite(v)) this.zeros++;
    else if (v > 0) {
      const k = keyOf(v);
      this.positive.set(k, (this.positive.get(k) ?? 0) + 1);
    } else {
      const k = keyOf(-v);
      this.negative.set(k, (this.negative.get(k) ?? 0) + 1);
    }
  }

  /** The value at 0-based rank `rank` in sorted order, from the buckets; clamped to the exact min and max. */
  private quantileAt(rank: number): number {
    let seen = 0;
    const clamp = (v: number) => Math.min(this.max, Math.max(this.min, v));
    for (const [k, c] of [...this.negative].sort((a, b) => b[0] - a[0])) {
      seen += c;
      if (seen > rank) return clamp(-valueOf(k));
    }
    seen += this.zeros;
    if (seen > rank) return clamp(0);
    for (const [k, c] of [...this.positive].sort((a, b) => a[0] - b[0])) {
      seen += c;
      if (seen > rank) return clamp(valueOf(k));
    }
    return this.max;
  }
}
