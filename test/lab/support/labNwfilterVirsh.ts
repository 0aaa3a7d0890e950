/**
 * libvirt's test driver has no nwfilter API ("this function is not supported by the connection
 * driver: virNWFilterLookupByName"). For the lab, a `virsh` earlier on the hypervisors' PATH (pass
 * `sshdSetEnv: [nwfilterVirsh.pathEnv]` to startLab) answers `nwfilter-dumpxml` / `nwfilter-list` from
 * libvirt's own stock filter files (test/fixtures/nwfilter-stock, copied from
 * libvirt-daemon-config-nwfilter 9.0.0) and hands every other command to the real virsh (test driver).
 * A stand-in for the one part that cannot run here: tests using it say so in their names.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const stockNwfilterDir = resolve(__dirname, '../../fixtures/nwfilter-stock');

export interface NwfilterVirsh {
  /** `PATH=<shim dir>:<standard PATH>` for sshdSetEnv. */
  pathEnv: string;
  dir: string;
  remove(): void;
}

const SCRIPT = (filters: string, realVirsh: string): string => `#!/bin/sh
# Lab stand-in: nwfilter-* from libvirt's stock filter XML, everything else to the real virsh.
filters='${filters}'
skip=; sub=; name=
for a in "$@"; do
  if [ -n "$skip" ]; then skip=; continue; fi
  if [ -z "$sub" ]; then
    case "$a" in -c|--connect|-l|--log|-k|--keepalive-interval|-K|--keepalive-count) skip=1; continue ;; -*) continue ;; esac
    sub=$a; continue
  fi
  case "$a" in --*) ;; *) [ -z "$name" ] && name=$a ;; esac
done
case "$sub" in
  nwfilter-dumpxml)
    case "$name" in ''|*[!A-Za-z0-9_.-]*) name=invalid/ ;; esac
    if [ -f "$filters/$name.xml" ]; then cat "$filters/$name.xml"; exit 0; fi
    echo "error: failed to get nwfilter '$name'" >&2
    echo "error: Network filter not found: no nwfilter with matching name '$name'" >&2
    exit 1 ;;
  nwfilter-list)
    echo ' UUID                                   Name'
    echo '----------------------------------------------------------------'
    for f in "$filters"/*.xml; do n=\${f##*/}; echo " 00000000-0000-0000-0000-000000000000   \${n%.xml}"; done
    echo
    exit 0 ;;
esac
exec '${realVirsh}' "$@"
`;

export function writeNwfilterVirsh(realVirsh = '/usr/bin/virsh'): NwfilterVirsh {
  const dir = mkdtempSync(join(tmpdir(), 'hs2h-virsh-'));
  chmodSync(dir, 0o755);
  const bin = join(dir, 'virsh');
  writeFileSync(bin, SCRIPT(stockNwfilterDir, realVirsh), { mode: 0o755 });
  return {
    dir,
    pathEnv: `PATH=${dir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
