/** The real reader and dissector, for the extension (asynchronous reads: the extension host keeps serving). */
import { readCaptureFile } from '../pcap/captureStreamReader';
import { dissectPacket, dissectPacketAt } from '../decode/dissectPacket';
import type { CaptureLoaders } from './loadCaptureColumns';

export const defaultCaptureLoaders: CaptureLoaders = { readCaptureFile, dissectPacket, dissectPacketAt };
