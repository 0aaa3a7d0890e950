// Reads and appends OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
// No maintained npm library does this, and ssh2 accepts any host key unless told otherwise.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export type KnownHostsMarker = 'revoked' | 'cert-authority';

export interface KnownHostsEntry {
  readonly file: string;
  readonly line: number;
  readonly marker?: KnownHostsMarker;
  /** Hashed host field (`|1|salt|hash`), or undefined for a plain pattern list. */
  readonly hashed?: { readonly salt: Buffer; readonly hash: Buffer };
  readonly patterns: readonly string[];
  readonly keyType: string;
  readonly keyBlob: Buffer;
}

export interface KnownHostsParseResult {
  readonly entries: KnownHostsEntry[];
  /** Lines that could not be understood (skipped, as OpenSSH does). */
  readonly problems: { readonly line: number; readonly message: string }[];
}

export type HostKeyCheck =
  | { status: 'known'; file: string; line: number }
  | {
      status: 'unknown';
      fingerprint: string;
      /** Keys of other types already known for this host (OpenSSH warns about these). */
      otherKeyTypes: string[];
      /** `@cert-authority` lines match this host; they sign certificates and never match a plain key. */
      certAuthorityLines: { file: string; line: number }[];
    }
  | { status: 'mismatch'; fingerprint: string; expected: string[]; file: string; line: number }
  | { status: 'revoked'; fingerprint: string; file: string; line: number };

/** OpenSSH's `SHA256:` fingerprint (base64 without padding), as `ssh-keygen -lf` prints it. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written inside an SSH public key blob (first length-prefixed string). */
export function keyTypeOfBlob(keyBlob: Buffer): string | undefined {
  if (keyBlob.length < 4) return undefined;
  const n = keyBlob.readUInt32BE(0);
  if (n === 0 || n > 64 || 4 + n > keyBlob.length) return undefined;
  return keyBlob.subarray(4, 4 + n).toString('latin1');
}

/** The name known_hosts stores: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostsParseResult {
  const entries: KnownHostsEntry[] = [];
  const problems: { line: number; message: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/[ \t]+/);
    let marker: KnownHostsMarker | undefined;
    if (fields[0].startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else { problems.push({ line: i + 1, message: `unknown marker ${m ?? ''}` }); continue; }
    }
    if (fields.length < 3) { problems.push({ line: i + 1, message: 'expected: hosts keytype base64-key' }); continue; }
    const [hostField, keyType, keyB64] = fields;
    const keyBlob = Buffer.from(keyB64, 'base64');
    if (keyBlob.length === 0 || keyTypeOfBlob(keyBlob) !== keyType) {
      problems.push({ line: i + 1, message: `key does not decode as ${keyType}` });
      continue;
    }
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|');
      const s = Buffer.from(salt ?? '', 'base64');
      const h = Buffer.from(hash ?? '', 'base64');
      if (s.length !== 20 || h.length !== 20) { problems.push({ line: i + 1, message: 'malformed hashed host' }); continue; }
      entries.push({ file, line: i + 1, marker, hashed: { salt: s, hash: h }, patterns: [], keyType, keyBlob });
    } else {
      entries.push({ file, line: i + 1, marker, patterns: hostField.split(','), keyType, keyBlob });
    }
  }
  return { entries, problems };
}

/** OpenSSH match_pattern: `*` any run, `?` one character, case-insensitive, whole string. */
export function matchHostPattern(name: string, pattern: string): boolean {
  let re = '^';
  for (const c of pattern.toLowerCase()) {
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's').test(name.toLowerCase());
}

/** True when the entry's host field covers `name` (negated patterns veto, as in OpenSSH match_hostname). */
export function entryMatchesHost(entry: KnownHostsEntry, name: string): boolean {
  if (entry.hashed) {
    const mac = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return timingSafeEqual(mac, entry.hashed.hash);
  }
  let positive = false;
  for (const p of entry.patterns) {
    if (p.startsWith('!')) { if (matchHostPattern(name, p.slice(1))) return false; }
    else if (matchHostPattern(name, p)) positive = true;
  }
  return positive;
}

export function checkHostKeyInEntries(entries: readonly KnownHostsEntry[], host: string, port: number, keyAlgo: string, keyBlob: Buffer): HostKeyCheck {
  const name = knownHostsName(host, port);
  // The blob names its own type; the negotiated algorithm (rsa-sha2-512) may differ from it (ssh-rsa).
  const keyType = keyTypeOfBlob(keyBlob) ?? keyAlgo;
  const fingerprint = sshFingerprint(keyBlob);
  const matching = entries.filter((e) => entryMatchesHost(e, name));
  const revoked = matching.find((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob));
  if (revoked) return { status: 'revoked', fingerprint, file: revoked.file, line: revoked.line };
  const plain = matching.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.keyBlob.equals(keyBlob));
  if (same) return { status: 'known', file: same.file, line: same.line };
  const sameType = plain.filter((e) => e.keyType === keyType);
  if (sameType.length > 0) {
    return { status: 'mismatch', fingerprint, expected: sameType.map((e) => sshFingerprint(e.keyBlob)), file: sameType[0].file, line: sameType[0].line };
  }
  return {
    status: 'unknown',
    fingerprint,
    otherKeyTypes: [...new Set(plain.map((e) => e.keyType))],
    certAuthorityLines: matching.filter((e) => e.marker === 'cert-authority').map((e) => ({ file: e.file, line: e.line })),
  };
}

/** Reads every file (a missing file counts as empty) and checks the key, as OpenSSH does for UserKnownHostsFile. */
export async function checkHostKey(knownHostsFiles: readonly string[], host: string, port: number, keyAlgo: string, keyBlob: Buffer): Promise<HostKeyCheck> {
  const entries: KnownHostsEntry[] = [];
  for (const f of knownHostsFiles) {
    let text: string;
    try { text = await readFile(f, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    entries.push(...parseKnownHosts(text, f).entries);
  }
  return checkHostKeyInEntries(entries, host, port, keyAlgo, keyBlob);
}

/** `|1|salt|hmac` as `ssh-keygen -H` writes it (HMAC-SHA1 keyed by a 20-byte salt). */
export function hashKnownHostsName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

export interface PublicHostKey { readonly type: string; readonly blob: Buffer }

/** Appends one line; creates the directory (0700) and file (0600) when missing. */
export async function appendKnownHost(file: string, host: string, port: number, key: PublicHostKey, opts: { hash?: boolean } = {}): Promise<void> {
  const name = knownHostsName(host, port);
  if (/[\s,]/.test(name) || name.startsWith('|') || name.startsWith('@') || name.includes('#')) {
    throw new Error(`Refusing to write host name ${JSON.stringify(host)} into known_hosts: it contains a separator.`);
  }
  const type = keyTypeOfBlob(key.blob) ?? key.type;
  const hostField = opts.hash ? hashKnownHostsName(name) : name;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const st = await stat(file);
    if (st.size > 0) {
      const text = await readFile(file);
      if (text[text.length - 1] !== 0x0a) prefix = '\n';
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await appendFile(file, `${prefix}${hostField} ${type} ${key.blob.toString('base64')}\n`, { mode: 0o600 });
}
