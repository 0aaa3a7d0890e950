/** `hopscope` command line: subcommands on top of src/core. */
import type { CliCommand, CliIo } from './cliCommand';
import { alignCommand } from './alignCommand';
import { infoCommand } from './infoCommand';
import { printCommand } from './printCommand';
import { statsCommand } from './statsCommand';
import { sliceCommand } from './sliceCommand';
import { mergeCommand } from './mergeCommand';
import { followCommand } from './followCommand';

// Each subcommand lives in its own file; add it to this table.
const COMMANDS: CliCommand[] = [infoCommand, printCommand, alignCommand, statsCommand, sliceCommand, mergeCommand, followCommand];

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `usage: hopscope <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help') {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`hopscope: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(cmd.usage);
    return 0;
  }
  return cmd.run(rest, io);
}

if (require.main === module) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => { process.stderr.write(`hopscope: ${e instanceof Error ? e.message : String(e)}\n`); process.exitCode = 1; },
  );
}
