/**
 * The report (webview, Markdown and JSON export) as a table of sections. Each
 * section renders one document's analysis to HTML and Markdown; the findings
 * section groups findings per patch and by rule and shows traces step by step.
 * Later analyses (litmus explorer, series view) register their own section.
 */
import type { AnalysisResult, Finding, MessageSummary, PatchSubject } from '../model';
import { countBySeverity, formatCounts } from './diagnostics';

export interface DocReport {
  uri: string;
  /** Path or name shown to the user. */
  name: string;
  result: AnalysisResult;
  /** Wall-clock time of the check, as the extension measured it. */
  ms?: number;
}

export interface RuleInfo {
  description: string;
  docsUri: string;
}

export interface ReportContext {
  ruleInfo(id: string): RuleInfo | undefined;
}

export interface SectionOutput {
  html: string;
  markdown: string;
}

export interface ReportSection {
  id: string;
  title: string;
  render(doc: DocReport, ctx: ReportContext): SectionOutput | null;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function mdInline(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** The inside of a subject's bracket: tags, version and number, e.g. "PATCH v2 1/3". */
export function subjectBracket(s: PatchSubject): string {
  return [...s.tags, s.version ? `v${s.version}` : '', s.number !== null ? `${s.number}/${s.total ?? '?'}` : ''].filter(Boolean).join(' ');
}

export function patchTitle(m: MessageSummary | null, fallback: string): string {
  if (!m) return fallback;
  if (m.subject) {
    const s = m.subject;
    const bracket = subjectBracket(s);
    return `${s.isReply ? 'Re: ' : ''}${bracket ? `[${bracket}] ` : ''}${s.title}`;
  }
  return m.headers.subject ?? `${fallback} (message ${m.index + 1})`;
}

/** The findings of one message of a series: by the message index the rule gave, else by the message's lines. */
export function findingsOfMessage(m: MessageSummary, findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => (f.messageIndex !== undefined ? f.messageIndex === m.index : f.line >= m.startLine && f.line <= m.endLine));
}

/** Findings per patch (message), in document order; one group for documents without messages. */
export function groupByPatch(result: AnalysisResult, name: string): { title: string; line: number; message: MessageSummary | null; findings: Finding[] }[] {
  if (result.messages.length <= 1) {
    const m = result.messages[0] ?? null;
    return [{ title: patchTitle(m, name), line: m?.subjectLine ?? 1, message: m, findings: result.findings }];
  }
  return result.messages
    .map((m) => ({
      title: patchTitle(m, name),
      line: m.subjectLine ?? m.startLine,
      message: m,
      findings: findingsOfMessage(m, result.findings),
    }))
    .filter((g) => g.findings.length > 0 || g.message.subject?.isPatch || g.message.files.length > 0);
}

export function groupByRule(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.rule) ?? [];
    list.push(f);
    out.set(f.rule, list);
  }
  return out;
}

function loc(doc: DocReport, line: number, label?: string): string {
  return `<a class="loc" href="#" data-uri="${esc(doc.uri)}" data-line="${line}">${esc(label ?? `line ${line}`)}</a>`;
}

