/** Why a byte stream could not be read as a capture file. */
export type CaptureFormatErrorCode =
  | 'empty'
  | 'not-a-capture'
  | 'truncated'
  | 'bad-caplen'
  | 'bad-block'
  | 'unsupported-version';

/**
 * A malformed or unsupported capture stream. `offset` is the byte position in the whole stream of the
 * header (record, block or file header) that is wrong; the message says what and where.
 */
export class CaptureFormatError extends Error {
  readonly code: CaptureFormatErrorCode;
  readonly offset: number;

  constructor(code: CaptureFormatErrorCode, offset: number, message: string) {
    super(message);
    this.name = 'CaptureFormatError';
    this.code = code;
    this.offset = offset;
  }
}
