/**
 * Discovery parser throughput on a large host: the real `ip -j -d link` / `ip -d link` fixtures
 * repeated to 2,000 links (a hypervisor with ~1,000 VMs), and 500 domain XMLs.
 * Run: node --import tsx bench/discoveryParsers.bench.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIpLinkJson } from '../src/core/discovery/parseIpLinkJson';
import { parseIpLinkText } from '../src/core/discovery/parseIpLinkText';
import { parseVirshDomainXml } from '../src/core/discovery/parseVirshDomainXml';

const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'discovery');
const linksJson = JSON.parse(readFileSync(join(dir, 'netns', 'ip-j-d-link.json'), 'utf8')) as Record<string, unknown>[];
const big: Record<string, unknown>[] = [];
for (let i = 0; big.length < 2000; i++) for (const l of linksJson) big.push({ ...l, ifname: `${String(l.ifname)}x${i}`, ifindex: big.length + 1 });
const bigJson = JSON.stringify(big);
const text = readFileSync(join(dir, 'netns', 'ip-d-link.txt'), 'utf8');
const bigText = Array.from({ length: Math.ceil(2000 / 12) }, () => text).join('');
const xml = readFileSync(join(dir, 'virsh', 'dumpxml-r2-10105.xml'), 'utf8');

function time(label: string, f: () => number): void {
  f(); // warm-up
  const runs = 10;
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (let i = 0; i < runs; i++) n = f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
  console.log(`${label}: ${ms.toFixed(2)} ms per run (${n} items)`);
}

time(`parseIpLinkJson, ${big.length} links, ${(bigJson.length / 1024).toFixed(0)} KiB`, () => parseIpLinkJson(bigJson).length);
time(`parseIpLinkText, ${(bigText.length / 1024).toFixed(0)} KiB`, () => parseIpLinkText(bigText).length);
time('parseVirshDomainXml x500', () => { let n = 0; for (let i = 0; i < 500; i++) n += parseVirshDomainXml(xml).vnics.length; return n; });
