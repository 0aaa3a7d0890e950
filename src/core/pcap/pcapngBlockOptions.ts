/** Options of pcapng Section Header and Interface Description blocks (not on the per-packet path). */
import type { CaptureInterface } from './captureRecord';
import { CaptureFormatError } from './captureFormatError';

/** opt_comment: the same code in every block (section, interface, packet). */
export const OPT_COMMENT = 1;
export const SHB_USERAPPL = 4;
export const IF_NAME = 2;
export const IF_DESCRIPTION = 3;
export const IF_TSRESOL = 9;
export const IF_FILTER = 11;
export const IF_OS = 12;
export const IF_FCSLEN = 13;
export const IF_TSOFFSET = 14;
export const IF_HARDWARE = 15;

const utf8 = new TextDecoder('utf-8', { fatal: false });

function u16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
}

export function u32(b: Uint8Array, p: number, le: boolean): number {
  return le
    ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0
    : ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/**
 * Calls `visit(code, start, length)` for each option in b[start, end). Options that run past the end
 * of the block make the block malformed (`streamOffset` is where that block starts, for the message),
 * unless `overrun` is 'stop': then the walk just ends there.
 */
export function forEachOption(
  b: Uint8Array, start: number, end: number, le: boolean, streamOffset: number,
  visit: (code: number, valueStart: number, valueLength: number) => void,
  overrun: 'throw' | 'stop' = 'throw',
): void {
  let p = start;
  while (p + 4 <= end) {
    const code = u16(b, p, le);
    const length = u16(b, p + 2, le);
    if (code === 0) return;
    const valueStart = p + 4;
    if (valueStart + length > end) {
      if (overrun === 'stop') return;
      throw new CaptureFormatError('bad-block', streamOffset,
        `option ${code} of length ${length} runs past the end of its block at byte ${streamOffset}`);
    }
    visit(code, valueStart, length);
    p = valueStart + ((length + 3) & ~3);
  }
}

export function optionText(b: Uint8Array, start: number, length: number): string {
  // Some writers include a trailing NUL in string options.
  let end = start + length;
  while (end > start && b[end - 1] === 0) end--;
  return utf8.decode(b.subarray(start, end));
}

/** if_tsresol: high bit clear = 10^-v s, set = 2^-(v & 0x7f) s. */
export function tsresolUnitsPerSecond(value: number): number {
  return value & 0x80 ? 2 ** (value & 0x7f) : 10 ** value;
}

/** Reads an Interface Description Block body (after the 8-byte block header, before the trailer). */
export function parseInterfaceDescription(
  b: Uint8Array, bodyStart: number, bodyEnd: number, le: boolean, section: number, streamOffset: number,
): CaptureInterface {
  if (bodyEnd - bodyStart < 8) {
    throw new CaptureFormatError('bad-block', streamOffset, `interface description block too short at byte ${streamOffset}`);
  }
  const iface: CaptureInterface = {
    linkType: u16(b, bodyStart, le),
    snaplen: u32(b, bodyStart + 4, le),
    tsUnitsPerSecond: 1e6,
    section,
  };
  forEachOption(b, bodyStart + 8, bodyEnd, le, streamOffset, (code, start, length) => {
    if (code === IF_NAME) iface.name = optionText(b, start, length);
    else if (code === IF_DESCRIPTION) iface.description = optionText(b, start, length);
    else if (code === IF_TSRESOL && length >= 1) iface.tsUnitsPerSecond = tsresolUnitsPerSecond(b[start]);
    // if_filter type 0 is the filter's text; type 1 (a compiled BPF program) is not kept.
    else if (code === IF_FILTER && length >= 1 && b[start] === 0) iface.filter = optionText(b, start + 1, length - 1);
    else if (code === IF_OS) iface.os = optionText(b, start, length);
    else if (code === IF_HARDWARE) iface.hardware = optionText(b, start, length);
    else if (code === OPT_COMMENT) (iface.comments ??= []).push(optionText(b, start, length));
    else if (code === IF_FCSLEN && length >= 1) iface.fcsBytes = b[start];
    else if (code === IF_TSOFFSET && length >= 8) {
      const low = u32(b, le ? start : start + 4, le);
      const high = u32(b, le ? start + 4 : start, le) | 0; // signed 64-bit seconds
      iface.tsOffsetSec = high * 4294967296 + low;
    }
  });
  return iface;
}

/** Returns the shb_comment texts of a Section Header Block body (after the version and section length). */
export function sectionComments(b: Uint8Array, start: number, end: number, le: boolean, streamOffset: number): string[] {
  const comments: string[] = [];
  forEachOption(b, start, end, le, streamOffset, (code, s, length) => {
    if (code === OPT_COMMENT) comments.push(optionText(b, s, length));
  });
  return comments;
}

/**
 * The opt_comment texts of a packet block's options b[start, end), or undefined when there are none.
 * Unlike the header blocks, a malformed option here ends the scan instead of failing the file: the
 * packet itself is intact, and losing it over a broken comment would lose more than the comment.
 */
export function packetComments(b: Uint8Array, start: number, end: number, le: boolean): string[] | undefined {
  let comments: string[] | undefined;
  forEachOption(b, start, end, le, 0, (code, s, length) => {
    if (code === OPT_COMMENT) (comments ??= []).push(optionText(b, s, length));
  }, 'stop');
  return comments;
}
