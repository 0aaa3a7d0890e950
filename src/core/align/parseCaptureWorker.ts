/**
 * Worker thread entry (bundled apart as dist/alignParseWorker.js; run from source through tsx in
 * tests): parses whole capture files into CaptureColumns with blocking reads and posts each back
 * with its column buffers transferred, so the main thread gets them without a copy.
 */
import { parentPort } from 'node:worker_threads';
import { CaptureColumns } from './captureColumns';
import { loadCaptureColumns } from './loadCaptureColumns';
import { syncCaptureLoaders } from './syncCaptureLoaders';
import type { ParseReply, ParseRequest } from './parseCaptureMessages';

const port = parentPort;
if (port) {
  port.on('message', (req: ParseRequest) => {
    loadCaptureColumns(req.path, req.name, req.host, syncCaptureLoaders).then((cols) => {
      const columns = cols.toTransfer();
      const reply: ParseReply = { id: req.id, ok: true, columns };
      port.postMessage(reply, CaptureColumns.transferList(columns));
    }, (e: unknown) => {
      const reply: ParseReply = { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) };
      port.postMessage(reply);
    });
  });
}
