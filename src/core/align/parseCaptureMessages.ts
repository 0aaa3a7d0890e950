/** Messages between the main thread and the capture-parsing worker (parseCaptureWorker.ts). */
import type { TransferredColumns } from './captureColumns';

export interface ParseRequest {
  id: number;
  path: string;
  name: string;
  host: string;
}

export type ParseReply =
  | { id: number; ok: true; columns: TransferredColumns }
  | { id: number; ok: false; message: string };
