/**
 * Running one thread of a litmus test: every path through its code, with each
 * read returning each value its location can hold. A run yields the thread's
 * events in program order — reads, writes, fences, RMW pairs — with the
 * address, data and control dependencies that link them, and its registers.
 *
 * The primitives follow linux-kernel.def: READ_ONCE/WRITE_ONCE are 'once'
 * accesses, smp_load_acquire/smp_store_release are acquire/release,
 * value-returning atomics without a suffix are fully ordered (a full fence
 * before and after the RMW), _relaxed/_acquire/_release as named, atomics
 * without a return value are unordered RMWs whose read smp_rmb() does not
 * order, a failed cmpxchg is a relaxed read, spin_lock is an acquire RMW that
 * must find the lock free and spin_unlock a release write.
 */
import { type Expr, type FenceKind, LitmusError, type LitmusTest, type Pos, type Stmt, type Thread, type ThreadEvent, type ThreadTrace, type Val } from './types';

interface RV {
  v: Val;
  deps: number[];
}

const LOCKED = 1;
const UNLOCKED = 0;

/** Values each location may hold; a read picks one of them. */
export type Domain = Map<string, Val[]>;

const FENCES: Record<string, FenceKind | null> = {
  smp_mb: 'mb',
  smp_rmb: 'rmb',
  smp_wmb: 'wmb',
  smp_mb__before_atomic: 'before-atomic',
  smp_mb__after_atomic: 'after-atomic',
  smp_mb__after_spinlock: 'after-spinlock',
  smp_mb__after_unlock_lock: 'after-unlock-lock',
  rcu_read_lock: 'rcu-lock',
  rcu_read_unlock: 'rcu-unlock',
  synchronize_rcu: 'sync-rcu',
  synchronize_rcu_expedited: 'sync-rcu',
  barrier: null,
};

type Order = 'mb' | 'once' | 'acquire' | 'release';

function orderOf(suffix: string | undefined): Order {
  return suffix === '_relaxed' ? 'once' : suffix === '_acquire' ? 'acquire' : suffix === '_release' ? 'release' : 'mb';
}

const union = (...xs: number[][]): number[] => [...new Set(xs.flat())].sort((a, b) => a - b);

class Run {
  events: ThreadEvent[] = [];
  regs = new Map<string, RV>();
  ctrl: number[] = [];
  choices: number[];
  at = 0;
  /** Number of alternatives at each choice point met in this run. */
  widths: number[] = [];
  written: { loc: string; v: Val }[] = [];

  constructor(
    private test: LitmusTest,
    private thread: Thread,
    private domain: Domain,
    choices: number[],
  ) {
    this.choices = choices;
    for (const [k, v] of test.regInit) {
      const [tid, reg] = k.split(':');
      if (Number(tid) === thread.id) this.regs.set(reg, { v, deps: [] });
    }
  }

  fail(msg: string, pos: Pos): never {
    throw new LitmusError(`${this.test.path}:${pos.line}:${pos.column}: P${this.thread.id}: ${msg}`, pos);
  }

  choose(n: number): number {
    const i = this.at++;
    this.widths[i] = n;
    return this.choices[i] ?? 0;
  }

  ev(e: Partial<ThreadEvent> & { kind: ThreadEvent['kind']; api: string; pos: Pos }): number {
    this.events.push({ loc: null, val: null, fence: null, acquire: false, release: false, noreturn: false, rmw: null, lock: null, addr: [], data: [], ctrl: [...this.ctrl], ...e });
    return this.events.length - 1;
  }

  fence(kind: FenceKind, api: string, pos: Pos): void {
    this.ev({ kind: 'F', fence: kind, api, pos });
  }

  read(loc: string, addr: number[], api: string, pos: Pos, opts: { acquire?: boolean; noreturn?: boolean; lock?: 'LKR' } = {}): RV {
    let vals = this.domain.get(loc) ?? [this.test.init.get(loc) ?? 0];
    if (opts.lock) vals = vals.filter((v) => v === UNLOCKED);
    if (!vals.length) vals = [UNLOCKED];
    const v = vals[this.choose(vals.length)];
    const id = this.ev({ kind: 'R', loc, val: v, acquire: !!opts.acquire, noreturn: !!opts.noreturn, lock: opts.lock ?? null, addr, api, pos });
    return { v, deps: [id] };
  }

