/**
 * Removes the leftovers (namespaces, sshds, root veths, temp dirs, locks) of labs whose owner process
 * died without stopping them. Safe while other labs run: live owners are left alone.
 * Usage: npx tsx test/lab/cleanupStaleLabs.ts [lockRoot]
 */
import { cleanupStaleLabs, defaultLockRoot } from './support/labRegistry';

const cleaned = cleanupStaleLabs(process.argv[2] ?? defaultLockRoot);
console.log(cleaned.length ? `removed ${cleaned.length} stale lab(s): ${cleaned.join(', ')}` : 'no stale labs');
