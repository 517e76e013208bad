/**
 * web-tree-sitter + tree-sitter-c, loaded from the installed packages (or from
 * the folder of the bundle, where the build copies the .wasm files). No network.
 * `initParser()` is async once; every parse after it is synchronous.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, type Tree } from 'web-tree-sitter';

let parser: Parser | null = null;
let initPromise: Promise<void> | null = null;

function candidates(file: string, pkg: string): string[] {
  const out: string[] = [];
  // Next to the bundle (dist/) when packaged.
  if (typeof __dirname === 'string') out.push(path.join(__dirname, file), path.join(__dirname, '..', 'dist', file));
  try {
    out.push(require.resolve(`${pkg}/${file}`));
  } catch {
    /* not installed as a package: rely on the bundle copy */
  }
  return out;
}

function locate(file: string, pkg: string): string {
  for (const c of candidates(file, pkg)) if (fs.existsSync(c)) return c;
  throw new Error(`mmlens: cannot find ${file} (looked in ${candidates(file, pkg).join(', ')})`);
}

export function initParser(): Promise<void> {
  if (!initPromise) {
    initPromise = (async () => {
      const runtime = locate('tree-sitter.wasm', 'web-tree-sitter');
      await Parser.init({ locateFile: () => runtime });
      const lang = await Language.load(fs.readFileSync(locate('tree-sitter-c.wasm', 'tree-sitter-c')));
      const p = new Parser();
      p.setLanguage(lang);
      parser = p;
    })();
  }
  return initPromise;
}

/** Parse C text. `initParser()` must have resolved. */
export function parseC(text: string): Tree {
  if (!parser) throw new Error('mmlens: parseC() called before initParser() resolved');
  const tree = parser.parse(text);
  if (!tree) throw new Error('mmlens: tree-sitter returned no tree');
  return tree;
}