  write(loc: string, val: RV, addr: number[], api: string, pos: Pos, opts: { release?: boolean; lock?: 'LKW' | 'UL'; rmw?: number } = {}): number {
    const id = this.ev({ kind: 'W', loc, val: val.v, release: !!opts.release, lock: opts.lock ?? null, addr, data: val.deps, rmw: opts.rmw ?? null, api, pos });
    if (opts.rmw !== undefined) this.events[opts.rmw].rmw = id;
    this.written.push({ loc, v: val.v });
    return id;
  }

  /** An RMW: read, compute, maybe write. Returns the value read and the value written (null: no write). */
  rmw(loc: string, addr: number[], order: Order, api: string, pos: Pos, f: (old: Val) => Val | null, opts: { noreturn?: boolean; extraData?: number[] } = {}): { old: RV; neu: RV | null } {
    // A failed conditional RMW is a relaxed read with no fences: decide after reading.
    const fenceAt = this.events.length;
    const r = this.read(loc, addr, api, pos, { acquire: order === 'acquire', noreturn: opts.noreturn });
    const nv = f(r.v);
    if (nv === null) {
      this.events[r.deps[0]].acquire = false;
      return { old: r, neu: null };
    }
    if (order === 'mb' && !opts.noreturn) {
      // The full fence before the RMW goes before its read: shift the read.
      const readEv = this.events.pop()!;
      this.fence('mb', api, pos);
      this.events.push(readEv);
      r.deps = [fenceAt + 1];
    }
    const neu: RV = { v: nv, deps: union(r.deps, opts.extraData ?? []) };
    this.write(loc, neu, addr, api, pos, { release: order === 'release', rmw: r.deps[0] });
    if (order === 'mb' && !opts.noreturn) this.fence('mb', api, pos);
    return { old: r, neu };
  }

  // ---------------------------------------------------------------- evaluation
  /** The shared location an lvalue names, with the reads its address depends on. */
  lvalue(e: Expr): { loc: string; addr: number[] } {
    if (e.k === 'deref') {
      const p = this.eval(e.a);
      if (typeof p.v !== 'string') this.fail(`dereference of ${p.v}, which is not the address of a shared location`, e.pos);
      return { loc: p.v, addr: p.deps };
    }
    if (e.k === 'var' && !this.regs.has(e.name)) return { loc: e.name, addr: [] };
    return this.fail(`this is not a shared location (use *x for a parameter int *x)`, e.pos);
  }

  /** A pointer argument (smp_load_acquire(x), atomic_inc(v), spin_lock(s)). */
  pointer(e: Expr): { loc: string; addr: number[] } {
    if (e.k === 'addr') return { loc: e.name, addr: [] };
    const p = this.eval(e);
    if (typeof p.v !== 'string') this.fail(`expected the address of a shared location, got ${p.v}`, e.pos);
    return { loc: p.v, addr: p.deps };
  }

  num(x: RV, pos: Pos): number {
    if (typeof x.v !== 'number') this.fail(`arithmetic on the address &${x.v} is outside what the model covers`, pos);
    return x.v;
  }

