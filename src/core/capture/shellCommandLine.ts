// Builds the one command line an SSH exec request carries: every argv word quoted, never joined raw.
import { quoteShellArg } from './shellQuote';

export function shellCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(quoteShellArg).join(' ');
}
