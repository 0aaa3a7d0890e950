import { readCaptureFile } from '../core/pcap/captureStreamReader';
import { CaptureFormatError } from '../core/pcap/captureFormatError';
import { TcpdumpFormatter } from '../core/format/tcpdumpFormatter';

/** Above this many packets the document says where it stopped, and the rest is left to `hopscope print`. */
const MAX_DOCUMENT_PACKETS = 500_000;

class DocumentFull extends Error {}

/**
 * A capture file as `tcpdump -nn -tttt` text (UTC), through src/core's reader and formatter. A damaged
 * file keeps every complete packet and ends with a line saying where and why reading stopped; a file
 * with no readable packet at all is an error.
 */
export async function captureFileAsTcpdumpText(filePath: string): Promise<string> {
  const formatter = new TcpdumpFormatter({ time: 'date' });
  const lines: string[] = [];
  try {
    await readCaptureFile(filePath, {
      onRecord: (rec) => {
        if (lines.length >= MAX_DOCUMENT_PACKETS) throw new DocumentFull();
        lines.push(formatter.format(rec));
      },
    });
  } catch (error) {
    if (error instanceof DocumentFull) {
      lines.push(`[hopscope: stopped after ${MAX_DOCUMENT_PACKETS} packets; use \`hopscope print\` for the whole file]`);
    } else if (error instanceof CaptureFormatError && lines.length === 0) {
      throw new Error(`${filePath} is not a readable capture: ${error.message}`);
    } else if (error instanceof CaptureFormatError) {
      lines.push(`[hopscope: ${error.message} at byte offset ${error.offset}; ${lines.length} packets shown]`);
    } else {
      throw error;
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
