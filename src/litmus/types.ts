/**
 * The concurrency explorer's plain data: a litmus test (threads of C-like
 * statements, an initial state, a condition), the events a thread's run
 * produces, and an execution (reads-from, coherence order) with its outcome.
 * Nothing here imports vscode or the rest of mmlens.
 */

/** A value in the model: an integer, or the address of a shared location (its name). */
export type Val = number | string;

export interface Pos {
  line: number;
  column: number;
}

export type Expr =
  | { k: 'num'; v: number; pos: Pos }
  | { k: 'var'; name: string; pos: Pos }
  | { k: 'addr'; name: string; pos: Pos }
  | { k: 'deref'; a: Expr; pos: Pos }
  | { k: 'un'; op: string; a: Expr; pos: Pos }
  | { k: 'bin'; op: string; a: Expr; b: Expr; pos: Pos }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr; pos: Pos }
  | { k: 'call'; name: string; args: Expr[]; pos: Pos };

export type Stmt =
  | { k: 'decl'; name: string; init: Expr | null; pos: Pos }
  | { k: 'assign'; lhs: Expr; rhs: Expr; pos: Pos }
  | { k: 'expr'; e: Expr; pos: Pos }
  | { k: 'if'; c: Expr; then: Stmt[]; else: Stmt[] | null; pos: Pos }
  | { k: 'block'; body: Stmt[]; pos: Pos };

export interface Thread {
  id: number;
  /** Parameter names: each names the shared location it points to. */
  params: string[];
  body: Stmt[];
  pos: Pos;
  /** Optional per-statement labels (timelines: "[G2]"), keyed by statement line. */
  name?: string;
}

/** A condition over the final state. */
export type Prop =
  | { k: 'true' }
  | { k: 'false' }
  | { k: 'not'; a: Prop }
  | { k: 'and'; a: Prop; b: Prop }
  | { k: 'or'; a: Prop; b: Prop }
  | { k: 'eq'; lhs: { tid: number | null; name: string }; rhs: Val; neg: boolean };

export interface Condition {
  kind: 'exists' | '~exists' | 'forall';
  prop: Prop;
  text: string;
}

export interface LitmusTest {
  name: string;
  path: string;
  /** Initial values of shared locations (absent: 0). */
  init: Map<string, Val>;
  /** Initial register values, keyed "tid:reg". */
  regInit: Map<string, Val>;
  threads: Thread[];
  filter: Prop | null;
  condition: Condition;
}

/** Raised for anything outside what the model covers: names the construct, never guesses. */
export class LitmusError extends Error {
  constructor(
    message: string,
    public readonly pos: Pos | null = null,
  ) {
    super(message);
  }
}

export type FenceKind = 'mb' | 'rmb' | 'wmb' | 'before-atomic' | 'after-atomic' | 'after-spinlock' | 'after-unlock-lock' | 'rcu-lock' | 'rcu-unlock' | 'sync-rcu';

/** One event of one thread's run. Dependencies name earlier reads by their index in the thread. */
export interface ThreadEvent {
  kind: 'R' | 'W' | 'F';
  loc: string | null;
  val: Val | null;
  fence: FenceKind | null;
  acquire: boolean;
  release: boolean;
  /** The read of a value-less RMW (atomic_inc, set_bit): smp_rmb() does not order it. */
  noreturn: boolean;
  /** Index (in the thread) of the other half of an RMW. */
  rmw: number | null;
  lock: 'LKR' | 'LKW' | 'UL' | null;
  addr: number[];
  data: number[];
  ctrl: number[];
  /** The primitive and where it was written (for witnesses and traces). */
  api: string;
  pos: Pos;
}

/** One way a thread can run: its events and final registers. */
export interface ThreadTrace {
  events: ThreadEvent[];
  regs: Map<string, Val>;
}

/** A node of an execution graph. tid -1 is the initial-state writer. */
export interface Event extends ThreadEvent {
  id: number;
  tid: number;
  /** Index in its thread's event list (po order); -1 for initial writes. */
  idx: number;
}

export interface Execution {
  events: Event[];
  /** rf[readId] = writeId. */
  rf: Map<number, number>;
  /** Coherence order per location: write ids, initial write first. */
  co: Map<string, number[]>;
  regs: Map<number, Map<string, Val>>;
  final: Map<string, Val>;
}
