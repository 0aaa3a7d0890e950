/** One `hopscope` subcommand. `run` returns the process exit code; it never calls process.exit. */
export interface CliCommand {
  name: string;
  /** One line for the usage text. */
  summary: string;
  /** The usage text `hopscope <name> --help` prints (ends with a newline). */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}