export const findingsSection: ReportSection = {
  id: 'findings',
  title: 'Findings',
  render(doc, ctx) {
    let html = '';
    let md = '';
    for (const g of groupByPatch(doc.result, doc.name)) {
      const counts = formatCounts(countBySeverity(g.findings));
      html += `<section class="patch"><h3>${esc(g.title)} <span class="counts">${esc(counts)}</span> ${loc(doc, g.line)}</h3>`;
      md += `### ${mdInline(g.title)}\n\n${counts}\n\n`;
      for (const [rule, list] of groupByRule(g.findings)) {
        const info = ctx.ruleInfo(rule);
        html += `<div class="rule"><h4><a class="doc" href="#" data-rule="${esc(rule)}">${esc(rule)}</a> <span class="n">×${list.length}</span></h4>`;
        if (info) html += `<p class="desc">${esc(info.description)}</p>`;
        md += `#### \`${rule}\` (${list.length})\n\n${info ? `${mdInline(info.description)}\n\n` : ''}`;
        for (const f of list) {
          html += `<div class="finding sev-${f.severity}"><div class="msg"><span class="sev">${f.severity}</span> ${loc(doc, f.line)} ${esc(f.message)}</div>`;
          md += `- **${f.severity}** line ${f.line}: ${mdInline(f.message)}\n`;
          if (f.source) {
            html += `<div class="src">${esc(f.source.file)}:${f.source.line}</div>`;
            md += `  - source: \`${f.source.file}:${f.source.line}\`\n`;
          }
          if (f.trace.length) {
            html += `<ol class="trace">${f.trace.map((s) => `<li>${loc(doc, s.line)} ${esc(s.message)}${s.state ? ` <span class="state">${esc(s.state)}</span>` : ''}</li>`).join('')}</ol>`;
            md += f.trace.map((s, i) => `  ${i + 1}. line ${s.line}: ${mdInline(s.message)}${s.state ? ` — _${mdInline(s.state)}_` : ''}\n`).join('');
          }
          if (f.fix) {
            html += `<div class="fix">fix (${esc(f.fix.safety)}): ${esc(f.fix.description)}</div>`;
            md += `  - fix (${f.fix.safety}): ${mdInline(f.fix.description)}\n`;
          }
          html += '</div>';
        }
        html += '</div>';
        md += '\n';
      }
      if (g.findings.length === 0) {
        html += '<p class="none">No findings.</p>';
        md += 'No findings.\n\n';
      }
      html += '</section>';
    }
    return { html, markdown: md };
  },
};

export const functionsSection: ReportSection = {
  id: 'functions',
  title: 'What the emulator saw',
  render(doc) {
    if (doc.result.functions.length === 0) return null;
    let html = '<table class="functions"><tr><th>function</th><th>where</th><th>paths</th><th>summary</th></tr>';
    let md = '| function | line | paths | summary |\n|---|---|---|---|\n';
    for (const f of doc.result.functions) {
      html += `<tr><td><code>${esc(f.name)}</code></td><td>${loc(doc, f.line)} (${esc(f.image)}${f.partial ? ', partial' : ''})</td><td>${f.paths}${f.bounded ? ' (bounded)' : ''}</td><td>${f.summary.map(esc).join('<br>')}</td></tr>`;
      md += `| \`${f.name}\` | ${f.line} | ${f.paths}${f.bounded ? ' (bounded)' : ''} | ${f.summary.map(mdInline).join('<br>')} |\n`;
    }
    return { html: `${html}</table>`, markdown: `${md}\n` };
  },
};

export const problemsSection: ReportSection = {
  id: 'input',
  title: 'Input problems',
  render(doc) {
    const errs = doc.result.errors;
    if (errs.length === 0) return null;
    return {
      html: `<ul class="errors">${errs.map((e) => `<li><code>${esc(e.code)}</code> ${e.line !== null ? loc(doc, e.line) : ''} ${esc(e.message)}</li>`).join('')}</ul>`,
      markdown: errs.map((e) => `- \`${e.code}\`${e.line !== null ? ` line ${e.line}` : ''}: ${mdInline(e.message)}`).join('\n') + '\n\n',
    };
  },
};

export const reportSections: ReportSection[] = [findingsSection, functionsSection, problemsSection];

export function registerReportSection(s: ReportSection): void {
  if (reportSections.some((x) => x.id === s.id)) throw new Error(`report section ${s.id} is already registered`);
  reportSections.push(s);
}

function docHeading(d: DocReport): string {
  const r = d.result;
  return `${r.stats.messages} message(s), ${r.stats.functions} function(s), ${formatCounts(countBySeverity(r.findings))}, checked in ${Math.round(d.ms ?? r.stats.ms)} ms`;
}

export function renderReportMarkdown(docs: readonly DocReport[], ctx: ReportContext, sections: readonly ReportSection[] = reportSections): string {
  let md = `# mmlens report\n\n`;
  for (const d of docs) {
    md += `## ${mdInline(d.name)}\n\n${docHeading(d)}\n\n`;
    for (const s of sections) {
      const out = s.render(d, ctx);
      if (out) md += s.id === 'findings' ? out.markdown : `### ${s.title}\n\n${out.markdown}`;
    }
  }
  return md;
}

