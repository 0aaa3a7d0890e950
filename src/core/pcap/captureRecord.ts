/**
 * One packet record as the capture readers hand it out. The reader reuses this object and the
 * bytes behind `data` for the next record: copy what must outlive the callback.
 */
export interface CaptureRecord {
  /** Captured bytes of this record (a view into the reader's buffer, `caplen` long). */
  data: Uint8Array;
  /** Bytes captured (may be less than `origLen` when snaplen cut the packet). */
  caplen: number;
  /** Length of the packet on the wire. */
  origLen: number;
  /** Timestamp: whole seconds since the epoch (UTC). */
  tsSec: number;
  /** Timestamp: nanoseconds within the second (0..999_999_999), whatever the file's resolution. */
  tsNsec: number;
  /** LINKTYPE_* value of the interface this record came from. */
  linkType: number;
  /**
   * Interface id within the file (pcapng IDB index; 0 for classic pcap). File-wide: the IDBs of later
   * sections continue the numbering, so it indexes the reader's `interfaces` (tshark's
   * frame.interface_id restarts at 0 in each section).
   */
  interfaceId: number;
  /** pcapng opt_comment texts of this packet (EPB/OPB options); undefined when it has none. */
  comments?: readonly string[];
  /** Byte offset of this record's header in the whole stream (for errors and "reveal packet"). */
  fileOffset: number;
  /** 0-based index of this record in the stream. */
  index: number;
  /**
   * The reader's buffer holding this record: the bytes are bytes[dataOffset, dataOffset + caplen).
   * Hot loops can use these instead of `data` to avoid creating a view per record. Set by
   * CaptureStreamReader; undefined on records built elsewhere.
   */
  bytes?: Uint8Array;
  dataOffset?: number;
}

/** Description of one capture interface (pcapng IDB; classic pcap has exactly one). */
export interface CaptureInterface {
  linkType: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** pcapng if_filter, when given as text (the capture filter). */
  filter?: string;
  /** pcapng if_os and if_hardware. */
  os?: string;
  hardware?: string;
  /** pcapng opt_comment texts of the interface block. */
  comments?: string[];
  /** Timestamp resolution as units per second (1e6 for microseconds, 1e9 for nanoseconds). */
  tsUnitsPerSecond: number;
  /** pcapng if_tsoffset, seconds. */
  tsOffsetSec?: number;
  /** pcapng section index this interface belongs to. */
  section: number;
  /**
   * Bytes of frame check sequence at the end of each packet, when the file says so (classic pcap: the
   * FCS bits of the link-type field; pcapng: if_fcslen). Undefined when the file does not say.
   */
  fcsBytes?: number;
}

export type CaptureFormat = 'pcap' | 'pcap-nsec' | 'pcapng';
