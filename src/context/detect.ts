/** Is a folder a kernel source tree? (No parser here: the VS Code host imports this.) */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function looksLikeKernelTree(dir: string): boolean {
  const has = (p: string): boolean => fs.existsSync(path.join(dir, p));
  return (has('MAINTAINERS') && has('Kconfig')) || (has('mm') && has('include/linux')) || has('include/linux/mm_types.h');
}
