/** The real reader and dissector, for the CLI, the bench and the extension. */
import { readCaptureFile } from '../pcap/captureStreamReader';
import { dissectPacket } from '../decode/dissectPacket';
import type { CaptureLoaders } from './loadCaptureColumns';

export const defaultCaptureLoaders: CaptureLoaders = { readCaptureFile, dissectPacket };
