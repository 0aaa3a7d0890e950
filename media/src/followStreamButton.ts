/**
 * The pcap editor's "Follow Stream" action: a button in the detail pane, enabled when the packet shown
 * has a TCP or UDP layer, and the row context VS Code's `webview/context` menu hands to
 * hopscope.pcapEditor.followStream. The page applies the filter the host answers with.
 */
import type { EditorToHostMessage, LayerNode, PacketRowContext } from '../../src/protocol/pcapEditorProtocol';
import { el } from './vscodeApi';

const FOLLOWABLE = /^(Transmission Control Protocol|User Datagram Protocol)\b/;

export class FollowStreamButton {
  readonly element = el('div', 'follow-bar');
  private readonly button = el('button', 'follow-stream', 'Follow Stream');
  private number = 0;

  constructor(private readonly post: (m: EditorToHostMessage) => void) {
    this.button.title = 'Follow TCP/UDP Stream: show the conversation\'s payload beside the list and filter the list to it (Ctrl+Alt+Shift+T)';
    this.button.disabled = true;
    this.button.addEventListener('click', () => { if (this.number > 0) this.post({ type: 'followStream', number: this.number }); });
    this.element.append(this.button);
  }

  /** The detail pane now shows packet `number`: enable the button when it has a TCP or UDP layer. */
  show(number: number, layers: readonly LayerNode[]): void {
    this.number = number;
    const layer = layers.find((l) => FOLLOWABLE.test(l.label));
    this.button.disabled = layer === undefined;
    this.button.textContent = layer ? `Follow ${layer.label.startsWith('T') ? 'TCP' : 'UDP'} Stream` : 'Follow Stream';
  }
}

/** The `data-vscode-context` JSON of a packet row. */
export function packetRowContext(number: number): string {
  const context: PacketRowContext = { webviewSection: 'packetRow', packetNumber: number, preventDefaultContextMenuItems: true };
  return JSON.stringify(context);
}
