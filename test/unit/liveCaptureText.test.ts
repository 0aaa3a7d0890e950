// LiveCaptureText (the live capture document's text): the window of the last N lines, the note about
// packets only in the file, batched change notifications; captureFilePath naming.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LiveCaptureText } from '../../src/extension/capture/liveCaptureText';
import { captureFilePath } from '../../src/extension/capture/captureFilePath';
import type { CaptureRecord } from '../../src/core/pcap/captureRecord';

// Ethernet + IPv4 + ICMP echo request 10.2.0.2 > 10.2.0.3 (checksum not checked by the formatter).
const frame = Buffer.from('52540000010152540000010208004500005400004000400100000a0200020a0200030800f7ff00010001' + '00'.repeat(56), 'hex');
const record = (i: number): CaptureRecord => ({
  data: frame, caplen: frame.length, origLen: frame.length, tsSec: 1_700_000_000 + i, tsNsec: 0, linkType: 1, interfaceId: 0, index: i, fileOffset: 0,
});

describe('LiveCaptureText', () => {
  it('keeps the last N packet lines and says how many are only in the file', () => {
    const t = new LiveCaptureText(3, () => undefined);
    for (let i = 0; i < 10; i++) t.addRecord(record(i));
    t.addNote('capture stopped: 10 packets');
    const lines = t.text().trimEnd().split('\n');
    t.dispose();
    assert.equal(t.lineCount, 3);
    assert.equal(lines[0], '[hopscope: 7 earlier packets are in the file only]');
    assert.match(lines[1], /^2023-11-14 22:13:27\.000000 IP 10\.2\.0\.2 > 10\.2\.0\.3: ICMP echo request, id 1, seq 1, length 64$/);
    assert.equal(lines.length, 5);
    assert.equal(lines[4], '[hopscope: capture stopped: 10 packets]');
  });

  it('batches notifications: many records within 100 ms give one change, flush sends the pending one', async () => {
    let notified = 0;
    const t = new LiveCaptureText(100, () => { notified++; }, 10);
    for (let i = 0; i < 500; i++) t.addRecord(record(i));
    assert.equal(notified, 0);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(notified, 1);
    t.addRecord(record(501));
    t.flush();
    assert.equal(notified, 2);
    t.flush();
    assert.equal(notified, 2, 'nothing pending: no change');
    t.dispose();
  });
});

describe('captureFilePath', () => {
  it('names captures/<host>/<iface>-<UTC stamp>.pcap and avoids taken names', () => {
    const when = new Date(Date.UTC(2026, 10, 23, 9, 5, 7));
    const taken = new Set(['/w/captures/hv1/tap0-20261123-090507.pcap']);
    assert.equal(captureFilePath('/w', 'hv1', 'br0', when, () => false), '/w/captures/hv1/br0-20261123-090507.pcap');
    assert.equal(captureFilePath('/w', 'hv1', 'tap0', when, (p) => taken.has(p)), '/w/captures/hv1/tap0-20261123-090507-2.pcap');
    assert.equal(captureFilePath('/w', 'a b/../c', 'eth0', when, () => false), '/w/captures/a_b_.._c/eth0-20261123-090507.pcap');
    assert.equal(captureFilePath('/w', '..', 'eth0', when, () => false), '/w/captures/_../eth0-20261123-090507.pcap');
  });
});
