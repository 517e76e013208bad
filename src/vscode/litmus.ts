/**
 * The concurrency explorer in the editor, as plain data (no vscode import):
 * a code lens on each timeline with its verdict ("Never: 3 executions") and
 * "Show executions", the report section listing verdicts and witnesses, the
 * markdown the two commands show, and the diagnostics of a .litmus file.
 */
import type { Finding } from '../model';
import { exploreTimelines, commentLines, renderAnswer, type TimelineLine } from '../litmus/timeline';
import { readMailDocument } from '../mail';
import { renderWitness, tryRunLitmus } from '../litmus';
import type { LensContributor } from './lenses';
import type { ReportSection } from './report';
import { LITMUS_CMD } from './litmusSpecs';
import { rng, type DiagnosticSpec, type LensSpec } from './types';

export const TIMELINE_RULES = ['ordering-outcome-reachable', 'ordering-outcome-verdict'];

/** Verdict text of a timeline finding, e.g. "Never: 3 executions", "Sometimes: 1 of 4 executions". */
export function verdictTitle(f: Finding): string | null {
  let m = /Sometimes: (\d+) of the (\d+) executions/.exec(f.message);
  if (m) return `Sometimes: ${m[1]} of ${m[2]} executions`;
  m = /Never: none of the (\d+) executions/.exec(f.message);
  if (m) return `Never: ${m[1]} execution${m[1] === '1' ? '' : 's'}`;
  if (/was not explored/.test(f.message)) return 'Timeline not explored';
  return null;
}

/** Lines of the timelines a finding covers: its own line and every "(line N)" it names. */
export function timelineLines(f: Finding): number[] {
  const lines = new Set<number>([f.line]);
  for (const m of f.message.matchAll(/\(line (\d+)\)|timeline(?:s)? line (\d+)|at line (\d+)/gi)) lines.add(Number(m[1] ?? m[2] ?? m[3]));
  return [...lines].sort((a, b) => a - b);
}

export const timelineLens: LensContributor = {
  id: 'timeline',
  provide({ doc, result }) {
    const lenses: LensSpec[] = [];
    for (const f of result.findings) {
      if (!TIMELINE_RULES.includes(f.rule)) continue;
      const title = verdictTitle(f);
      if (!title) continue;
      for (const line of timelineLines(f)) {
        const l = Math.min(Math.max(0, line - 1), Math.max(0, doc.lineCount - 1));
        const range = rng(l, 0, l, 0);
        lenses.push({ range, command: { title, command: LITMUS_CMD.exploreTimeline, arguments: [doc.uri, line], tooltip: f.message } });
        lenses.push({ range, command: { title: 'Show executions', command: LITMUS_CMD.exploreTimeline, arguments: [doc.uri, line], tooltip: 'Every execution class the memory model allows, and a witness' } });
      }
    }
    return lenses;
  },
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const timelineSection: ReportSection = {
  id: 'timelines',
  title: 'Timelines (Linux-kernel memory model)',
  render(doc) {
    const fs = doc.result.findings.filter((f) => TIMELINE_RULES.includes(f.rule));
    if (!fs.length) return null;
    let html = '<table><tr><th>Line</th><th>Verdict</th><th>Question and witness</th></tr>';
    let md = '| Line | Verdict | Question and witness |\n|---|---|---|\n';
    for (const f of fs) {
      const v = verdictTitle(f) ?? f.rule;
      const witness = f.trace.map((t) => `line ${t.line}: ${t.message}`);
      html += `<tr><td>${f.line}</td><td>${esc(v)}</td><td>${esc(f.message)}${witness.length ? `<pre>${esc(witness.join('\n'))}</pre>` : ''}</td></tr>`;
      md += `| ${f.line} | ${v} | ${f.message.replace(/\|/g, '\\|')}${witness.length ? `<br>${witness.map((w) => w.replace(/\|/g, '\\|')).join('<br>')}` : ''} |\n`;
    }
    return { html: `${html}</table>`, markdown: `${md}\n` };
  },
};

/** "Explore timeline": every timeline of the document (the one at `line` first), rendered as markdown. */
export function exploreTimelineMarkdown(text: string, path: string, line?: number): string {
  const sources: TimelineLine[][] = /\.(c|h)$/i.test(path) ? [commentLines(text)] : readMailDocument(text, path).messages.map((m) => m.body as TimelineLine[]);
  const answers = sources.flatMap((l) => {
    const r = exploreTimelines(l, path);
    return [...r.answers.map((a) => ({ line: a.blocks[0].docLine, lines: a.blocks.map((b) => b.docLine), text: renderAnswer(a) })), ...r.problems.map((p) => ({ line: p.line, lines: p.blocks.map((b) => b.docLine), text: [`not explored: ${p.message}`] }))];
  });
  if (!answers.length) return `# Timelines in ${path}\n\nNo CPU0 | CPU1 timeline was found (a header row naming the CPUs, then steps split by one \`|\`).\n`;
  if (line !== undefined) answers.sort((a, b) => Number(!a.lines.includes(line)) - Number(!b.lines.includes(line)));
  return `# Timelines in ${path}\n\n` + answers.map((a) => `## Timeline at line ${a.line}\n\n\`\`\`\n${a.text.join('\n')}\n\`\`\`\n`).join('\n');
}

/** "Run litmus test": the verdict of a .litmus document as markdown. */
export function litmusMarkdown(text: string, path: string): string {
  const { result, error } = tryRunLitmus(text, path);
  if (error) return `# ${path}\n\nNot run: ${error.message}\n`;
  const r = result!;
  return `# ${r.name}\n\n\`${r.condition}\`\n\n**${r.verdict}**: ${r.matching} of ${r.executions} allowed executions match (${r.ms.toFixed(1)} ms).\n${r.witness ? `\n## Witness\n\n\`\`\`\n${renderWitness(r.witness, '').join('\n')}\n\`\`\`\n` : ''}`;
}

/** Diagnostics of a .litmus document: the construct outside the model as an error, else the verdict as information on line 1. */
export function litmusDiagnostics(text: string, path: string): DiagnosticSpec[] {
  const { result, error } = tryRunLitmus(text, path);
  const at = (line: number, message: string, severity: DiagnosticSpec['severity']): DiagnosticSpec => ({
    range: rng(Math.max(0, line - 1), 0, Math.max(0, line - 1), 200),
    message,
    severity,
    source: 'mmlens',
    code: { value: 'litmus', target: 'docs/rules/ordering-outcome-reachable.md' },
    related: [],
    tags: [],
    findingIndex: -1,
  });
  if (error) return [at(error.line ?? 1, error.message, 'error')];
  const r = result!;
  return [at(1, `${r.verdict}: ${r.matching} of ${r.executions} allowed executions match ${r.condition}`, 'info')];
}
