import type { TcpdumpTimestamp } from './tcpdumpRecord';

const DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(?=\s)/;
const TIME = /^(\s*)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(?=\s)/;
const EPOCH = /^(\d{9,11})\.(\d{6,9})(?=\s)/;

function fraction(digits: string | undefined): number {
  return digits ? Number(digits) / 10 ** digits.length : 0;
}

/**
 * Reads the timestamp at the start of a packet line. A time preceded by spaces is a `-ttt`/`-ttttt`
 * delta (tcpdump 4.99 pads it); a bare time is the default form.
 * Returns the timestamp and how many characters it used, or undefined (`-t`: no timestamp).
 */
export function parseTcpdumpTimestamp(line: string): { timestamp: TcpdumpTimestamp; consumed: number } | undefined {
  let m = DATETIME.exec(line);
  if (m) {
    const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) + fraction(m[5]);
    return { timestamp: { form: 'datetime', text: m[0], date: m[1], seconds, fractionDigits: m[5]?.length ?? 0 }, consumed: m[0].length };
  }
  m = EPOCH.exec(line);
  if (m) {
    return { timestamp: { form: 'epoch', text: m[0], seconds: Number(m[1]) + fraction(m[2]), fractionDigits: m[2].length }, consumed: m[0].length };
  }
  m = TIME.exec(line);
  if (m) {
    const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) + fraction(m[5]);
    const text = m[0].trimStart();
    return {
      timestamp: { form: m[1].length > 0 ? 'delta' : 'time', text, seconds, fractionDigits: m[5]?.length ?? 0 },
      consumed: m[0].length,
    };
  }
  return undefined;
}
