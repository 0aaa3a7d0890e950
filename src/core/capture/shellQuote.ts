/**
 * Quotes one argument for a POSIX shell: single quotes, with each embedded quote closed, escaped
 * and reopened. Every byte except NUL survives as-is (a shell cannot carry NUL in argv).
 */
export function quoteShellArg(value: string): string {
  if (value.includes('\0')) throw new Error('argument contains a NUL byte');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
