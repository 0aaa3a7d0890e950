/**
 * When the extension's bundle started evaluating, and the extension host's CPU by then: imported
 * first by extension.ts (esbuild evaluates modules in import order) so `activate` can log what loading
 * the bundle and registering every feature cost (issue #6: activation is part of the first view's time).
 */
export const bundleStartedAt = Date.now();
const cpu = process.cpuUsage();
export const bundleStartedCpuMs = (cpu.user + cpu.system) / 1000;
