/**
 * Time values of display filters, as Wireshark (tshark 4.0) reads them: relative times
 * (`frame.time_relative >= 1.5`, seconds, may be negative) and epoch instants (`frame.time_epoch >=
 * 1795446324.5`) are bare decimal numbers; `frame.time` takes a quoted local date and time
 * ("2026-11-23 10:00:00[.frac]", "2026-11-23T10:00", "2026-11-23", "Nov 23, 2026 10:00:00") in the
 * time zone of the process (TZ), like Wireshark on the same machine; a trailing " UTC" or "Z" means UTC.
 * Everything stays exact to the nanosecond (no float seconds).
 */
import { DisplayFilterError } from './displayFilterSyntax';

export interface FilterInstant { sec: number; nsec: number }

const EXAMPLE = 'e.g. "2026-11-23 10:00:00", "2026-11-23 10:00:00.25 UTC" or "Nov 23, 2026 10:00:00"';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Up to 9 fraction digits as nanoseconds (more are cut off, as Wireshark does). */
function fractionNs(frac: string | undefined): number {
  return Number((frac ?? '').slice(0, 9).padEnd(9, '0'));
}

/** `1.5`, `-0.000026`, `2` → nanoseconds (exact below 2^53 ns, about 104 days). */
export function parseFilterSeconds(text: string, position: number): number {
  const m = /^([+-]?)(\d{1,15})(?:\.(\d+))?$/.exec(text);
  if (!m) throw new DisplayFilterError(`'${text}' is not a time in seconds (e.g. 1.5 or 0.000250)`, position);
  const ns = Number(m[2]) * 1e9 + fractionNs(m[3]);
  if (!Number.isSafeInteger(ns)) throw new DisplayFilterError(`'${text}' is too large a time offset`, position);
  return m[1] === '-' ? -ns : ns;
}

/** `1795446324.5` (seconds since 1970, UTC) → an instant. */
export function parseFilterEpoch(text: string, position: number): FilterInstant {
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!m) throw new DisplayFilterError(`'${text}' is not an epoch time in seconds (e.g. 1795446324.5)`, position);
  return { sec: Number(m[1]), nsec: fractionNs(m[2]) };
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(\s*(?:UTC|Z))?$/i;
const NAMED = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(\s*(?:UTC|Z))?$/;

/** A date and time (local unless it ends in UTC or Z) → an instant; throws with an example when wrong. */
export function parseFilterDateTime(text: string, position: number): FilterInstant {
  const t = text.trim();
  let parts: [number, number, number, number, number, number, string | undefined, boolean] | undefined;
  let m = ISO.exec(t);
  if (m) parts = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7], m[8] !== undefined];
  else if ((m = NAMED.exec(t))) {
    const month = MONTHS.indexOf(m[1].toLowerCase()) + 1;
    if (month === 0) throw new DisplayFilterError(`'${m[1]}' is not a month name in "${text}" (${EXAMPLE})`, position);
    parts = [Number(m[3]), month, Number(m[2]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7], m[8] !== undefined];
  }
  if (!parts) throw new DisplayFilterError(`"${text}" is not a date and time (${EXAMPLE})`, position);
  const [year, month, day, hour, minute, second, frac, utc] = parts;
  const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) {
    throw new DisplayFilterError(`"${text}" is not a valid date and time (month 1-12, day of that month, hour 0-23, minute and second 0-59; ${EXAMPLE})`, position);
  }
  const ms = utc ? Date.UTC(year, month - 1, day, hour, minute, second) : new Date(year, month - 1, day, hour, minute, second).getTime();
  return { sec: Math.floor(ms / 1000), nsec: fractionNs(frac) };
}
