/** The shape of a bench contender; see bench/run.ts. */
export interface BenchContext {
  /** The generated capture (classic pcap, Ethernet). */
  file: string;
  packets: number;
  fileBytes: number;
  /** bench/.data: git-ignored scratch space (bundled children, prefix files). */
  dataDir: string;
  /** Bundles a TypeScript entry point with esbuild into dataDir and returns the .js path (cached per run). */
  bundle(entry: string): string;
}

export interface BenchContender {
  /** Row label. */
  name: string;
  /** argv of the child process to time; its stdout goes to /dev/null. It gets the file as `file`. */
  argv(ctx: BenchContext, file: string): string[];
  /**
   * Measure on a prefix of at most this many packets when the file is larger (slow tools); the rates
   * are per second anyway, and the row is labelled with the prefix size.
   */
  maxPackets?: number;
  /** Run once unmeasured first (e.g. to have the file in the page cache for `cat`). */
  warmup?: boolean;
  /** The row the others are compared with (exactly one contender sets it). */
  baseline?: boolean;
}