  eval(e: Expr): RV {
    switch (e.k) {
      case 'num':
        return { v: e.v, deps: [] };
      case 'addr':
        return { v: e.name, deps: [] };
      case 'var': {
        const r = this.regs.get(e.name);
        if (r) return r;
        if (this.thread.params.includes(e.name)) return { v: e.name, deps: [] };
        if (e.name === 'NULL') return { v: 0, deps: [] };
        if (this.test.init.has(e.name)) return this.fail(`plain (unmarked) read of the shared location "${e.name}": plain accesses and data races are outside what the model covers; use READ_ONCE()`, e.pos);
        return this.fail(`"${e.name}" is not a register, parameter or location`, e.pos);
      }
      case 'deref': {
        const { loc } = this.lvalue(e);
        return this.fail(`plain (unmarked) read of *${loc}: plain accesses and data races are outside what the model covers; use READ_ONCE()`, e.pos);
      }
      case 'un': {
        const a = this.eval(e.a);
        if (e.op === '!') return { v: a.v === 0 ? 1 : 0, deps: a.deps };
        const n = this.num(a, e.pos);
        return { v: e.op === '-' ? -n : ~n, deps: a.deps };
      }
      case 'bin': {
        const a = this.eval(e.a);
        const b = this.eval(e.b);
        const deps = union(a.deps, b.deps);
        if (e.op === '==' || e.op === '!=') return { v: (a.v === b.v) === (e.op === '==') ? 1 : 0, deps };
        if (e.op === '&&') return { v: a.v !== 0 && b.v !== 0 ? 1 : 0, deps };
        if (e.op === '||') return { v: a.v !== 0 || b.v !== 0 ? 1 : 0, deps };
        const x = this.num(a, e.pos);
        const y = this.num(b, e.pos);
        const v = (() => {
          switch (e.op) {
            case '+': return x + y;
            case '-': return x - y;
            case '*': return x * y;
            case '/': case '%':
              if (y === 0) this.fail('division by zero', e.pos);
              return e.op === '/' ? Math.trunc(x / y) : x % y;
            case '&': return x & y;
            case '|': return x | y;
            case '^': return x ^ y;
            case '<<': return x << y;
            case '>>': return x >> y;
            case '<': return x < y ? 1 : 0;
            case '>': return x > y ? 1 : 0;
            case '<=': return x <= y ? 1 : 0;
            case '>=': return x >= y ? 1 : 0;
          }
          return this.fail(`operator "${e.op}" is outside what the model covers`, e.pos);
        })();
        return { v, deps };
      }
      case 'cond': {
        const c = this.eval(e.c);
        const r = this.eval(c.v !== 0 ? e.a : e.b);
        return { v: r.v, deps: union(c.deps, r.deps) };
      }
      case 'call':
        return this.call(e);
    }
  }

  arity(e: Extract<Expr, { k: 'call' }>, n: number): void {
    if (e.args.length !== n) this.fail(`${e.name}() takes ${n} argument${n === 1 ? '' : 's'}, got ${e.args.length}`, e.pos);
  }

