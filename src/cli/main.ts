/** `hopscope` command line: subcommands on top of src/core. */
const USAGE = `usage: hopscope <command> [options]

commands:
  print <file>      print packets like tcpdump -nn -tttt
  info <file>       link types, packet count, first/last time (like capinfos)
`;

function main(argv: string[]): number {
  const [cmd] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  process.stderr.write(`hopscope: unknown command '${cmd}'\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
