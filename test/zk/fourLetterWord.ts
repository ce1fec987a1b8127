import * as net from 'node:net';

/**
 * ZooKeeper's four-letter words over a plain TCP connection (`srvr`: "Mode: leader", "Zxid: 0x…"). The
 * servers log every one at INFO (`NIOServerCnxn@… - Processing srvr command from /127.0.0.1:…`), which is
 * what the poller is for: it makes each server write a line every 200 ms, so a paused one leaves a hole.
 */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host, port });
    let done = false;
    const finish = (answer: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('connect', () => socket.write(word));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => finish(undefined));
  });
}

export interface SrvrReply {
  mode: string;
  zxid: bigint;
  /** The zxid's top 32 bits: the epoch of the leader the server follows or is. */
  epoch: number;
}

export async function srvr(host: string, port: number, timeoutMs = 1000): Promise<SrvrReply | undefined> {
  const text = await fourLetterWord(host, port, 'srvr', timeoutMs);
  const mode = text && /^Mode: (\w+)/m.exec(text)?.[1];
  const zxid = text && /^Zxid: (0x[0-9a-f]+)/im.exec(text)?.[1];
  if (!mode || !zxid) return undefined;
  return { mode, zxid: BigInt(zxid), epoch: Number(BigInt(zxid) >> 32n) };
}

/**
 * Sends `srvr` to every target every `everyMs`, at most one request in flight per target (a paused server
 * gets no pile of connections to answer when it resumes). Stop it with the returned function.
 */
export function startPoller(targets: { host: string; port: number }[], everyMs: number): () => void {
  const busy = new Set<number>();
  const timer = setInterval(() => {
    targets.forEach((t, i) => {
      if (busy.has(i)) return;
      busy.add(i);
      void fourLetterWord(t.host, t.port, 'srvr', 1000).finally(() => busy.delete(i));
    });
  }, everyMs);
  return () => clearInterval(timer);
}
