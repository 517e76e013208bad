/**
 * Reader of the kernel's C litmus format (tools/memory-model/litmus-tests
 * style): a `C name` header line, optional `(* ... *)` comments and a quoted
 * doc string, an init block `{ x=0; int *p=&y; 0:r1=0; }`, processes
 * `P0(int *x, int *y) { ... }`, then `locations [...]`, `filter (...)` and one
 * of `exists`/`~exists`/`forall`. C bodies are a small subset: declarations,
 * assignments, calls, `if`/`else` and blocks; anything else is a LitmusError
 * naming the construct.
 */
import { type Condition, type Expr, LitmusError, type LitmusTest, type Pos, type Prop, type Stmt, type Thread, type Val } from './types';

interface Tok {
  t: 'id' | 'num' | 'p' | 'str' | 'eof';
  v: string;
  pos: Pos;
}

const PUNCT = ['/\\', '\\/', '->', '&&', '||', '==', '!=', '<=', '>=', '<<', '>>', '++', '--', '+=', '-=', '|=', '&=', '^='];

/** Blank out comments, keeping line and column of everything else. */
function stripComments(src: string): string {
  const out = src.split('');
  let i = 0;
  const blank = (a: number, b: number) => {
    for (let j = a; j < b; j++) if (out[j] !== '\n') out[j] = ' ';
  };
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      const e = src.indexOf('\n', i);
      const end = e < 0 ? src.length : e;
      blank(i, end);
      i = end;
    } else if (c === '/' && n === '*') {
      const e = src.indexOf('*/', i + 2);
      const end = e < 0 ? src.length : e + 2;
      blank(i, end);
      i = end;
    } else if (c === '(' && n === '*' && /[\s*]/.test(src[i + 2] ?? ' ')) {
      // OCaml-style comment (the litmus header's "(* Result: Never *)"); nests.
      let depth = 1;
      let j = i + 2;
      while (j < src.length && depth > 0) {
        if (src[j] === '(' && src[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (src[j] === '*' && src[j + 1] === ')') {
          depth--;
          j += 2;
        } else j++;
      }
      blank(i, j);
      i = j;
    } else if (c === '"') {
      const e = src.indexOf('"', i + 1);
      i = e < 0 ? src.length : e + 1;
    } else i++;
  }
  return out.join('');
}

function tokenize(src: string, firstLine: number): Tok[] {
  const toks: Tok[] = [];
  let line = firstLine;
  let col = 1;
  let i = 0;
  const adv = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (src[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      adv(1);
      continue;
    }
    const pos = { line, column: col };
    const rest = src.slice(i, i + 40);
    let m: RegExpExecArray | null;
    if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      toks.push({ t: 'id', v: m[0], pos });
      adv(m[0].length);
    } else if ((m = /^(0x[0-9a-fA-F]+|[0-9]+)[uUlL]*/.exec(rest))) {
      toks.push({ t: 'num', v: String(Number(m[1])), pos });
      adv(m[0].length);
    } else if (c === '"') {
      const e = src.indexOf('"', i + 1);
      const end = e < 0 ? src.length : e + 1;
      toks.push({ t: 'str', v: src.slice(i + 1, end - 1), pos });
      adv(end - i);
    } else {
      const p = PUNCT.find((x) => src.startsWith(x, i)) ?? c;
      toks.push({ t: 'p', v: p, pos });
      adv(p.length);
    }
  }
  toks.push({ t: 'eof', v: '', pos: { line, column: col } });
  return toks;
}

const TYPE_WORDS = new Set(['int', 'long', 'unsigned', 'signed', 'short', 'char', 'bool', 'u8', 'u16', 'u32', 'u64', 's32', 's64', 'intptr_t', 'uintptr_t', 'atomic_t', 'atomic_long_t', 'atomic64_t', 'spinlock_t', 'const', 'volatile', 'struct', 'srcu_struct']);
const UNSUPPORTED_STMT = new Set(['while', 'for', 'do', 'goto', 'switch', 'return', 'break', 'continue']);

