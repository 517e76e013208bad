#!/usr/bin/env node
'use strict';
// The CLI is compiled by `npm run build` (tsc) into out/src/cli.js.
const path = require('node:path');
const fs = require('node:fs');
// `mmlens litmus` needs neither the C front end nor the mail layer: a light entry.
const cli = path.join(__dirname, '..', 'out', 'src', process.argv[2] === 'litmus' ? 'litmus/main.js' : 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('mmlens: not built yet: run `npm run build` first\n');
  process.exit(2);
}
require(cli)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`mmlens: internal error: ${(e && e.stack) || e}\n`);
      process.exitCode = 2;
    },
  );