  call(e: Extract<Expr, { k: 'call' }>): RV {
    const name = e.name;
    const pos = e.pos;
    const none: RV = { v: 0, deps: [] };
    if (name in FENCES) {
      this.arity(e, 0);
      const k = FENCES[name];
      if (k) this.fence(k, name, pos);
      return none;
    }
    switch (name) {
      case 'READ_ONCE':
      case 'rcu_dereference': {
        this.arity(e, 1);
        const { loc, addr } = this.lvalue(e.args[0]);
        return this.read(loc, addr, name, pos);
      }
      case 'WRITE_ONCE':
      case 'rcu_assign_pointer':
      case 'smp_store_mb': {
        this.arity(e, 2);
        const { loc, addr } = this.lvalue(e.args[0]);
        const v = this.eval(e.args[1]);
        this.write(loc, v, addr, name, pos, { release: name === 'rcu_assign_pointer' });
        if (name === 'smp_store_mb') this.fence('mb', name, pos);
        return none;
      }
      case 'smp_load_acquire':
      case 'atomic_read':
      case 'atomic_read_acquire': {
        this.arity(e, 1);
        const { loc, addr } = this.pointer(e.args[0]);
        return this.read(loc, addr, name, pos, { acquire: name !== 'atomic_read' });
      }
      case 'smp_store_release':
      case 'atomic_set':
      case 'atomic_set_release': {
        this.arity(e, 2);
        const { loc, addr } = this.pointer(e.args[0]);
        const v = this.eval(e.args[1]);
        this.write(loc, v, addr, name, pos, { release: name !== 'atomic_set' });
        return none;
      }
      case 'spin_lock': {
        this.arity(e, 1);
        const { loc, addr } = this.pointer(e.args[0]);
        const r = this.read(loc, addr, name, pos, { acquire: true, lock: 'LKR' });
        this.write(loc, { v: LOCKED, deps: [] }, addr, name, pos, { lock: 'LKW', rmw: r.deps[0] });
        return none;
      }
      case 'spin_unlock': {
        this.arity(e, 1);
        const { loc, addr } = this.pointer(e.args[0]);
        this.write(loc, { v: UNLOCKED, deps: [] }, addr, name, pos, { release: true, lock: 'UL' });
        return none;
      }
    }
    // Bit operations (atomic_bitops.txt): one location per bit.
    let m = /^(__)?(set|clear|change|test_and_set|test_and_clear|test_and_change)_bit$/.exec(name);
    if (m) {
      if (m[1]) this.fail(`${name}() is non-atomic (a plain access): outside what the model covers`, pos);
      this.arity(e, 2);
      const nr = this.num(this.eval(e.args[0]), pos);
      const { loc: base, addr } = this.pointer(e.args[1]);
      const loc = `${base}:bit${nr}`;
      const op = m[2].replace('test_and_', '');
      const f = (old: Val): Val => (op === 'set' ? 1 : op === 'clear' ? 0 : old === 0 ? 1 : 0);
      const returns = m[2].startsWith('test_and_');
      const r = this.rmw(loc, addr, returns ? 'mb' : 'once', name, pos, f, { noreturn: !returns });
      return returns ? r.old : none;
    }
    if (name === 'test_bit') {
      this.arity(e, 2);
      const nr = this.num(this.eval(e.args[0]), pos);
      const { loc: base, addr } = this.pointer(e.args[1]);
      return this.read(`${base}:bit${nr}`, addr, name, pos);
    }
    m = /^(?:atomic_)?(xchg|cmpxchg)(_relaxed|_acquire|_release)?$/.exec(name);
    if (m) {
      const order = orderOf(m[2]);
      if (m[1] === 'xchg') {
        this.arity(e, 2);
        const { loc, addr } = this.pointer(e.args[0]);
        const v = this.eval(e.args[1]);
        return this.rmw(loc, addr, order, name, pos, () => v.v, { extraData: v.deps }).old;
      }
      this.arity(e, 3);
      const { loc, addr } = this.pointer(e.args[0]);
      const oldv = this.eval(e.args[1]);
      const newv = this.eval(e.args[2]);
      return this.rmw(loc, addr, order, name, pos, (old) => (old === oldv.v ? newv.v : null), { extraData: newv.deps }).old;
    }
    m = /^atomic_(add|sub|inc|dec)$/.exec(name);
    if (m) {
      const unit = m[1] === 'inc' || m[1] === 'dec';
      this.arity(e, unit ? 1 : 2);
      const d = unit ? { v: 1, deps: [] } : this.eval(e.args[0]);
      const { loc, addr } = this.pointer(e.args[unit ? 0 : 1]);
      const sign = m[1] === 'add' || m[1] === 'inc' ? 1 : -1;
      const dn = this.num(d, pos);
      this.rmw(loc, addr, 'once', name, pos, (old) => this.num({ v: old, deps: [] }, pos) + sign * dn, { noreturn: true, extraData: d.deps });
      return none;
    }
    m = /^atomic_(fetch_)?(add|sub|inc|dec)(_return)?(_relaxed|_acquire|_release)?$/.exec(name);
    if (m && (m[1] ? !m[3] : m[3])) {
      const unit = m[2] === 'inc' || m[2] === 'dec';
      this.arity(e, unit ? 1 : 2);
      const d = unit ? { v: 1, deps: [] } : this.eval(e.args[0]);
      const { loc, addr } = this.pointer(e.args[unit ? 0 : 1]);
      const sign = m[2] === 'add' || m[2] === 'inc' ? 1 : -1;
      const dn = this.num(d, pos);
      const r = this.rmw(loc, addr, orderOf(m[4]), name, pos, (old) => this.num({ v: old, deps: [] }, pos) + sign * dn, { extraData: d.deps });
      return m[1] ? r.old : r.neu!;
    }
    m = /^atomic_(sub_and_test|dec_and_test|inc_and_test|add_negative)$/.exec(name);
    if (m) {
      const unit = m[1] === 'dec_and_test' || m[1] === 'inc_and_test';
      this.arity(e, unit ? 1 : 2);
      const d = unit ? { v: 1, deps: [] } : this.eval(e.args[0]);
      const { loc, addr } = this.pointer(e.args[unit ? 0 : 1]);
      const sign = m[1] === 'sub_and_test' || m[1] === 'dec_and_test' ? -1 : 1;
      const dn = this.num(d, pos);
      const r = this.rmw(loc, addr, 'mb', name, pos, (old) => this.num({ v: old, deps: [] }, pos) + sign * dn, { extraData: d.deps });
      const nv = r.neu!.v as number;
      return { v: (m[1] === 'add_negative' ? nv < 0 : nv === 0) ? 1 : 0, deps: r.neu!.deps };
    }
    return this.fail(`${name}() is outside what the model covers (supported: READ_ONCE/WRITE_ONCE, smp_load_acquire/smp_store_release, smp_mb/rmb/wmb, smp_mb__before/after_atomic, xchg/cmpxchg and atomic_* with their _relaxed/_acquire/_release forms, bit operations, spin_lock/spin_unlock, rcu_read_lock/unlock, synchronize_rcu)`, pos);
  }

