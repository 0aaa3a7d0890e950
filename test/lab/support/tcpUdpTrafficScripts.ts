/**
 * Node one-liners run inside lab namespaces (`node -e <script> args`): a client sending TCP bytes then
 * UDP datagrams, and the sink that receives both.
 */

/** Node one-liner that sends TCP bytes to host:port then UDP datagrams, used as traffic in the namespaces. */
export const TRAFFIC_CLIENT = `
const net = require('node:net'), dgram = require('node:dgram');
const [host, port, tcpBytes, udpCount] = process.argv.slice(1);
const s = net.connect(Number(port), host, () => { s.end(Buffer.alloc(Number(tcpBytes), 0x61)); });
s.on('close', () => {
  const u = dgram.createSocket('udp4'); let n = 0;
  const send = () => { if (n++ >= Number(udpCount)) return u.close(); u.send(Buffer.alloc(100 + n), Number(port), host, send); };
  send();
});`;

/** TCP sink (reads and drops) plus UDP sink on one port; prints "ready" once both listen. */
export const TRAFFIC_SERVER = `
const net = require('node:net'), dgram = require('node:dgram');
const port = Number(process.argv[1]);
const u = dgram.createSocket('udp4'); u.on('message', () => {});
net.createServer((c) => c.resume()).listen(port, () => u.bind(port, () => console.log('ready')));`;