class Parser {
  i = 0;
  constructor(
    private toks: Tok[],
    private path: string,
  ) {}
  peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  next(): Tok {
    return this.toks[Math.min(this.i++, this.toks.length - 1)];
  }
  is(v: string, o = 0): boolean {
    const t = this.peek(o);
    return (t.t === 'p' || t.t === 'id') && t.v === v;
  }
  fail(msg: string, t: Tok = this.peek()): never {
    throw new LitmusError(`${this.path}:${t.pos.line}:${t.pos.column}: ${msg}`, t.pos);
  }
  expect(v: string): Tok {
    if (!this.is(v)) this.fail(`expected "${v}", found ${this.peek().t === 'eof' ? 'end of file' : `"${this.peek().v}"`}`);
    return this.next();
  }
  ident(): Tok {
    const t = this.peek();
    if (t.t !== 'id') this.fail(`expected a name, found ${t.t === 'eof' ? 'end of file' : `"${t.v}"`}`);
    return this.next();
  }

  // ------------------------------------------------------------ init block
  initBlock(test: LitmusTest): void {
    this.expect('{');
    while (!this.is('}')) {
      if (this.peek().t === 'eof') this.fail('the init block is not closed');
      if (this.is(';')) {
        this.next();
        continue;
      }
      // [type words] [*]* name [= value] ;   or   N:reg = value ;
      let isPointer = false;
      while (this.peek().t === 'id' && TYPE_WORDS.has(this.peek().v) && (this.peek(1).t === 'id' || this.is('*', 1))) this.next();
      while (this.is('*')) {
        this.next();
        isPointer = true;
      }
      let key: string;
      let tid: number | null = null;
      if (this.peek().t === 'num' && this.is(':', 1)) {
        tid = Number(this.next().v);
        this.next();
        key = this.ident().v;
      } else key = this.ident().v;
      let value: Val = 0;
      if (this.is('=')) {
        this.next();
        value = this.initValue();
      } else if (isPointer) value = 0;
      if (tid !== null) test.regInit.set(`${tid}:${key}`, value);
      else test.init.set(key, value);
      if (!this.is('}')) this.expect(';');
    }
    this.expect('}');
  }
  initValue(): Val {
    if (this.is('&')) {
      this.next();
      return this.ident().v;
    }
    if (this.is('-')) {
      this.next();
      return -Number(this.expectNum());
    }
    if (this.peek().t === 'num') return Number(this.next().v);
    const id = this.ident().v;
    if ((id === 'ATOMIC_INIT' || id === 'ATOMIC_LONG_INIT') && this.is('(')) {
      this.next();
      const neg = this.is('-') ? (this.next(), -1) : 1;
      const v = neg * Number(this.expectNum());
      this.expect(')');
      return v;
    }
    if (id === 'NULL') return 0;
    return id;
  }
  expectNum(): string {
    const t = this.peek();
    if (t.t !== 'num') this.fail(`expected a number, found "${t.v}"`);
    return this.next().v;
  }

  // ------------------------------------------------------------ processes
  process(): Thread {
    const head = this.ident();
    const m = /^P(\d+)$/.exec(head.v);
    if (!m) this.fail(`expected a process P0, P1, ... or a condition, found "${head.v}"`, head);
    this.expect('(');
    const params: string[] = [];
    while (!this.is(')')) {
      let last: string | null = null;
      while (!this.is(',') && !this.is(')')) {
        const t = this.next();
        if (t.t === 'eof') this.fail('parameter list not closed');
        if (t.t === 'id') last = t.v;
      }
      if (last) params.push(last);
      if (this.is(',')) this.next();
    }
    this.expect(')');
    const body = this.block();
    return { id: Number(m[1]), params, body, pos: head.pos };
  }
  block(): Stmt[] {
    this.expect('{');
    const out: Stmt[] = [];
    while (!this.is('}')) {
      if (this.peek().t === 'eof') this.fail('a "{" is not closed');
      out.push(...this.stmt());
    }
    this.next();
    return out;
  }
  stmt(): Stmt[] {
    const t = this.peek();
    if (this.is(';')) {
      this.next();
      return [];
    }
    if (this.is('{')) return [{ k: 'block', body: this.block(), pos: t.pos }];
    if (t.t === 'id' && UNSUPPORTED_STMT.has(t.v)) this.fail(`"${t.v}" is outside what the model covers (loops and early exits are not explored; unroll the loop into straight-line code)`);
    if (this.is('if')) {
      this.next();
      this.expect('(');
      const c = this.expr();
      this.expect(')');
      const then = this.stmt();
      let els: Stmt[] | null = null;
      if (this.is('else')) {
        this.next();
        els = this.stmt();
      }
      return [{ k: 'if', c, then, else: els, pos: t.pos }];
    }
    if (t.t === 'id' && TYPE_WORDS.has(t.v) && (this.peek(1).t === 'id' || this.is('*', 1))) {
      while (this.peek().t === 'id' && TYPE_WORDS.has(this.peek().v) && (this.peek(1).t === 'id' || this.is('*', 1))) this.next();
      const out: Stmt[] = [];
      for (;;) {
        while (this.is('*')) this.next();
        const name = this.ident();
        let init: Expr | null = null;
        if (this.is('=')) {
          this.next();
          init = this.expr();
        }
        out.push({ k: 'decl', name: name.v, init, pos: name.pos });
        if (this.is(',')) {
          this.next();
          continue;
        }
        break;
      }
      this.expect(';');
      return out;
    }
    const e = this.expr();
    if (this.is('=')) {
      this.next();
      const rhs = this.expr();
      this.expect(';');
      return [{ k: 'assign', lhs: e, rhs, pos: t.pos }];
    }
    if (['+=', '-=', '|=', '&=', '^=', '++', '--'].some((op) => this.is(op))) this.fail(`"${this.peek().v}" is outside what the model covers; write "r = r + 1" with an explicit read and write`);
    this.expect(';');
    return [{ k: 'expr', e, pos: t.pos }];
  }