  exec(stmts: Stmt[]): void {
    for (const s of stmts) {
      switch (s.k) {
        case 'decl':
          this.regs.set(s.name, s.init ? this.eval(s.init) : (this.regs.get(s.name) ?? { v: 0, deps: [] }));
          break;
        case 'assign': {
          if (s.lhs.k === 'var' && (this.regs.has(s.lhs.name) || !this.thread.params.includes(s.lhs.name))) {
            if (!this.regs.has(s.lhs.name) && this.test.init.has(s.lhs.name)) this.fail(`plain (unmarked) write to the shared location "${s.lhs.name}": plain accesses and data races are outside what the model covers; use WRITE_ONCE()`, s.pos);
            this.regs.set(s.lhs.name, this.eval(s.rhs));
            break;
          }
          const { loc } = this.lvalue(s.lhs);
          this.fail(`plain (unmarked) write to *${loc}: plain accesses and data races are outside what the model covers; use WRITE_ONCE()`, s.pos);
          break;
        }
        case 'expr':
          this.eval(s.e);
          break;
        case 'block':
          this.exec(s.body);
          break;
        case 'if': {
          const c = this.eval(s.c);
          // The branch orders every later event after the reads the condition used (LKMM ctrl).
          this.ctrl = union(this.ctrl, c.deps);
          if (c.v !== 0) this.exec(s.then);
          else if (s.else) this.exec(s.else);
          break;
        }
      }
    }
  }
}

export const MAX_TRACES_PER_THREAD = 4096;

/** Every run of one thread over the domain. */
export function threadTraces(test: LitmusTest, thread: Thread, domain: Domain): { traces: ThreadTrace[]; written: { loc: string; v: Val }[] } {
  const traces: ThreadTrace[] = [];
  const written: { loc: string; v: Val }[] = [];
  let choices: number[] = [];
  for (;;) {
    const run = new Run(test, thread, domain, choices);
    run.exec(thread.body);
    traces.push({ events: run.events, regs: new Map([...run.regs].map(([k, r]) => [k, r.v])) });
    written.push(...run.written);
    if (traces.length > MAX_TRACES_PER_THREAD) throw new LitmusError(`${test.path}: P${thread.id} has more than ${MAX_TRACES_PER_THREAD} ways to run; too large to explore`);
    // Next choice vector: odometer over the widths this run met.
    const widths = run.widths.slice(0, run.at);
    const next = widths.map((_, i) => choices[i] ?? 0);
    let i = next.length - 1;
    while (i >= 0 && next[i] + 1 >= widths[i]) i--;
    if (i < 0) break;
    next[i]++;
    choices = next.slice(0, i + 1);
  }
  return { traces, written };
}

const MAX_VALUES = 16;

/**
 * The values each location can hold: the initial value and every value some
 * run can write, growing round by round. A value that a real execution can
 * produce comes from a chain of at most as many writes as the execution has,
 * so the rounds stop there even when an RMW would feed itself for ever
 * (atomic_inc reading its own later value); values that no execution can
 * produce only cost a few runs whose reads find no write to read from.
 */
export function valueDomain(test: LitmusTest): Domain {
  const domain: Domain = new Map();
  for (const [loc, v] of test.init) domain.set(loc, [v]);
  for (let round = 0; ; round++) {
    let changed = false;
    let maxWrites = 0;
    for (const t of test.threads) {
      const { traces, written } = threadTraces(test, t, domain);
      maxWrites += Math.max(0, ...traces.map((tr) => tr.events.filter((e) => e.kind === 'W').length));
      for (const w of written) {
        const vals = domain.get(w.loc) ?? [test.init.get(w.loc) ?? 0];
        if (!domain.has(w.loc)) domain.set(w.loc, vals);
        if (!vals.includes(w.v)) {
          vals.push(w.v);
          changed = true;
          if (vals.length > MAX_VALUES) throw new LitmusError(`${test.path}: location ${w.loc} can take more than ${MAX_VALUES} values; too large to explore`);
        }
      }
    }
    if (!changed || round >= maxWrites) return domain;
  }
}
