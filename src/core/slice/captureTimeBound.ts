/**
 * Time bounds for slicing, kept exact to the nanosecond (no float seconds): an absolute instant
 * (ISO text or `@epoch`) or an offset from the capture's first packet (`+1.5` or `1.5`).
 */
export type CaptureTimeBound =
  | { kind: 'absolute'; sec: number; nsec: number }
  | { kind: 'relative'; offsetNs: bigint };

export class CaptureTimeError extends Error {}

/** "1.25" → [1, 250000000]; up to 9 decimals. */
function decimalSeconds(whole: string, frac: string | undefined): [number, number] {
  return [Number(whole), Number((frac ?? '').padEnd(9, '0'))];
}

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * Parses `--from`/`--to` text: `2026-11-23T01:47:21.5Z` (no zone = UTC, like the captures' own
 * timestamps), `@1795437979.5` (Unix epoch), `+1.5` or `1.5` (seconds after the first packet).
 */
export function parseCaptureTimeBound(text: string): CaptureTimeBound {
  const t = text.trim();
  let m = /^\+?(\d{1,10})(?:\.(\d{1,9}))?$/.exec(t);
  if (m) {
    const [s, ns] = decimalSeconds(m[1], m[2]);
    return { kind: 'relative', offsetNs: BigInt(s) * 1_000_000_000n + BigInt(ns) };
  }
  m = /^@(\d{1,11})(?:\.(\d{1,9}))?$/.exec(t);
  if (m) {
    const [sec, nsec] = decimalSeconds(m[1], m[2]);
    return { kind: 'absolute', sec, nsec };
  }
  m = ISO.exec(t);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    if (Number.isNaN(ms) || Number(m[2]) > 12 || Number(m[3]) > 31 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) {
      throw new CaptureTimeError(`invalid date/time '${text}'`);
    }
    let sec = ms / 1000;
    const zone = m[8];
    if (zone && zone !== 'Z') {
      const z = /^([+-])(\d\d):?(\d\d)$/.exec(zone);
      if (!z) throw new CaptureTimeError(`invalid time zone in '${text}'`);
      sec -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3]) * 60);
    }
    return { kind: 'absolute', sec, nsec: decimalSeconds('0', m[7])[1] };
  }
  throw new CaptureTimeError(`time '${text}' is neither ISO (2026-11-23T01:47:21.5Z), @epoch nor +seconds after the first packet`);
}

/** Absolute nanoseconds since the epoch as bigint (exact). */
export function timestampNs(sec: number, nsec: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

/** The bound as absolute ns, given the first packet's time. */
export function resolveTimeBound(b: CaptureTimeBound, firstNs: bigint): bigint {
  return b.kind === 'absolute' ? timestampNs(b.sec, b.nsec) : firstNs + b.offsetNs;
}
