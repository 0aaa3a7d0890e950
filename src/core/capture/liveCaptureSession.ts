/**
 * One running capture: the pcap byte stream from a transport goes through the stream reader; every
 * complete record is appended to the capture file at once (flushed within the event-loop turn, so a
 * dropped connection loses nothing already received) and handed to the listener for the live text.
 * A partial record at the end of the stream is discarded and reported, never written.
 */
import { openSync, closeSync } from 'node:fs';
import type { CaptureRecord } from '../pcap/captureRecord';
import { CaptureFormatError } from '../pcap/captureFormatError';
import { CaptureStreamReader } from '../pcap/captureStreamReader';
import { PcapWriter } from '../pcap/pcapWriter';
import type { CaptureTransport } from './captureTransport';
import { HEARTBEAT_INTERVAL_MS } from './captureOptions';
import { parseRemoteCaptureStderrLine, type RemoteCaptureErrorCode } from './remoteCaptureStderr';

export type CaptureState = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';
export type CaptureEndReason = 'stopped' | 'packet-limit' | 'duration-limit' | 'size-limit' | 'connection-lost' | 'error';

export interface CaptureResult {
  reason: CaptureEndReason;
  packets: number;
  /** Bytes written to the file. */
  bytes: number;
  exitCode: number | null;
  /** tcpdump's closing counters, when it printed them. */
  captured?: number;
  droppedByKernel?: number;
  /** Bytes of an incomplete last record that were discarded. */
  discardedBytes: number;
  error?: { code: RemoteCaptureErrorCode | 'stream'; message: string };
  /** The filter tcpdump actually ran (with the own-SSH exclusion when added). */
  effectiveFilter?: string;
}

export interface LiveCaptureListener {
  /** A complete record; `rec` is reused after the call returns. */
  onRecord?(rec: CaptureRecord): void;
  onStateChange?(state: CaptureState): void;
  /** tcpdump's own lines ("listening on …") and anything else it printed on stderr. */
  onMessage?(line: string): void;
  onEnd?(result: CaptureResult): void;
}

export interface LiveCaptureOptions {
  /** File the pcap is written to (created or truncated). */
  file: string;
  /** Stop locally once the file reaches this many bytes; 0 = no limit. */
  maxFileBytes: number;
  /** Packet limit given to tcpdump (-c), to name the reason when it ends. */
  maxPackets: number;
  heartbeatIntervalMs?: number;
  /** After a graceful stop, force the channel closed if it has not ended by then. */
  stopTimeoutMs?: number;
}

export class LiveCaptureSession {
  private stateValue: CaptureState = 'starting';
  private readonly reader: CaptureStreamReader;
  private writer: PcapWriter | undefined;
  private readonly fd: number;
  private packets = 0;
  private pushed = 0;
  private bytes = 0;
  private stopRequested: CaptureEndReason | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private forceTimer: NodeJS.Timeout | undefined;
  private stderrPartial = '';
  private readonly result: Partial<CaptureResult> = {};
  private streamError: CaptureResult['error'];
  readonly done: Promise<CaptureResult>;

