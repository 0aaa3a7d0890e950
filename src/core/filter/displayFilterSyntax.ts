/**
 * Syntax of the pcap editor's display filter: a practical subset of Wireshark's display filters
 * (`ip.addr == 10.0.0.1 and not tcp.port == 22`, `icmp || arp`, `frame.len > 1000`) plus the
 * tcpdump shorthands engineers type by habit (`host 10.0.0.1`, `port 53`, `src host …`).
 */
export class DisplayFilterError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'DisplayFilterError';
  }
}

export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

export type FilterNode =
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; operand: FilterNode }
  | { type: 'present'; field: string; position: number }
  /** `quoted`: the value was a "string" (dates are; numbers and addresses are not). */
  | { type: 'compare'; field: string; op: CompareOp; value: string; quoted: boolean; position: number; valuePosition: number }
  | { type: 'host'; direction: 'src' | 'dst' | 'any'; value: string; position: number }
  | { type: 'port'; direction: 'src' | 'dst' | 'any'; value: string; position: number };

interface Token { kind: 'word' | 'op' | 'lparen' | 'rparen' | 'string'; text: string; position: number }

const OP_WORDS: Record<string, CompareOp> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c, position: i }); i++; continue; }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) { tokens.push({ kind: 'op', text: two, position: i }); i += 2; continue; }
    if (c === '<' || c === '>' || c === '!') { tokens.push({ kind: 'op', text: c, position: i }); i++; continue; }
    if (c === '=') throw new DisplayFilterError(`'=' is not an operator here: use '==' to compare`, i);
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new DisplayFilterError('unterminated string', i);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), position: i });
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z0-9_.:/-]+/.exec(text.slice(i));
    if (!m) throw new DisplayFilterError(`unexpected character '${c}'`, i);
    tokens.push({ kind: 'word', text: m[0], position: i });
    i += m[0].length;
  }
  return tokens;
}

/** Parses filter text into a tree; an empty text is `undefined` (everything matches). */
export function parseDisplayFilter(text: string): FilterNode | undefined {
  const tokens = tokenize(text);
  if (tokens.length === 0) return undefined;
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const at = (): number => peek()?.position ?? text.length;
  const isWord = (t: Token | undefined, ...words: string[]): boolean => t !== undefined && t.kind === 'word' && words.includes(t.text.toLowerCase());

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isWord(peek(), 'or') || (peek()?.kind === 'op' && peek()?.text === '||')) {
      pos++;
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseNot();
    while (isWord(peek(), 'and') || (peek()?.kind === 'op' && peek()?.text === '&&')) {
      pos++;
      left = { type: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): FilterNode => {
    if (isWord(peek(), 'not') || (peek()?.kind === 'op' && peek()?.text === '!')) {
      pos++;
      return { type: 'not', operand: parseNot() };
    }
    return parsePrimary();
  };
  const expectValue = (after: string): Token => {
    const t = peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'string')) throw new DisplayFilterError(`expected a value after '${after}'`, at());
    pos++;
    return t;
  };
  const parsePrimary = (): FilterNode => {
    const t = peek();
    if (!t) throw new DisplayFilterError('expected a field, a protocol or "(" at the end of the filter', text.length);
    if (t.kind === 'lparen') {
      pos++;
      const inner = parseOr();
      if (peek()?.kind !== 'rparen') throw new DisplayFilterError('missing ")"', at());
      pos++;
      return inner;
    }
    if (t.kind !== 'word') throw new DisplayFilterError(`unexpected '${t.text}'`, t.position);
    pos++;
    const word = t.text.toLowerCase();
    // tcpdump shorthands: [src|dst] host X, [src|dst] port N
    let direction: 'src' | 'dst' | 'any' = 'any';
    let keyword = word;
    if ((word === 'src' || word === 'dst') && isWord(peek(), 'host', 'port')) {
      direction = word;
      keyword = (peek() as Token).text.toLowerCase();
      pos++;
    }
    if (keyword === 'host' || keyword === 'port') {
      const v = expectValue(keyword);
      return { type: keyword, direction, value: v.text, position: t.position };
    }
    const next = peek();
    let op: CompareOp | undefined;
    if (next?.kind === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(next.text)) op = next.text as CompareOp;
    else if (next?.kind === 'word' && OP_WORDS[next.text.toLowerCase()]) op = OP_WORDS[next.text.toLowerCase()];
    if (!op) return { type: 'present', field: t.text, position: t.position };
    pos++;
    const v = expectValue(op);
    return { type: 'compare', field: t.text, op, value: v.text, quoted: v.kind === 'string', position: t.position, valuePosition: v.position };
  };

  const tree = parseOr();
  if (pos < tokens.length) {
    const t = tokens[pos];
    throw new DisplayFilterError(`unexpected '${t.text}': join conditions with "and" / "or"`, t.position);
  }
  return tree;
}
