/** The real reader and dissector, for the extension (asynchronous reads: the extension host keeps serving). */
import { readCaptureFile } from '../pcap/captureStreamReader';
import { dissectPacket } from '../decode/dissectPacket';
import { dissectForIdentityAt } from '../decode/identityFields';
import type { CaptureLoaders } from './loadCaptureColumns';

export const defaultCaptureLoaders: CaptureLoaders = { readCaptureFile, dissectPacket, dissectPacketAt: dissectForIdentityAt };