  constructor(private readonly transport: CaptureTransport, private readonly options: LiveCaptureOptions, private readonly listener: LiveCaptureListener = {}) {
    this.fd = openSync(options.file, 'w');
    this.reader = new CaptureStreamReader({
      onInterface: (iface) => {
        this.writer ??= new PcapWriter(this.fd, { linkType: iface.linkType, snaplen: iface.snaplen || 262144, nanosecond: this.reader.format === 'pcap-nsec' });
        this.bytes = 24;
      },
      onRecord: (rec) => this.onRecord(rec),
    });
    this.done = new Promise((resolve) => {
      transport.onClose((code) => resolve(this.finish(code)));
    });
    transport.onData((chunk) => {
      if (this.streamError) return;
      this.pushed += chunk.length;
      try {
        this.reader.push(chunk);
      } catch (e) {
        // Not a pcap stream (e.g. a login script printing on stdout): stop, keep what was valid.
        this.streamError = { code: 'stream', message: e instanceof Error ? e.message : String(e) };
        this.stop('error');
      }
    });
    transport.onStderr((chunk) => this.onStderr(chunk));
    this.heartbeat = setInterval(() => { transport.write('\n'); }, options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
  }

  get state(): CaptureState { return this.stateValue; }
  get packetCount(): number { return this.packets; }
  get byteCount(): number { return this.bytes; }

  /** Graceful stop: EOF to the remote watchdog, which stops tcpdump so it flushes and exits 0. */
  stop(reason: CaptureEndReason = 'stopped'): void {
    if (this.stateValue === 'stopped' || this.stateValue === 'failed' || this.stopRequested) return;
    this.stopRequested = reason;
    this.setState('stopping');
    this.clearHeartbeat();
    this.transport.end();
    this.forceTimer = setTimeout(() => this.transport.destroy(), this.options.stopTimeoutMs ?? 10_000);
  }

  private onRecord(rec: CaptureRecord): void {
    // Past the size limit nothing more is written, though tcpdump may still be flushing.
    if (!this.writer || this.stopRequested === 'size-limit') return;
    this.writer.writeRecord(rec.tsSec, rec.tsNsec, rec.data, rec.origLen);
    this.packets++;
    this.bytes += 16 + rec.caplen;
    this.listener.onRecord?.(rec);
    if (this.options.maxFileBytes > 0 && this.bytes >= this.options.maxFileBytes) this.stop('size-limit');
  }

  private onStderr(chunk: Uint8Array): void {
    const parts = (this.stderrPartial + Buffer.from(chunk).toString('utf8')).split('\n');
    this.stderrPartial = parts.pop() ?? '';
    for (const line of parts) this.onStderrLine(line.replace(/\r$/, ''));
  }

  private onStderrLine(line: string): void {
    if (!line) return;
    const parsed = parseRemoteCaptureStderrLine(line);
    switch (parsed.kind) {
      case 'pid': return;
      case 'filter': this.result.effectiveFilter = parsed.filter; return;
      case 'listening': this.setState('running'); break;
      case 'stat':
        if (parsed.stat === 'captured') this.result.captured = parsed.count;
        if (parsed.stat === 'dropped') this.result.droppedByKernel = parsed.count;
        break;
      case 'error': this.result.error ??= { code: parsed.code, message: parsed.message }; break;
      case 'other': break;
    }
    this.listener.onMessage?.(line);
  }

  private finish(code: number | null): CaptureResult {
    if (this.stderrPartial) this.onStderrLine(this.stderrPartial);
    this.clearHeartbeat();
    if (this.forceTimer) clearTimeout(this.forceTimer);
    let discardedBytes = 0;
    try {
      if (!this.streamError) this.reader.end();
    } catch (e) {
      if (e instanceof CaptureFormatError && e.code === 'truncated') discardedBytes = this.pushed - this.reader.bytesConsumed;
      else this.streamError ??= { code: 'stream', message: e instanceof Error ? e.message : String(e) };
    }
    this.writer?.flush();
    closeSync(this.fd);
    const error = this.result.error ?? this.streamError;
    let reason: CaptureEndReason;
    if (this.stopRequested && this.stopRequested !== 'error') reason = this.stopRequested;
    else if (error) reason = 'error';
    else if (code === 124) reason = 'duration-limit';
    else if (code === 0 && this.options.maxPackets > 0 && this.packets >= this.options.maxPackets) reason = 'packet-limit';
    else if (code === 0) reason = 'stopped';
    else reason = 'connection-lost';
    const result: CaptureResult = { ...this.result, reason, packets: this.packets, bytes: this.bytes, exitCode: code, discardedBytes, error };
    this.setState(reason === 'error' ? 'failed' : 'stopped');
    this.listener.onEnd?.(result);
    return result;
  }

  private clearHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private setState(s: CaptureState): void {
    if (this.stateValue === s) return;
    this.stateValue = s;
    this.listener.onStateChange?.(s);
  }
}
