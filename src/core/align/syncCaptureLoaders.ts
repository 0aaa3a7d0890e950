/**
 * The real reader and dissector with blocking 128 KiB reads (src/core/pcap/captureFileSync.ts), for
 * the command line and the bench, where nothing waits on the event loop while a capture loads.
 */
import { readCaptureFileSync } from '../pcap/captureFileSync';
import { dissectPacket } from '../decode/dissectPacket';
import { dissectForIdentityAt } from '../decode/identityFields';
import type { CaptureLoaders, ReadCaptureFile } from './loadCaptureColumns';

// async so that a read error becomes a rejection, as with the asynchronous reader.
const readSync: ReadCaptureFile = async (path, handlers) => readCaptureFileSync(path, handlers);

export const syncCaptureLoaders: CaptureLoaders = { readCaptureFile: readSync, dissectPacket, dissectPacketAt: dissectForIdentityAt };
