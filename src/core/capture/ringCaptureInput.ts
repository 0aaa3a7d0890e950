/**
 * What the user types for a ring-buffer capture and for "fetch the window around T", checked before
 * anything runs on a host: each field's default, its bounds, and a message naming the field.
 */
export interface RingFieldSpec {
  key: 'fileCount' | 'rotateSeconds' | 'fileSizeMb' | 'maxDurationSec';
  prompt: string;
  defaultValue: number;
  min: number;
  max: number;
}

export const RING_FIELDS: readonly RingFieldSpec[] = [
  { key: 'fileCount', prompt: 'Files kept in the ring (-W)', defaultValue: 10, min: 2, max: 10000 },
  { key: 'rotateSeconds', prompt: 'Seconds per file (-G; tcpdump 4.0+)', defaultValue: 60, min: 1, max: 86400 },
  { key: 'fileSizeMb', prompt: 'Megabytes per file (-C): 0 = no size cut (time rotation); required on tcpdump < 4.0', defaultValue: 0, min: 0, max: 100000 },
  { key: 'maxDurationSec', prompt: 'Stop on the host after this many seconds at most', defaultValue: 86400, min: 1, max: 30 * 86400 },
];

/** undefined when `text` is a valid value for the field (empty = the default), else the message. */
export function checkRingField(spec: RingFieldSpec, text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^\d+$/.test(t)) return `${spec.prompt}: a whole number from ${spec.min} to ${spec.max}`;
  const v = Number(t);
  if (v < spec.min || v > spec.max) return `${spec.prompt}: must be from ${spec.min} to ${spec.max}, got ${v}`;
  return undefined;
}

export function ringFieldValue(spec: RingFieldSpec, text: string): number {
  const problem = checkRingField(spec, text);
  if (problem) throw new Error(problem);
  return text.trim() === '' ? spec.defaultValue : Number(text.trim());
}

/**
 * A moment for "fetch the window around T": ISO 8601 (no zone = UTC), `@<epoch seconds>`, or a time of
 * day `HH:MM:SS[.fff]` (UTC, on the day of `now`, the day before when that is in the future — what a
 * packet list shows). Returns epoch seconds.
 */
export function parseRingMoment(text: string, now: Date = new Date()): number {
  const t = text.trim();
  let m = /^@(\d+(?:\.\d+)?)$/.exec(t);
  if (m) return Number(m[1]);
  m = /^(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(t);
  if (m) {
    const h = Number(m[1]), mi = Number(m[2]), s = Number(m[3]);
    if (h > 23 || mi > 59 || s >= 60) throw new Error(`not a time of day: ${t}`);
    const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / 1000;
    const at = day + h * 3600 + mi * 60 + s;
    return at > now.getTime() / 1000 + 60 ? at - 86400 : at;
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) {
    const iso = t.replace(' ', 'T');
    const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
    if (!Number.isNaN(ms)) {
      // Date.parse keeps milliseconds only: take the fraction from the text.
      const frac = /\.(\d+)/.exec(iso.replace(/(Z|[+-]\d{2}:?\d{2})$/, ''))?.[1];
      return Math.floor(ms / 1000) + (frac ? Number(`0.${frac}`) : 0);
    }
  }
  throw new Error(`not a time: ${JSON.stringify(t)} (ISO like 2026-11-23T14:05:07.25Z, @<epoch seconds>, or HH:MM:SS UTC)`);
}

/** Seconds either side of T: `5`, `2.5`, or `1,4` (before, after). */
export function parseRingWindow(text: string): { before: number; after: number } {
  const t = text.trim() === '' ? '5' : text.trim();
  const m = /^(\d+(?:\.\d+)?)(?:\s*,\s*(\d+(?:\.\d+)?))?$/.exec(t);
  if (!m) throw new Error(`window: seconds either side (e.g. 5, or 2,10 for before,after), got ${JSON.stringify(t)}`);
  const before = Number(m[1]);
  const after = m[2] === undefined ? before : Number(m[2]);
  if (before > 86400 || after > 86400) throw new Error('window: at most one day either side');
  return { before, after };
}