  // ------------------------------------------------------------ expressions
  expr(): Expr {
    const c = this.binary(0);
    if (this.is('?')) {
      const pos = this.next().pos;
      const a = this.expr();
      this.expect(':');
      const b = this.expr();
      return { k: 'cond', c, a, b, pos };
    }
    return c;
  }
  static LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
  binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    while (this.peek().t === 'p' && Parser.LEVELS[level].includes(this.peek().v)) {
      const op = this.next();
      const b = this.binary(level + 1);
      a = { k: 'bin', op: op.v, a, b, pos: op.pos };
    }
    return a;
  }
  unary(): Expr {
    const t = this.peek();
    if (t.t === 'p' && ['!', '-', '~'].includes(t.v)) {
      this.next();
      return { k: 'un', op: t.v, a: this.unary(), pos: t.pos };
    }
    if (this.is('*')) {
      this.next();
      return { k: 'deref', a: this.unary(), pos: t.pos };
    }
    if (this.is('&')) {
      this.next();
      const n = this.ident();
      if (this.is('->') || this.is('[') || this.is('.')) this.fail(`"&${n.v}${this.peek().v}..." (structure fields and arrays) is outside what the model covers`);
      return { k: 'addr', name: n.v, pos: t.pos };
    }
    if (this.is('(')) {
      // A cast "(int *)" or "(uintptr_t)" is dropped; otherwise a parenthesised expression.
      if (this.peek(1).t === 'id' && TYPE_WORDS.has(this.peek(1).v)) {
        this.next();
        while (!this.is(')')) {
          if (this.peek().t === 'eof') this.fail('cast not closed');
          this.next();
        }
        this.next();
        return this.unary();
      }
      this.next();
      const e = this.expr();
      this.expect(')');
      return e;
    }
    return this.postfix();
  }
  postfix(): Expr {
    const t = this.next();
    if (t.t === 'num') return { k: 'num', v: Number(t.v), pos: t.pos };
    if (t.t !== 'id') this.fail(`unexpected ${t.t === 'eof' ? 'end of file' : `"${t.v}"`} in an expression`, t);
    if (this.is('(')) {
      this.next();
      const args: Expr[] = [];
      while (!this.is(')')) {
        args.push(this.expr());
        if (this.is(',')) this.next();
        else if (!this.is(')')) this.fail(`expected "," or ")" in the arguments of ${t.v}()`);
      }
      this.next();
      return { k: 'call', name: t.v, args, pos: t.pos };
    }
    if (this.is('->') || this.is('[') || this.is('.')) this.fail(`"${t.v}${this.peek().v}..." (structure fields and arrays) is outside what the model covers`);
    return { k: 'var', name: t.v, pos: t.pos };
  }

  // ------------------------------------------------------------ conditions
  prop(): Prop {
    let a = this.conj();
    while (this.is('\\/')) {
      this.next();
      a = { k: 'or', a, b: this.conj() };
    }
    return a;
  }
  conj(): Prop {
    let a = this.propUnary();
    while (this.is('/\\')) {
      this.next();
      a = { k: 'and', a, b: this.propUnary() };
    }
    return a;
  }
  propUnary(): Prop {
    if (this.is('~') || this.is('not')) {
      this.next();
      return { k: 'not', a: this.propUnary() };
    }
    if (this.is('(')) {
      this.next();
      const p = this.prop();
      this.expect(')');
      return p;
    }
    if (this.is('true')) {
      this.next();
      return { k: 'true' };
    }
    if (this.is('false')) {
      this.next();
      return { k: 'false' };
    }
    let tid: number | null = null;
    if (this.peek().t === 'num' && this.is(':', 1)) {
      tid = Number(this.next().v);
      this.next();
    }
    if (this.is('*')) this.next();
    const name = this.ident().v;
    let neg = false;
    if (this.is('!=')) {
      this.next();
      neg = true;
    } else if (this.is('==')) this.next();
    else this.expect('=');
    let rhs: Val;
    if (this.is('-')) {
      this.next();
      rhs = -Number(this.expectNum());
    } else if (this.peek().t === 'num') rhs = Number(this.next().v);
    else if (this.is('&')) {
      this.next();
      rhs = this.ident().v;
    } else rhs = this.ident().v;
    return { k: 'eq', lhs: { tid, name }, rhs, neg };
  }
}

