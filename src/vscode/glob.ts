/** Minimal glob matching for the `include` setting (**, *, ?, {a,b}); paths use `/`. */

export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inBrace = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches anything.
        if (glob[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inBrace++;
      re += '(?:';
    } else if (c === '}' && inBrace > 0) {
      inBrace--;
      re += ')';
    } else if (c === ',' && inBrace > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Compiled include globs: matchesAny runs on every edit of a diff document. */
const compiled = new Map<string, RegExp>();

/** True when `path` (absolute or relative, any separators) matches one of the globs; relative globs match at any depth. */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  const p = path.replace(/\\/g, '/');
  return globs.some((g) => {
    let re = compiled.get(g);
    if (!re) compiled.set(g, (re = globToRegExp(g.startsWith('/') || g.startsWith('**/') ? g : `**/${g}`)));
    return re.test(p) || re.test(p.replace(/^\/+/, ''));
  });
}

/** The include globs as one glob for workspace.findFiles. */
export function combineGlobs(globs: readonly string[]): string {
  if (globs.length === 1) return globs[0];
  return `{${globs.join(',')}}`;
}
