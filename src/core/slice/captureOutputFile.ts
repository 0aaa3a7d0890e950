/**
 * A capture file being written: bytes go to `<path>.partial` and are renamed over `path` only on
 * success, so a failed slice or merge never leaves a half file (or clobbers an existing one).
 * An existing non-regular target (/dev/null, a FIFO, /dev/stdout) is written directly: renaming over a
 * device node would replace it.
 */
import { closeSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import type { CaptureInterface } from '../pcap/captureRecord';
import { PcapWriter } from '../pcap/pcapWriter';
import { PcapngWriter, type PcapngInterfaceOptions } from '../pcap/pcapngWriter';

function isSpecialFile(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * What an output IDB keeps of an input interface: link type, snaplen, timestamp resolution, name,
 * description, capture filter, OS, hardware, FCS length and comments (if_tsoffset is applied to the
 * timestamps instead).
 */
export function interfaceOptionsOf(iface: CaptureInterface): PcapngInterfaceOptions {
  return {
    linkType: iface.linkType, snaplen: iface.snaplen || 262144, tsUnitsPerSecond: iface.tsUnitsPerSecond,
    name: iface.name, description: iface.description, filter: iface.filter, os: iface.os, hardware: iface.hardware,
    fcsBytes: iface.fcsBytes, comments: iface.comments,
  };
}

export type CaptureOutputKind =
  | { format: 'pcap'; linkType: number; snaplen: number; nanosecond: boolean }
  | { format: 'pcapng'; comment?: string; sectionComments?: readonly string[] };

export class CaptureOutputFile {
  private readonly fd: number;
  /** Where bytes go until commit: `<path>.partial`, or `path` itself for a device or FIFO. */
  private readonly partial: string;
  /** Link type of a classic pcap output (undefined for pcapng, whose interfaces each have one). */
  readonly linkType: number | undefined;
  private readonly pcap: PcapWriter | undefined;
  private readonly pcapng: PcapngWriter | undefined;
  private done = false;

  constructor(readonly path: string, kind: CaptureOutputKind) {
    this.partial = isSpecialFile(path) ? path : `${path}.partial`;
    this.fd = openSync(this.partial, 'w');
    this.linkType = kind.format === 'pcap' ? kind.linkType : undefined;
    if (kind.format === 'pcap') this.pcap = new PcapWriter(this.fd, { linkType: kind.linkType, snaplen: kind.snaplen, nanosecond: kind.nanosecond });
    else this.pcapng = new PcapngWriter(this.fd, { comment: kind.comment, sectionComments: kind.sectionComments });
  }

  get format(): 'pcap' | 'pcapng' { return this.pcap ? 'pcap' : 'pcapng'; }
  get recordCount(): number { return (this.pcap ?? this.pcapng)?.recordCount ?? 0; }

  /** pcapng only: declares an interface, returning its id. */
  addInterface(iface: PcapngInterfaceOptions): number {
    if (!this.pcapng) throw new Error('a classic pcap output has exactly one interface');
    return this.pcapng.addInterface(iface);
  }

  /** `comments` (pcapng opt_comment) go only into pcapng: classic pcap records have no room for them. */
  write(interfaceId: number, tsSec: number, tsNsec: number, data: Uint8Array, origLen: number, comments?: readonly string[]): void {
    if (this.pcap) this.pcap.writeRecord(tsSec, tsNsec, data, origLen);
    else this.pcapng?.writeRecord(interfaceId, tsSec, tsNsec, data, origLen, comments);
  }

  async commit(): Promise<void> {
    await (this.pcap ?? this.pcapng)?.close();
    closeSync(this.fd);
    this.done = true;
    if (this.partial !== this.path) renameSync(this.partial, this.path);
  }

  /** Drops the partial file (after an error). */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    try { closeSync(this.fd); } catch { /* already closed */ }
    if (this.partial !== this.path) rmSync(this.partial, { force: true });
  }
}
