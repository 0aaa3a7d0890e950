/** Big-endian reads from packet bytes; callers check bounds first (these never throw, they read undefined as 0). */
export function readU16(d: Uint8Array, o: number): number {
  return (d[o] << 8) | d[o + 1];
}

export function readU32(d: Uint8Array, o: number): number {
  return ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
}

export function readU24(d: Uint8Array, o: number): number {
  return (d[o] << 16) | (d[o + 1] << 8) | d[o + 2];
}
