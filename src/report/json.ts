/** JSON, SARIF 2.1.0 and b4 per-patch-check renderings of the same results. */
import type { AnalysisResult, Fact, Finding, InputError } from '../model';
import { allRules } from '../rules';

export interface CheckJson {
  findings: Finding[];
  errors: InputError[];
  functions?: AnalysisResult['functions'];
}

export function checkJson(results: AnalysisResult[], extraErrors: InputError[] = [], withFunctions = false): CheckJson {
  const out: CheckJson = { findings: results.flatMap((r) => r.findings), errors: [...extraErrors, ...results.flatMap((r) => r.errors)] };
  if (withFunctions) out.functions = results.flatMap((r) => r.functions.map((f) => ({ ...f, path: r.path })));
  return out;
}

export function factsJson(results: AnalysisResult[], extraErrors: InputError[] = []): { facts: Fact[]; errors: InputError[] } {
  return { facts: results.flatMap((r) => r.facts), errors: [...extraErrors, ...results.flatMap((r) => r.errors)] };
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function sarif(results: AnalysisResult[], version: string): object {
  const used = new Set(results.flatMap((r) => r.findings.map((f) => f.rule)));
  const rules = allRules.filter((r) => used.has(r.meta.id));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mmlens',
            version,
            rules: rules.map((r) => ({
              id: r.meta.id,
              shortDescription: { text: r.meta.description },
              helpUri: r.meta.docs,
              defaultConfiguration: { level: SARIF_LEVEL[r.meta.defaultSeverity] },
            })),
          },
        },
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.rule,
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: f.path },
                  region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
                },
              },
            ],
            codeFlows: f.trace.length
              ? [{ threadFlows: [{ locations: f.trace.map((s) => ({ location: { physicalLocation: { artifactLocation: { uri: f.path }, region: { startLine: s.line, startColumn: s.column } }, message: { text: s.message } } })) }] }]
              : undefined,
          })),
        ),
      },
    ],
  };
}

/** b4's review-perpatch-check-cmd output: one entry for the message read on stdin. */
export function b4Check(results: AnalysisResult[]): object[] {
  const findings = results.flatMap((r) => r.findings);
  const worst = findings.some((f) => f.severity === 'error') ? 'fail' : findings.some((f) => f.severity === 'warning') ? 'warn' : 'pass';
  const counts = (['error', 'warning', 'info'] as const).map((s) => `${findings.filter((f) => f.severity === s).length} ${s}s`).join(', ');
  return [
    {
      tool: 'mmlens',
      status: worst,
      summary: findings.length ? `${counts}: ${[...new Set(findings.map((f) => f.rule))].join(', ')}` : 'no findings',
      url: null,
      details: findings.map((f) => `${f.source ? `${f.source.file}:${f.source.line}` : `line ${f.line}`}: ${f.severity}: ${f.rule}: ${f.message}`).join('\n'),
    },
  ];
}
