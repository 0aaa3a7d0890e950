/**
 * The frame facts a display filter reads besides the packet's bytes (number, lengths, times),
 * kept for a pass over a capture in file order. `frame.time_delta_displayed` follows tshark's
 * one-pass rule: the time since the last packet that passed the filter (0 before any did), so the
 * caller reports each match with `displayed()`.
 */
import type { FrameInfo } from './displayFilterFields';

export class FrameClock {
  readonly frame: FrameInfo = {
    number: 0, length: 0, capLength: 0, tsSec: 0, tsNsec: 0, relativeNs: 0, deltaNs: 0, deltaDisplayedNs: 0,
  };
  private firstSec = 0;
  private firstNsec = 0;
  private prevSec = 0;
  private prevNsec = 0;
  private shownSec = 0;
  private shownNsec = 0;
  private anyShown = false;

  /** Moves to the next packet (1-based `number` counts the file, as Wireshark does). */
  next(number: number, tsSec: number, tsNsec: number, length: number, capLength: number): FrameInfo {
    const m = this.frame;
    if (m.number === 0) { this.firstSec = tsSec; this.firstNsec = tsNsec; this.prevSec = tsSec; this.prevNsec = tsNsec; }
    m.number = number;
    m.length = length;
    m.capLength = capLength;
    m.tsSec = tsSec;
    m.tsNsec = tsNsec;
    // Differences in ns fit a double exactly for gaps under ~104 days.
    m.relativeNs = (tsSec - this.firstSec) * 1e9 + (tsNsec - this.firstNsec);
    m.deltaNs = (tsSec - this.prevSec) * 1e9 + (tsNsec - this.prevNsec);
    m.deltaDisplayedNs = this.anyShown ? (tsSec - this.shownSec) * 1e9 + (tsNsec - this.shownNsec) : 0;
    this.prevSec = tsSec;
    this.prevNsec = tsNsec;
    return m;
  }

  /** The current packet passed the filter: later packets' time_delta_displayed counts from it. */
  displayed(): void {
    this.anyShown = true;
    this.shownSec = this.frame.tsSec;
    this.shownNsec = this.frame.tsNsec;
  }
}
