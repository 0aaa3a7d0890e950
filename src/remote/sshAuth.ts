// The ssh2 authHandler: agent, then each identity file (passphrase asked when encrypted), then password,
// then keyboard-interactive, as OpenSSH orders them. Records why each method failed, without secrets.
import { readFile } from 'node:fs/promises';
import { utils, type AnyAuthMethod, type AuthHandlerMiddleware, type AuthenticationType, type ParsedKey } from 'ssh2';
import type { SshPrompts } from './sshPrompts';
import type { SshTarget } from './sshTarget';

const passphraseAttempts = 3;

export interface SshAuthState {
  readonly handler: AuthHandlerMiddleware;
  /** What was tried and why it was skipped; safe to show (no secrets). */
  readonly notes: string[];
}

function isEncryptedKeyError(e: Error): boolean {
  return /no passphrase given|bad passphrase|integrity check failed/i.test(e.message);
}

async function loadIdentity(path: string, prompts: SshPrompts, notes: string[]): Promise<ParsedKey | undefined> {
  let data: Buffer;
  try { data = await readFile(path); } catch (e) {
    notes.push(`identity file ${path} could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  const plain = utils.parseKey(data);
  if (!(plain instanceof Error)) return Array.isArray(plain) ? (plain[0] as ParsedKey) : plain;
  if (!isEncryptedKeyError(plain)) { notes.push(`identity file ${path} is not a private key ssh2 understands`); return undefined; }
  for (let attempt = 1; attempt <= passphraseAttempts; attempt++) {
    const pass = await prompts.passphrase(path, attempt);
    if (pass === undefined) { notes.push(`no passphrase given for ${path}`); return undefined; }
    const k = utils.parseKey(data, pass);
    if (!(k instanceof Error)) return Array.isArray(k) ? (k[0] as ParsedKey) : k;
  }
  notes.push(`wrong passphrase for ${path} (${passphraseAttempts} attempts)`);
  return undefined;
}

export function createAuthHandler(target: SshTarget, prompts: SshPrompts, agentSocket: string | undefined): SshAuthState {
  const notes: string[] = [];
  type Step = () => Promise<AnyAuthMethod | undefined>;
  const username = target.user;
  const steps: { method: AuthenticationType; run: Step }[] = [];
  if (agentSocket) steps.push({ method: 'publickey', run: () => Promise.resolve({ type: 'agent', username, agent: agentSocket }) });
  for (const path of target.identityFiles) {
    steps.push({ method: 'publickey', run: async () => {
      const key = await loadIdentity(path, prompts, notes);
      return key ? { type: 'publickey', username, key } : undefined;
    } });
  }
  for (let attempt = 1; attempt <= 3; attempt++) {
    steps.push({ method: 'password', run: async () => {
      const password = await prompts.password({ host: target.host, user: username, attempt });
      return password === undefined ? undefined : { type: 'password', username, password };
    } });
  }
  steps.push({ method: 'keyboard-interactive', run: () => Promise.resolve({
    type: 'keyboard-interactive', username,
    prompt: (name, instructions, _lang, questions, finish) => {
      prompts.keyboardInteractive({ host: target.host, user: username, name, instructions, prompts: questions.map((q) => ({ prompt: q.prompt, echo: q.echo ?? false })) })
        .then((answers) => finish(answers ?? []), () => finish([]));
    },
  }) });

  let next = 0;
  let passwordGaveUp = false;
  const handler: AuthHandlerMiddleware = (methodsLeft, _partial, callback) => {
    const done = callback as (m: AnyAuthMethod | false) => void;
    const advance = (): void => {
      while (next < steps.length) {
        const step = steps[next++];
        // The agent speaks 'publickey' on the wire; the server lists allowed wire methods.
        if (methodsLeft && !methodsLeft.includes(step.method)) continue;
        if (step.method === 'password' && passwordGaveUp) continue;
        step.run().then((m) => {
          if (m) done(m);
          else { if (step.method === 'password') passwordGaveUp = true; advance(); }
        }, () => advance());
        return;
      }
      done(false);
    };
    advance();
  };
  return { handler, notes };
}
