/** Timestamps as tcpdump prints them (in UTC: run tcpdump with TZ=UTC to compare), microseconds. */
import { asciiBytes, type ByteTextWriter } from './byteTextWriter';

function pad2(n: number): string { return n < 10 ? `0${n}` : `${n}`; }

function micros(tsNsec: number): string {
  return `${Math.floor(tsNsec / 1000)}`.padStart(6, '0');
}

/** `12:00:00.123456` (tcpdump's default, `-t` off). */
export function clockTimeText(tsSec: number, tsNsec: number): string {
  const s = ((tsSec % 86400) + 86400) % 86400;
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}.${micros(tsNsec)}`;
}

// Packets come in bursts within one second: the date-and-seconds prefix is cached.
let cachedSec = NaN;
let cachedPrefix = '';

/** `2026-11-23 12:00:00.123456` (`-tttt`). */
export function dateTimeText(tsSec: number, tsNsec: number): string {
  if (tsSec !== cachedSec) {
    const d = new Date(tsSec * 1000);
    cachedPrefix = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.`;
    cachedSec = tsSec;
  }
  return cachedPrefix + micros(tsNsec);
}

let cachedPrefixBytes: Uint8Array = new Uint8Array(0);
let cachedPrefixBytesOf = '';

/** dateTimeText / clockTimeText written as bytes. */
export function writeTimeText(w: ByteTextWriter, tsSec: number, tsNsec: number, date: boolean): void {
  if (date) {
    if (tsSec !== cachedSec) dateTimeText(tsSec, tsNsec);
    if (cachedPrefixBytesOf !== cachedPrefix) { cachedPrefixBytes = asciiBytes(cachedPrefix); cachedPrefixBytesOf = cachedPrefix; }
    w.bytes(cachedPrefixBytes);
  } else {
    const s = ((tsSec % 86400) + 86400) % 86400;
    w.decPadded(Math.floor(s / 3600), 2); w.byte(58); w.decPadded(Math.floor(s / 60) % 60, 2); w.byte(58); w.decPadded(s % 60, 2); w.byte(46);
  }
  w.decPadded(Math.floor(tsNsec / 1000), 6);
}
