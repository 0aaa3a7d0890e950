/**
 * What the language server must report on the language-server captures (test/lab/fixtures/
 * languageServerCaptures.ts), found in the tcpdump text with plain regular expressions, not with
 * our parser: the RST from the closed port, the data segment lost once, the zero windows of the reader that stops reading, the SYNs to the dropped port, the DNS query nobody
 * answers and its port unreachable, the ARP requests for the absent host, bad checksums with -v.
 */
export interface CaptureAddresses {
  client: string;
  server: string;
  absent: string;
}

export interface ExpectedFinding {
  code: string;
  line: number;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Zero-based lines matching `re`, each moved up to the first line of its record (the timestamped line). */
export function recordLines(text: string, re: RegExp): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (!re.test(l)) return;
    let j = i;
    while (j > 0 && !/^\d/.test(lines[j])) j--;
    out.push(j);
  });
  return out;
}

export function expectedFindings(text: string, a: CaptureAddresses): ExpectedFinding[] {
  const c = esc(a.client);
  const s = esc(a.server);
  const out: ExpectedFinding[] = [];
  const add = (code: string, lines: number[]): void => { for (const line of lines) out.push({ code, line }); };
  add('HS103', recordLines(text, /Flags \[R\.?\]/));
  add('HS104', recordLines(text, /Flags \[[^R\]]*\].*, win 0,/));
  add('HS101', recordLines(text, new RegExp(`${c}\\.\\d+ > ${s}\\.8083: Flags \\[P\\.\\], (?:cksum [^,]*, )?seq 1:`)).slice(1));
  const syns = recordLines(text, new RegExp(`${c}\\.\\d+ > ${s}\\.8081: Flags \\[S\\]`));
  add('HS105', syns.slice(0, 1));
  add('HS102', syns.slice(1));
  // -v quotes the query again inside the port unreachable: the first is the query.
  add('HS303', recordLines(text, new RegExp(`${c}\\.\\d+ > ${s}\\.53: \\d+\\+ A\\? hop\\.example\\.`)).slice(0, 1));
  add('HS201', recordLines(text, /udp port 53 unreachable/));
  add('HS301', recordLines(text, new RegExp(`who-has ${esc(a.absent)} `)).slice(0, 1));
  add('HS401', recordLines(text, /cksum 0x[0-9a-f]+ \(incorrect/));
  return sortFindings(out);
}

export function sortFindings<T extends ExpectedFinding>(f: T[]): T[] {
  return [...f].sort((x, y) => x.line - y.line || x.code.localeCompare(y.code));
}
