import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileDisplayFilter } from '../../src/core/filter/compileDisplayFilter';
import { DisplayFilterError, parseDisplayFilter } from '../../src/core/filter/displayFilterSyntax';

function errorOf(text: string): DisplayFilterError {
  try {
    compileDisplayFilter(text);
  } catch (e) {
    if (e instanceof DisplayFilterError) return e;
    throw e;
  }
  assert.fail(`'${text}' compiled without error`);
}

describe('display filter syntax', () => {
  it('gives "and" precedence over "or", and accepts symbol and word operators', () => {
    assert.deepEqual(parseDisplayFilter('icmp or arp and not tcp'), {
      type: 'or',
      left: { type: 'present', field: 'icmp', position: 0 },
      right: { type: 'and', left: { type: 'present', field: 'arp', position: 8 }, right: { type: 'not', operand: { type: 'present', field: 'tcp', position: 20 } } },
    });
    assert.deepEqual(parseDisplayFilter('tcp.port eq 22'), parseDisplayFilter('tcp.port == 22'));
    assert.equal(parseDisplayFilter('  '), undefined);
  });

  it('reads the tcpdump shorthands engineers type by habit', () => {
    assert.deepEqual(parseDisplayFilter('src host 10.0.0.1'), { type: 'host', direction: 'src', value: '10.0.0.1', position: 0 });
    assert.deepEqual(parseDisplayFilter('port 53'), { type: 'port', direction: 'any', value: '53', position: 0 });
  });

  it('explains mistakes with a position', () => {
    const cases: [string, RegExp, number][] = [
      ['ip.adr == 10.0.0.1', /unknown field 'ip.adr' \(known: ip.src/, 0],
      ['ip.addr = 10.0.0.1', /use '=='/, 8],
      ['ip.addr == 10.0.0.300', /not an IPv4 address/, 11],
      ['tcp.port == ', /expected a value after '=='/, 12],
      ['(icmp or arp', /missing "\)"/, 12],
      ['icmp arp', /unexpected 'arp'/, 5],
      ['tcp == 1', /'tcp' is a protocol/, 0],
      ['host example.com', /host names are not resolved/, 0],
      ['port 70000', /out of range/, 0],
      ['ip.addr == 10.0.0.0/33', /prefix length/, 11],
    ];
    for (const [text, re, position] of cases) {
      const e = errorOf(text);
      assert.match(e.message, re, text);
      assert.equal(e.position, position, text);
    }
  });
});
