// The SSH layer's questions answered with VS Code UI: host keys in a modal (SHA256 fingerprint),
// passphrases and passwords in a password InputBox. A password is kept in SecretStorage only when
// `hopscope.ssh.rememberPasswords` is on and the user ticks "remember" in the box.
import * as vscode from 'vscode';
import type { HostKeyQuestion, KeyboardInteractiveQuestion, SshPrompts } from '../../remote/sshPrompts';

const secretKey = (user: string, host: string): string => `hopscope.ssh.password:${user}@${host}`;

async function askSecret(title: string, prompt: string, offerRemember: boolean): Promise<{ value: string; remember: boolean } | undefined> {
  const box = vscode.window.createInputBox();
  box.title = title;
  box.prompt = prompt;
  box.password = true;
  box.ignoreFocusOut = true;
  let remember = false;
  const button = (): vscode.QuickInputButton => ({
    iconPath: new vscode.ThemeIcon(remember ? 'pass-filled' : 'circle-large-outline'),
    tooltip: remember ? vscode.l10n.t('Remember this password (on)') : vscode.l10n.t('Remember this password (off)'),
  });
  if (offerRemember) box.buttons = [button()];
  return new Promise((resolve) => {
    let settled = false;
    box.onDidTriggerButton(() => { remember = !remember; box.buttons = [button()]; });
    box.onDidAccept(() => { settled = true; resolve({ value: box.value, remember }); box.hide(); });
    box.onDidHide(() => { if (!settled) resolve(undefined); box.dispose(); });
    box.show();
  });
}

export function createSshPromptsUi(secrets: vscode.SecretStorage): SshPrompts {
  return {
    async passphrase(keyPath, attempt) {
      const r = await askSecret(vscode.l10n.t('SSH key passphrase'),
        attempt > 1 ? vscode.l10n.t('Wrong passphrase. Passphrase for {0}', keyPath) : vscode.l10n.t('Passphrase for {0}', keyPath), false);
      return r?.value;
    },
    async password({ host, user, attempt }) {
      const key = secretKey(user, host);
      if (attempt === 1) {
        const stored = await secrets.get(key);
        if (stored !== undefined) return stored;
      } else {
        await secrets.delete(key);
      }
      const offer = vscode.workspace.getConfiguration('hopscope.ssh').get<boolean>('rememberPasswords', false);
      const r = await askSecret(vscode.l10n.t('SSH password'), vscode.l10n.t('Password for {0}@{1}', user, host), offer);
      if (r && offer && r.remember) await secrets.store(key, r.value);
      return r?.value;
    },
    async keyboardInteractive(q: KeyboardInteractiveQuestion) {
      const answers: string[] = [];
      for (const p of q.prompts) {
        const value = await vscode.window.showInputBox({
          title: q.name || vscode.l10n.t('SSH login to {0}@{1}', q.user, q.host), prompt: `${q.instructions ? `${q.instructions} ` : ''}${p.prompt}`,
          password: !p.echo, ignoreFocusOut: true,
        });
        if (value === undefined) return undefined;
        answers.push(value);
      }
      return answers;
    },
    async confirmHostKey(q: HostKeyQuestion) {
      const accept = vscode.l10n.t('Accept and Connect');
      const where = q.port === 22 ? q.host : `[${q.host}]:${q.port}`;
      const other = q.otherKnownKeyTypes.length > 0 ? vscode.l10n.t(' Keys of other types are already known for this host: {0}.', q.otherKnownKeyTypes.join(', ')) : '';
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Unknown SSH host key for {0}', where),
        { modal: true, detail: vscode.l10n.t('{0} key fingerprint is {1}.{2} Accept only if it matches the host\'s key (ssh-keygen -lf /etc/ssh/ssh_host_{3}_key.pub on the host). Accepting adds it to known_hosts.', q.keyType, q.fingerprint, other, q.keyType.replace(/^ssh-|ecdsa-sha2-nistp\d+/g, (m) => (m.startsWith('ecdsa') ? 'ecdsa' : ''))) },
        accept,
      );
      return choice === accept;
    },
  };
}
