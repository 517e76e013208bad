/**
 * Binary relations over the n events of one candidate execution, as bit
 * matrices (one Uint32Array row of ⌈n/32⌉ words per event). Small, dense and
 * allocation-light: the checker composes a few dozen of these per execution.
 */
export class Rel {
  readonly w: number;
  readonly bits: Uint32Array;
  constructor(
    readonly n: number,
    bits?: Uint32Array,
  ) {
    this.w = (n + 31) >>> 5 || 1;
    this.bits = bits ?? new Uint32Array(n * this.w);
  }
  static id(n: number, keep?: (i: number) => boolean): Rel {
    const r = new Rel(n);
    for (let i = 0; i < n; i++) if (!keep || keep(i)) r.add(i, i);
    return r;
  }
  static from(n: number, pairs: Iterable<[number, number]>): Rel {
    const r = new Rel(n);
    for (const [a, b] of pairs) r.add(a, b);
    return r;
  }
  add(i: number, j: number): void {
    this.bits[i * this.w + (j >>> 5)] |= 1 << (j & 31);
  }
  has(i: number, j: number): boolean {
    return (this.bits[i * this.w + (j >>> 5)] & (1 << (j & 31))) !== 0;
  }
  copy(): Rel {
    return new Rel(this.n, this.bits.slice());
  }
  isEmpty(): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k]) return false;
    return true;
  }
  /** Pairs, in row order. */
  *pairs(): Generator<[number, number]> {
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) if (this.has(i, j)) yield [i, j];
  }
  union(...others: Rel[]): Rel {
    const r = this.copy();
    for (const o of others) for (let k = 0; k < r.bits.length; k++) r.bits[k] |= o.bits[k];
    return r;
  }
  inter(o: Rel): Rel {
    const r = this.copy();
    for (let k = 0; k < r.bits.length; k++) r.bits[k] &= o.bits[k];
    return r;
  }
  minus(o: Rel): Rel {
    const r = this.copy();
    for (let k = 0; k < r.bits.length; k++) r.bits[k] &= ~o.bits[k];
    return r;
  }
  /** r ; o */
  seq(o: Rel): Rel {
    const r = new Rel(this.n);
    const w = this.w;
    for (let i = 0; i < this.n; i++) {
      const base = i * w;
      for (let j = 0; j < this.n; j++) {
        if (!(this.bits[base + (j >>> 5)] & (1 << (j & 31)))) continue;
        const ob = j * w;
        for (let k = 0; k < w; k++) r.bits[base + k] |= o.bits[ob + k];
      }
    }
    return r;
  }
  /** r+ (Warshall). */
  plus(): Rel {
    const r = this.copy();
    const w = this.w;
    for (let k = 0; k < this.n; k++) {
      const kb = k * w;
      const kw = k >>> 5;
      const km = 1 << (k & 31);
      for (let i = 0; i < this.n; i++) {
        if (!(r.bits[i * w + kw] & km)) continue;
        const ib = i * w;
        for (let x = 0; x < w; x++) r.bits[ib + x] |= r.bits[kb + x];
      }
    }
    return r;
  }
  star(): Rel {
    const r = this.plus();
    for (let i = 0; i < this.n; i++) r.add(i, i);
    return r;
  }
  opt(): Rel {
    const r = this.copy();
    for (let i = 0; i < this.n; i++) r.add(i, i);
    return r;
  }
  inverse(): Rel {
    const r = new Rel(this.n);
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) if (this.has(i, j)) r.add(j, i);
    return r;
  }
  /** Keep pairs whose endpoints pass the filters. */
  filter(dom: ((i: number) => boolean) | null, ran: ((j: number) => boolean) | null): Rel {
    const r = new Rel(this.n);
    for (let i = 0; i < this.n; i++) {
      if (dom && !dom(i)) continue;
      for (let j = 0; j < this.n; j++) if (this.has(i, j) && (!ran || ran(j))) r.add(i, j);
    }
    return r;
  }
  irreflexive(): boolean {
    for (let i = 0; i < this.n; i++) if (this.has(i, i)) return false;
    return true;
  }
  acyclic(): boolean {
    return this.plus().irreflexive();
  }
}
