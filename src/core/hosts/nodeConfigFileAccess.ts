// ConfigFileAccess on the real file system (synchronous: config files are small and read once).
import { readdirSync, readFileSync } from 'node:fs';
import type { ConfigFileAccess } from './sshConfigHosts';

export const nodeConfigFileAccess: ConfigFileAccess = {
  readFile(path) {
    try { return readFileSync(path, 'utf8'); } catch { return undefined; }
  },
  listDir(path) {
    try { return readdirSync(path); } catch { return []; }
  },
};
