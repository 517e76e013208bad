import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig, loadConfigFile, validateConfig } from '../src/config';

test('valid settings are taken', () => {
  const { config, errors } = validateConfig({ rules: { 'lock-double': 'error', 'barrier-no-comment': 'off' }, include: ['**/*.txt'], limits: { loopUnroll: 3 } });
  assert.deepEqual(errors, []);
  assert.equal(config.rules['lock-double'], 'error');
  assert.equal(config.rules['barrier-no-comment'], 'off');
  assert.deepEqual(config.include, ['**/*.txt']);
  assert.equal(config.limits.loopUnroll, 3);
  assert.equal(config.limits.maxPathsPerFunction, defaultConfig().limits.maxPathsPerFunction);
});

test('bad values are reported and the defaults kept', () => {
  const { config, errors } = validateConfig({ rules: { 'lock-double': 'loud' }, limits: { loopUnroll: 0, bogus: 1 }, colour: 'red' });
  assert.equal(config.rules['lock-double'], undefined);
  assert.equal(config.limits.loopUnroll, defaultConfig().limits.loopUnroll);
  assert.equal(errors.length, 4);
  assert.ok(errors.some((e) => e.includes('rules.lock-double')));
  assert.ok(errors.some((e) => e.includes('limits.loopUnroll')));
  assert.ok(errors.some((e) => e.includes('unknown limit "bogus"')));
  assert.ok(errors.some((e) => e.includes('unknown setting "colour"')));
});

test('a config file that is not JSON gives an error naming the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmlens-cfg-'));
  const f = path.join(dir, '.mmlens.json');
  fs.writeFileSync(f, '{ rules: ');
  const { errors } = loadConfigFile(f);
  assert.equal(errors.length, 1);
  assert.ok(errors[0].startsWith(f));
});
