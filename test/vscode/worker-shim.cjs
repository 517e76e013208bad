// Runs the TypeScript worker under tsx in tests (the extension runs the bundled dist/worker.js).
require('tsx/cjs');
require('../../src/vscode/worker.ts');
