/**
 * docs/align-schema.md against what `hopscope align --json` really prints: the field table is parsed
 * from the document and every object of real reports (committed real captures, several verdict kinds)
 * must have exactly the documented fields, of the documented types, and only documented verdict kinds.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAlignCli } from '../support/runAlignCli';

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'align-schema.md'), 'utf8');
const SIX = ['vmA-eth0', 'hostA-tap', 'hostA-upl', 'hostB-upl', 'hostB-tap', 'vmB-eth0'];
const fx = (set: string, ...names: string[]): string[] => names.map((n) => join(__dirname, '..', 'fixtures', 'align', set, `${n}.pcap`));

/** Splits `a, b[{c, d}], e` at top-level commas. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '{' || ch === '[') depth++;
    if (ch === '}' || ch === ']') depth--;
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Documented fields: object path (`''`, `captures[]`, `verdicts[].rows[].cells[]`) → field → leaf type (or '' when unstated). */
function documentedFields(): Map<string, Map<string, string>> {
  const objects = new Map<string, Map<string, string>>();
  const field = (obj: string, name: string, type: string): void => {
    if (!objects.has(obj)) objects.set(obj, new Map());
    objects.get(obj)?.set(name, type);
  };
  /** `{index, name, cells[{capture, record}]}` at path `obj`. */
  const objectType = (obj: string, body: string): void => {
    for (const part of splitTopLevel(body)) {
      const nested = /^(\w+)\[\{(.*)\}\]$/.exec(part);
      if (nested) { field(obj, nested[1], 'object[]'); objectType(`${obj}.${nested[1]}[]`.replace(/^\./, ''), nested[2]); continue; }
      const arr = /^(\w+)\[\]$/.exec(part);
      if (arr) field(obj, arr[1], 'array');
      else field(obj, part, '');
    }
  };
  const table = DOC.slice(0, DOC.indexOf('Verdict kinds:'));
  for (const m of table.matchAll(/^\| `([\w.[\]]+)` \| `?([^|`]*)`? \|/gm)) {
    const path = m[1];
    const type = m[2].trim();
    const isArray = path.endsWith('[]');
    const bare = isArray ? path.slice(0, -2) : path;
    const dot = bare.lastIndexOf('.');
    const parent = dot < 0 ? '' : bare.slice(0, dot);
    const name = bare.slice(dot + 1);
    // every ancestor is an object member of its own parent
    const steps = parent ? parent.split('.') : [];
    for (let i = 0; i < steps.length; i++) {
      const at = steps.slice(0, i).join('.');
      const step = steps[i];
      if (!objects.get(at)?.has(step.replace(/\[\]$/, ''))) field(at, step.replace(/\[\]$/, ''), step.endsWith('[]') ? 'object[]' : 'object');
    }
    if (type.startsWith('{')) {
      field(parent, name, isArray ? 'object[]' : 'object');
      objectType(isArray ? path : bare, type.slice(1, -1));
    } else {
      field(parent, name, isArray ? 'array' : type);
    }
  }
  return objects;
}

function documentedKinds(): Set<string> {
  const prose = DOC.slice(DOC.indexOf('Verdict kinds:'), DOC.indexOf('Added without a schema change'));
  const kinds = new Set([...prose.matchAll(/`([a-z-]+)` \(/g)].map((m) => m[1]));
  for (const m of DOC.matchAll(/^\| `([a-z-]+)` \| \[/gm)) kinds.add(m[1]);
  return kinds;
}

function checkLeaf(path: string, type: string, v: unknown): void {
  if (type === '1') assert.equal(v, 1, path);
  else if (type === 'number') assert.equal(typeof v, 'number', path);
  else if (type === 'boolean') assert.equal(typeof v, 'boolean', path);
  else if (type === 'string') assert.equal(typeof v, 'string', path);
  else if (type === 'array') assert.ok(Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'), `${path}: array of plain values`);
  else assert.ok(v === null || ['number', 'string', 'boolean'].includes(typeof v), `${path}: a plain value, got ${JSON.stringify(v)}`);
}

function checkObject(doc: Map<string, Map<string, string>>, path: string, value: unknown): void {
  const fields = doc.get(path);
  assert.ok(fields, `no documented object at ${path || '(root)'}`);
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${path || '(root)'} is an object`);
  const obj = value as Record<string, unknown>;
  assert.deepEqual(Object.keys(obj).sort(), [...fields.keys()].sort(), `fields of ${path || '(root)'}`);
  for (const [name, type] of fields) {
    const sub = path ? `${path}.${name}` : name;
    if (type === 'object') checkObject(doc, sub, obj[name]);
    else if (type === 'object[]') {
      assert.ok(Array.isArray(obj[name]), `${sub} is an array`);
      for (const item of obj[name] as unknown[]) checkObject(doc, `${sub}[]`, item);
    } else checkLeaf(sub, type, obj[name]);
  }
}

const RUNS: [string, string[]][] = [
  ['drop, two hosts', ['--host', `A=${fx('drop', ...SIX.slice(0, 3)).join(',')}`, '--host', `B=${fx('drop', ...SIX.slice(3)).join(',')}`, ...fx('drop', ...SIX)]],
  ['mac-rewrite', fx('mac-rewrite', ...SIX)],
  ['none, --order', ['--order', SIX.map((n) => `${n}.pcap`).join(','), ...fx('none', ...SIX)]],
  ['any (duplicates)', fx('any', 'vmA-eth0', 'hostA-any', 'hostB-upl', 'vmB-eth0')],
];

describe('docs/align-schema.md matches `hopscope align --json`', () => {
  const doc = documentedFields();
  const kinds = documentedKinds();

  it('the document parses into the fields it lists', () => {
    assert.deepEqual([...(doc.get('')?.keys() ?? [])].sort(), ['captures', 'clocks', 'hopOrder', 'rows', 'schemaVersion', 'segments', 'timeOriginSec', 'verdicts', 'warnings']);
    assert.deepEqual([...(doc.get('verdicts[].rows[].cells[]')?.keys() ?? [])], ['capture', 'record', 'timeSec']);
    for (const k of ['lost', 'delayed', 'duplicated', 'rewritten', 'reply-missing', 'one-way', 'not-captured', 'super-segment', 'segmented', 'coalesced', 'nat', 'routed']) assert.ok(kinds.has(k), k);
  });

  for (const [name, args] of RUNS) {
    it(`${name}: every object has exactly the documented fields and types`, async () => {
      const r = await runAlignCli(['--json', ...args]);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as { schemaVersion: number; captures: { name: string }[]; verdicts: { kind: string; captures: string[]; rows: unknown[] }[] };
      checkObject(doc, '', report);
      const names = new Set(report.captures.map((c) => c.name));
      for (const v of report.verdicts) {
        assert.ok(kinds.has(v.kind), `undocumented verdict kind ${v.kind}`);
        assert.ok(v.captures.every((c) => names.has(c)), `verdict captures are capture names: ${v.captures.join(',')}`);
        assert.ok(v.rows.length <= 20, 'at most 20 proving rows');
      }
    });
  }
});
