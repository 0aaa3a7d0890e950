// The manifest and the code agree: every contributed command is registered, every `viewItem` a menu
// `when` clause tests is produced as a contextValue, every tree view has a provider or welcome content.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  contributes: {
    commands?: { command: string }[];
    menus?: Record<string, { command?: string; when?: string }[]>;
    views?: Record<string, { id: string }[]>;
    viewsWelcome?: { view: string }[];
  };
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const extensionSource = readdirSync('src/extension', { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => readFileSync(join('src/extension', name), 'utf8'))
  .join('\n');

describe('manifest contributions', () => {
  it('registers every contributed command', () => {
    const unregistered = (manifest.contributes.commands ?? [])
      .map((c) => c.command)
      .filter((id) => !extensionSource.includes(`registerCommand('${id}'`));
    assert.deepEqual(unregistered, []);
  });

  it('only puts contributed commands in menus', () => {
    const contributed = new Set((manifest.contributes.commands ?? []).map((c) => c.command));
    const unknown = Object.values(manifest.contributes.menus ?? {}).flat()
      .map((item) => item.command)
      .filter((id): id is string => id !== undefined && !contributed.has(id));
    assert.deepEqual(unknown, []);
  });

  it('produces every viewItem that a when clause tests', () => {
    const tested = Object.values(manifest.contributes.menus ?? {}).flat()
      .flatMap((item) => [...(item.when ?? '').matchAll(/viewItem\s*==\s*([\w.-]+)/g)].map((m) => m[1] ?? ''));
    const missing = tested.filter((value) => !extensionSource.includes(`contextValue = '${value}'`));
    assert.deepEqual(missing, []);
  });

  it('gives every view a tree data provider or welcome content', () => {
    const welcomed = new Set((manifest.contributes.viewsWelcome ?? []).map((w) => w.view));
    const bare = Object.values(manifest.contributes.views ?? {}).flat()
      .map((view) => view.id)
      .filter((id) => !welcomed.has(id) && !extensionSource.includes(`registerTreeDataProvider('${id}'`));
    assert.deepEqual(bare, []);
  });

  it('has a package.nls.json string for every %placeholder% in package.json', () => {
    const strings = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
    const keys = [...readFileSync('package.json', 'utf8').matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1] ?? '');
    assert.ok(keys.length > 0);
    assert.deepEqual(keys.filter((k) => typeof strings[k] !== 'string'), []);
  });
});
