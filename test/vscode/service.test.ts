import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisService } from '../../src/vscode/service';
import { defaultConfig } from '../../src/config';

// Under tsx the worker is the TypeScript source; under `npm test` (compiled) it is the .js beside this file's source.
const ts = __filename.endsWith('.ts');
const workerFile = ts ? path.join(__dirname, 'worker-shim.cjs') : path.resolve(__dirname, '..', '..', 'src', 'vscode', 'worker.js');
const execArgv: string[] = [];
const PATCH = 'diff --git a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,3 +1,4 @@ void f(void)\n {\n+\tsmp_wmb();\n \tg();\n }\n';

test('the worker analyses off the main thread; a newer request supersedes the older one', { skip: !fs.existsSync(workerFile) && 'worker not built' }, async () => {
  const s = new AnalysisService({ workerFile, execArgv, maxWorkers: 2 });
  try {
    const first = await s.analyze('doc', PATCH, '/ws/x.patch', defaultConfig('editor'));
    assert.equal(first.status, 'done', first.status === 'failed' ? first.error : '');
    if (first.status === 'done') {
      assert.equal(first.result.path, '/ws/x.patch');
      assert.ok(first.totalMs >= first.workerMs);
    }
    const a = s.analyze('doc', PATCH, '/ws/x.patch', defaultConfig('editor'));
    const b = s.analyze('doc', PATCH + '\n', '/ws/x.patch', defaultConfig('editor'));
    assert.equal((await a).status, 'superseded');
    assert.equal((await b).status, 'done');
    // Different documents do not supersede each other.
    const [c, d] = await Promise.all([s.analyze('one', PATCH, '/a', defaultConfig('editor')), s.analyze('two', PATCH, '/b', defaultConfig('editor'))]);
    assert.deepEqual([c.status, d.status], ['done', 'done']);
    s.cancel('nothing');
  } finally {
    s.dispose();
  }
});

test('a disposed service answers at once', async () => {
  const s = new AnalysisService({ workerFile, execArgv });
  s.dispose();
  const r = await s.analyze('k', 'x', '/x', defaultConfig('editor'));
  assert.equal(r.status, 'failed');
});
