/**
 * Validation of everything that reaches a remote tcpdump command line. Interface names are checked
 * against a strict pattern (Linux allows 15 bytes); filters are passed as one quoted argument after
 * `--`, and anything that could turn them into options or carry control bytes is refused here.
 */
export type CaptureInputField = 'iface' | 'filter' | 'snaplen' | 'maxPackets' | 'maxDurationSec' | 'maxFileBytes';

export class CaptureInputError extends Error {
  constructor(readonly field: CaptureInputField, message: string) {
    super(message);
    this.name = 'CaptureInputError';
  }
}

const IFACE_PATTERN = /^[A-Za-z0-9_.:@-]{1,15}$/;

export function validateInterfaceName(name: string): string {
  if (!IFACE_PATTERN.test(name) || name.startsWith('-')) {
    throw new CaptureInputError('iface', `invalid interface name ${JSON.stringify(name)}: expected 1-15 characters of A-Z a-z 0-9 _ . : @ -, not starting with '-'`);
  }
  return name;
}

export function validateFilterText(filter: string): string {
  const oneLine = filter.replace(/\s*[\t\r\n]\s*/g, ' ').trim();
  if (oneLine.startsWith('-')) {
    throw new CaptureInputError('filter', 'a capture filter may not start with "-" (tcpdump would read it as options)');
  }
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x1f\x7f]/.exec(oneLine);
  if (bad) {
    throw new CaptureInputError('filter', `the capture filter contains a control character (code ${bad[0].charCodeAt(0)})`);
  }
  if (oneLine.length > 4096) throw new CaptureInputError('filter', 'the capture filter is longer than 4096 characters');
  return oneLine;
}

export function validateBoundedInteger(field: CaptureInputField, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CaptureInputError(field, `${field} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