/** Parse one litmus test. Throws LitmusError with file:line:column for anything it cannot read. */
export function parseLitmus(src: string, path: string): LitmusTest {
  const lines = src.replace(/\r/g, '').split('\n');
  let h = 0;
  while (h < lines.length && lines[h].trim() === '') h++;
  const hm = /^C\s+(\S+)/.exec(lines[h] ?? '');
  if (!hm) {
    const arch = /^(\S+)\s+\S+/.exec(lines[h] ?? '');
    throw new LitmusError(`${path}:${h + 1}:1: not a C litmus test: the first line must be "C <name>"${arch ? ` (found "${arch[1]}": only the C flavour of the kernel's memory model is covered)` : ''}`, { line: h + 1, column: 1 });
  }
  const body = stripComments(lines.slice(h + 1).join('\n'));
  const p = new Parser(tokenize(body, h + 2), path);
  const test: LitmusTest = { name: hm[1], path, init: new Map(), regInit: new Map(), threads: [], filter: null, condition: { kind: 'exists', prop: { k: 'true' }, text: '' } };
  while (p.peek().t === 'str') p.next();
  if (p.is('{')) p.initBlock(test);
  let cond: Condition | null = null;
  while (p.peek().t !== 'eof') {
    if (p.peek().t === 'id' && /^P\d+$/.test(p.peek().v)) {
      const t = p.process();
      if (test.threads.some((x) => x.id === t.id)) p.fail(`process P${t.id} is defined twice`);
      test.threads.push(t);
      continue;
    }
    if (p.is('locations')) {
      p.next();
      p.expect('[');
      while (!p.is(']')) {
        if (p.peek().t === 'eof') p.fail('"locations [" not closed');
        p.next();
      }
      p.next();
      continue;
    }
    if (p.is('filter')) {
      p.next();
      test.filter = p.prop();
      continue;
    }
    const start = p.peek();
    let kind: Condition['kind'] | null = null;
    if (p.is('exists')) kind = 'exists';
    else if (p.is('forall')) kind = 'forall';
    else if (p.is('~') && p.is('exists', 1)) {
      p.next();
      kind = '~exists';
    }
    if (!kind) p.fail(`"${start.v}" is outside what the model covers (expected P<n>(...), locations, filter, exists, ~exists or forall)`);
    if (cond) p.fail('a test has one final condition');
    p.next();
    const from = p.i;
    const prop = p.prop();
    const text = (p as unknown as { toks: Tok[] }).toks
      .slice(from, p.i)
      .map((t) => t.v)
      .join(' ')
      .replace(/\( /g, '(')
      .replace(/ \)/g, ')')
      .replace(/ : /g, ':')
      .replace(/ = /g, '=');
    cond = { kind: kind!, prop, text: `${kind} ${text}` };
  }
  if (!test.threads.length) throw new LitmusError(`${path}: no process P0(...) { ... } found`);
  if (!cond) throw new LitmusError(`${path}: no final condition (exists, ~exists or forall)`);
  test.threads.sort((a, b) => a.id - b.id);
  test.threads.forEach((t, i) => {
    if (t.id !== i) throw new LitmusError(`${path}:${t.pos.line}:${t.pos.column}: processes must be numbered P0, P1, ... without gaps (found P${t.id})`, t.pos);
  });
  test.condition = cond;
  return test;
}

/** Parse a run of C statements (a timeline step), as inside a process body. */
export function parseStatements(src: string, path: string, line = 1): Stmt[] {
  const p = new Parser(tokenize(stripComments(src), line), path);
  const out: Stmt[] = [];
  while (p.peek().t !== 'eof') out.push(...p.stmt());
  return out;
}
