/**
 * checkpatch-like text: `WARNING: <rule>: <message>`, then `#<line>: FILE: <file>:<line>:`
 * (the source file and line the hunk names, or the document itself), the line
 * of the document with a caret under the problem, the fix when there is one,
 * and the emulator's path when asked for.
 */
import type { AnalysisResult, Finding, FunctionReport, TraceStep } from '../model';

export interface TextOptions {
  trace?: boolean;
  /** One line per finding: `FILE:LINE: WARNING: rule: message` (checkpatch --terse). */
  terse?: boolean;
}

export function findingHeader(f: Finding): string {
  return `${f.severity.toUpperCase()}: ${f.rule}: ${f.message}`;
}

function caret(lineText: string, f: Finding): string {
  const start = Math.max(0, f.column - 1);
  const end = f.endLine === f.line ? Math.max(start + 1, f.endColumn - 1) : lineText.length;
  const pad = lineText.slice(0, start).replace(/[^\t]/g, ' ');
  return pad + '^'.repeat(Math.max(1, Math.min(end, lineText.length) - start));
}

/** One step of an emulator path, indented under its finding or function. */
function traceLine(s: TraceStep): string {
  return `    #${s.line}: ${s.message}${s.state ? `  [${s.state}]` : ''}`;
}

export function renderFinding(f: Finding, docLines: string[], opts: TextOptions = {}): string {
  if (opts.terse) return `${f.path}:${f.line}: ${findingHeader(f)}`;
  const where = f.source ? `${f.source.file}:${f.source.line}` : `${f.path}:${f.line}`;
  const text = docLines[f.line - 1] ?? '';
  const out = [findingHeader(f), `#${f.line}: FILE: ${where}:`, text, caret(text, f)];
  if (f.fix) {
    // Show the replacement unless the description already spells it out.
    const repl = f.fix.replacement.trim();
    const shown = repl && !f.fix.description.includes(repl.replace(/\s+/g, ' ')) ? `: ${repl}` : '';
    out.push(`  fix (${f.fix.safety}): ${f.fix.description}${shown}`);
  }
  if (opts.trace && f.trace.length) {
    out.push('  path:');
    for (const s of f.trace) out.push(traceLine(s));
  }
  return out.join('\n');
}

export function renderFunctions(fns: FunctionReport[]): string {
  const out: string[] = [];
  for (const fn of fns) {
    out.push(`FUNCTION: ${fn.name} (#${fn.line}-${fn.endLine}, ${fn.image}${fn.partial ? ', partial' : ''}): ${fn.paths} path${fn.paths === 1 ? '' : 's'}${fn.bounded ? ' (bound hit)' : ''}`);
    for (const s of fn.summary) out.push(`  ${s}`);
    (fn.pathTraces ?? []).forEach((p, i) => {
      out.push(`  path ${i + 1}:`);
      for (const s of p) out.push(traceLine(s));
    });
  }
  return out.join('\n');
}

export function renderText(results: { result: AnalysisResult; text: string }[], opts: TextOptions = {}): string {
  const blocks: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let lines = 0;
  for (const { result, text } of results) {
    const docLines = text.split(/\r?\n/);
    // A refused document (binary, over the size limit) was not checked.
    const refused = result.errors.some((e) => e.code === 'binary-input' || e.code === 'too-large');
    if (!refused) lines += docLines.length;
    if (opts.trace && result.functions.length) blocks.push(`${result.path}:\n${renderFunctions(result.functions)}`);
    for (const f of result.findings) {
      blocks.push(renderFinding(f, docLines, opts));
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
    }
  }
  const total = `total: ${errors} errors, ${warnings} warnings, ${infos} infos, ${lines} lines checked in ${results.length} document${results.length === 1 ? '' : 's'}`;
  return [...blocks, total].join(opts.terse ? '\n' : '\n\n') + '\n';
}