export function reportJson(docs: readonly DocReport[]): string {
  return JSON.stringify({ tool: 'mmlens', documents: docs.map((d) => ({ uri: d.uri, name: d.name, ms: d.ms, ...d.result })) }, null, 2);
}

export function renderReportHtml(docs: readonly DocReport[], ctx: ReportContext, opts: { nonce: string; cspSource: string; title: string }, sections: readonly ReportSection[] = reportSections): string {
  let body = '';
  const total = countBySeverity(docs.flatMap((d) => d.result.findings));
  for (const d of docs) {
    body += `<article class="doc"><h2>${esc(d.name)}</h2><p class="meta">${esc(docHeading(d))}</p>`;
    for (const s of sections) {
      const out = s.render(d, ctx);
      if (out) body += `<div class="section section-${esc(s.id)}">${s.id === 'findings' ? '' : `<h3>${esc(s.title)}</h3>`}${out.html}</div>`;
    }
    body += '</article>';
  }
  if (docs.length === 0) body = '<p class="none">No patches or mboxes found.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${opts.cspSource} 'nonce-${opts.nonce}'; script-src 'nonce-${opts.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(opts.title)}</title>
<style nonce="${opts.nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; border-bottom: 1px solid var(--vscode-panel-border); }
h3 { font-size: 1.05em; } h4 { margin: .6em 0 .2em; }
.toolbar { position: sticky; top: 0; background: var(--vscode-editor-background); padding: .5em 0; display: flex; gap: .5em; align-items: center; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: .3em .8em; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
.counts, .meta, .desc, .src, .state, .n { color: var(--vscode-descriptionForeground); font-weight: normal; }
.finding { margin: .3em 0 .6em 1em; padding-left: .6em; border-left: 3px solid var(--vscode-editorInfo-foreground); }
.finding.sev-error { border-color: var(--vscode-editorError-foreground); } .finding.sev-warning { border-color: var(--vscode-editorWarning-foreground); }
.sev { text-transform: uppercase; font-size: .8em; font-weight: bold; }
.trace { margin: .3em 0; } .trace li { margin: .1em 0; }
.fix { color: var(--vscode-textLink-foreground); }
a { color: var(--vscode-textLink-foreground); text-decoration: none; } a:hover { text-decoration: underline; }
table { border-collapse: collapse; } td, th { border: 1px solid var(--vscode-panel-border); padding: .2em .5em; vertical-align: top; text-align: left; }
</style></head>
<body>
<div class="toolbar"><h1 id="title">${esc(opts.title)}</h1><span class="counts" id="total">${esc(formatCounts(total))}</span>
<button id="export-md">Export Markdown</button><button id="export-json">Export JSON</button></div>
${body}
<script nonce="${opts.nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('export-md').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'markdown' }));
document.getElementById('export-json').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));
document.addEventListener('click', (e) => {
  const a = e.target.closest('a');
  if (!a) return;
  e.preventDefault();
  if (a.dataset.uri) vscode.postMessage({ type: 'open', uri: a.dataset.uri, line: Number(a.dataset.line) });
  else if (a.dataset.rule) vscode.postMessage({ type: 'rule', rule: a.dataset.rule });
});
</script>
</body></html>`;
}

/** "Show paths": the emulator's paths through one function, as Markdown. */
export function renderPathsMarkdown(name: string, f: AnalysisResult['functions'][number] | undefined, docName: string): string {
  if (!f) return `# ${name}\n\nThe emulator did not report this function in ${docName} (the document may have changed).\n`;
  let md = `# Paths through \`${f.name}\`\n\n${docName}, line ${f.line}–${f.endLine} (${f.image}${f.partial ? ', partial' : ''}), ${f.paths} path(s)${f.bounded ? ', bounded: not every path was explored' : ''}\n\n`;
  md += f.summary.map((s) => `- ${s}`).join('\n') + '\n\n';
  const traces = f.pathTraces ?? [];
  if (traces.length === 0) md += '_No per-path steps were recorded for this function._\n';
  traces.forEach((steps, i) => {
    md += `## Path ${i + 1}\n\n`;
    md += steps.map((s, k) => `${k + 1}. line ${s.line}: ${s.message}${s.state ? ` — _${s.state}_` : ''}`).join('\n') + '\n\n';
  });
  return md;
}
