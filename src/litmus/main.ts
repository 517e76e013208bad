/**
 * A light entry for `mmlens litmus`: bin/mmlens.js routes the litmus command
 * here so that running one test does not load the C front end (tree-sitter),
 * the mail layer or the rules. Same command, same options, same output as
 * through src/cli.ts.
 */
import { Command, CommanderError } from 'commander';
import { registerLitmusCommand } from './cli';

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command();
  program
    .name('mmlens')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerLitmusCommand(program, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.help' ? 0 : 2;
    throw e;
  }
  return code;
}
