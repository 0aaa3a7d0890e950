import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeCaptureFiles } from '../../src/core/align/compareCaptures';

describe('describeCaptureFiles with host overrides (Compare: "captured on" edited)', () => {
  const files = ['/w/captures/hv1/tap0-20260101-120000.pcap', '/w/captures/hv1/br0-20260101-120000.pcap', '/w/case/eth0.pcap'];

  it('takes hosts from the paths without overrides', () => {
    assert.deepEqual(describeCaptureFiles(files).map((i) => [i.host, i.label]), [['hv1', 'tap0@hv1'], ['hv1', 'br0@hv1'], ['case', 'eth0@case']]);
  });

  it('replaces the host (and label) of the overridden files only, by file index', () => {
    const infos = describeCaptureFiles(files, new Map([[2, 'hv2'], [1, 'hv3']]));
    assert.deepEqual(infos.map((i) => [i.host, i.label]), [['hv1', 'tap0@hv1'], ['hv3', 'br0@hv3'], ['hv2', 'eth0@hv2']]);
  });

  it('keeps labels unique when an override makes two the same', () => {
    const two = ['/w/a/eth0.pcap', '/w/b/eth0.pcap'];
    assert.deepEqual(describeCaptureFiles(two, new Map([[1, 'a']])).map((i) => i.label), ['eth0@a', 'eth0@a (2)']);
  });
});
